"""The generation steps, in order. Later areas of the service add a step here.

Each step is a function taking the shared GenerationContext; it draws from
`ctx.rng(<its own name>)`, writes with bulk_create in batches and records what
it decided in the context for the steps after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .context import GenerationContext
from .generators.casework import generate_casework
from .generators.organisations import generate_organisations
from .generators.people import generate_children
from .generators.staff import generate_staff


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
)
