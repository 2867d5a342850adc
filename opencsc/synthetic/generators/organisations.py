"""Partner organisations and the professionals in them: schools, GP practices, health, police."""

from __future__ import annotations

from opencsc.people.models import Organisation, Professional
from opencsc.people.names import fold

from .. import names
from ..context import GenerationContext, bulk_create

# Made-up places in the made-up borough.
PLACES = (
    "Northvale",
    "Westbrook",
    "Cranmere",
    "Elmfield",
    "Hatherley",
    "Oakhurst",
    "Brentmoor",
    "Ashgrove",
    "Kingsmead",
    "Fairholme",
    "Lindley",
    "Marlow Green",
    "Thornbury",
    "Riverside",
    "Bellfield",
    "Hollybank",
    "Sandhurst Park",
    "Willowmere",
    "Beacon Hill",
    "Cedar Vale",
)
SAINTS = (
    "St Mary's",
    "St John's",
    "St Michael's",
    "St Paul's",
    "Our Lady of Lourdes",
    "St Anne's",
    "Holy Trinity",
)


def school_list(rng) -> list[tuple[str, str, str]]:
    """About 60 made-up schools: (name, URN, phase)."""
    schools: list[tuple[str, str]] = []
    for place in PLACES:
        schools.append((f"{place} Primary School", "primary"))
    for place in PLACES[:12]:
        schools.append((f"{place} Infant and Nursery School", "primary"))
    for saint in SAINTS:
        schools.append(
            (
                f"{saint} Catholic Primary School" if "Lady" in saint else f"{saint} C of E Primary School",
                "primary",
            )
        )
    for place in PLACES[:10]:
        schools.append((f"{place} Academy", "secondary"))
    for place in PLACES[10:16]:
        schools.append((f"{place} High School", "secondary"))
    schools += [
        ("Northvale College", "secondary"),
        ("Cranmere Special School", "special"),
        ("Oakhurst Pupil Referral Unit", "secondary"),
        ("Elmfield School for Girls", "secondary"),
    ]
    urns = rng.sample(range(100000, 150000), len(schools))
    return [(name, str(urn), phase) for (name, phase), urn in zip(schools, urns, strict=True)]


def _person_name(rng) -> tuple[str, str]:
    ethnicity = names.choose_ethnicity(rng)
    sex = rng.choice("MF")
    return names.first_name(rng, ethnicity, sex), names.last_name(rng, ethnicity)


def generate_organisations(ctx: GenerationContext) -> None:
    rng = ctx.rng("organisations")
    fake = ctx.faker("organisations")
    schools = school_list(rng)
    ctx.schools = [(name, urn) for name, urn, _ in schools]
    ctx.extra["school_phase"] = {name: phase for name, _, phase in schools}

    orgs: list[tuple[str, str, str]] = []  # (kind, name, agency)
    orgs += [("school", name, "education") for name, _, _ in schools]
    gp_count = ctx.scaled(22, minimum=3)
    orgs += [
        ("gp", f"{PLACES[i % len(PLACES)]} {suffix}", "health")
        for i, suffix in zip(
            range(gp_count),
            ["Medical Centre", "Surgery", "Health Centre", "Family Practice"] * gp_count,
            strict=False,
        )
    ]
    orgs += [
        ("health_visiting", "Northvale Community Health NHS Trust", "health"),
        ("hospital", "Northvale University Hospital", "health"),
        ("camhs", "Northvale CAMHS", "health"),
        ("police", "Northvale Police", "police"),
        ("probation", "Probation Service (Northvale)", "probation"),
        ("housing", "Northvale Council Housing Options", "housing"),
    ]
    seen: set[str] = set()
    rows = []
    for kind, name, agency in orgs:
        if name in seen:
            continue
        seen.add(name)
        slug = "".join(c for c in name.lower() if c.isalnum())[:30]
        rows.append(
            (
                kind,
                Organisation(
                    name=name, agency=agency, phone=fake.phone_number(), email=f"safeguarding@{slug}.example"
                ),
            )
        )
    saved = bulk_create(Organisation, [o for _, o in rows], ctx, "organisations")
    ctx.organisations = {}
    for (kind, _), org in zip(rows, saved, strict=True):
        ctx.organisations.setdefault(kind, []).append(org)

    roles = {
        "school": (("Designated safeguarding lead", 1), ("Head teacher", 1)),
        "gp": (("GP", 2),),
        "health_visiting": (
            ("Health visitor", ctx.scaled(18, 2)),
            ("School nurse", ctx.scaled(8, 1)),
            ("Community midwife", ctx.scaled(6, 1)),
        ),
        "hospital": (("Paediatric liaison nurse", 2), ("Consultant paediatrician", 2)),
        "camhs": (("CAMHS clinician", ctx.scaled(6, 1)),),
        "police": (("Police officer, public protection", ctx.scaled(12, 2)),),
        "probation": (("Probation officer", ctx.scaled(5, 1)),),
        "housing": (("Housing officer", ctx.scaled(4, 1)),),
    }
    professionals: list[tuple[str, Professional]] = []
    for kind, org_list in ctx.organisations.items():
        for org in org_list:
            for role, number in roles[kind]:
                for _ in range(number):
                    first, last = _person_name(rng)
                    name = f"{first} {last}"
                    email = f"{fold(first)}.{fold(last)}@{org.email.split('@')[1]}"
                    professionals.append(
                        (
                            kind,
                            Professional(
                                name=name, organisation=org, role=role, phone=fake.phone_number(), email=email
                            ),
                        )
                    )
    saved = bulk_create(Professional, [p for _, p in professionals], ctx, "professionals")
    ctx.professionals = {}
    for (kind, _), prof in zip(professionals, saved, strict=True):
        ctx.professionals.setdefault(kind, []).append(prof)
