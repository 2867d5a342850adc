"""The generation steps, in order. Later areas of the service add a step here.

Each step is a function taking the shared GenerationContext; it draws from
`ctx.rng(<its own name>)`, writes with bulk_create in batches and records what
it decided in the context for the steps after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .context import GenerationContext
from .generators.assessment import generate_assessment
from .generators.casework import generate_casework
from .generators.organisations import generate_organisations
from .generators.people import generate_children
from .generators.protection import generate_protection
from .generators.staff import generate_staff
from .generators.visits_oversight import generate_visits_oversight


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    run: Callable[[GenerationContext], None]


STEPS: tuple[Step, ...] = (
    Step("staff", "Teams and staff", generate_staff),
    Step("organisations", "Schools, GP practices and partner agencies", generate_organisations),
    Step("children", "Children, families and addresses", generate_children),
    Step("casework", "Allocations, case notes and chronologies", generate_casework),
    Step("assessment", "Referrals, assessments and child in need plans", generate_assessment),
    Step(
        "protection",
        "Strategy discussions, section 47 enquiries, conferences and child protection plans",
        generate_protection,
    ),
    Step("visits_oversight", "Visits and management oversight", generate_visits_oversight),
)
