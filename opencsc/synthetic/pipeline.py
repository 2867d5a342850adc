"""The generation steps, in order. Later areas of the service add a step here.

Each step is a function taking the shared GenerationContext; it draws from
`ctx.rng(<its own name>)`, writes with bulk_create in batches and records what
it decided in the context for the steps after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .context import GenerationContext
from .generators.adoption import generate_adoption
from .generators.assessment import generate_assessment
from .generators.care import generate_care
from .generators.careleavers import generate_careleavers
from .generators.casework import generate_casework
from .generators.earlyhelp import generate_earlyhelp
from .generators.edt import generate_edt
from .generators.frontdoor import generate_frontdoor
from .generators.inspection import generate_inspection
from .generators.missing import generate_missing
from .generators.organisations import generate_organisations
from .generators.otherduties import generate_otherduties
from .generators.people import generate_children
from .generators.protection import generate_protection
from .generators.quality import generate_quality
from .generators.staff import generate_staff
from .generators.visits_oversight import generate_visits_oversight
from .generators.wellbeing import generate_wellbeing
from .generators.workforce import generate_workforce


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
    Step("frontdoor", "Contacts, MASH decisions and information requests", generate_frontdoor),
    Step("earlyhelp", "Early help: families, assessments, plans, reviews, step-up and step-down", generate_earlyhelp),
    Step("edt", "Out-of-hours work and the day team's handovers", generate_edt),
    Step("care", "Periods of care, episodes, placements, care plans, reviews and visits", generate_care),
    Step("wellbeing", "Health, education, contact and rights of children in care", generate_wellbeing),
    Step("missing", "Missing episodes, return home interviews and exploitation", generate_missing),
    Step("adoption", "Adoption, special guardianship and adopters", generate_adoption),
    Step("careleavers", "Care leavers: pathway plans, personal advisers and contact", generate_careleavers),
    Step("otherduties", "Private fostering, LADO allegations and care proceedings", generate_otherduties),
    Step("workforce", "Worker profiles and supervision", generate_workforce),
    Step("quality", "Case audits, moderation and actions", generate_quality),
    Step("inspection", "The last inspections and their action plans", generate_inspection),
)
