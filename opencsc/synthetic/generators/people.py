"""Children known to the service, their households, addresses and family networks.

Children are made in households (sibling groups share a service, a family and an
address history). What the generator decided about each child is kept in
`ctx.children` (ChildPlan) for the casework steps and for later areas.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from opencsc.people.models import Address, Child, ChildAlias, Involvement, Person, Relationship
from opencsc.people.names import search_keys

from .. import identifiers, names
from ..context import ChildPlan, GenerationContext, bulk_create, eighteenth

# Children known to the service at the default size (about the 2014 Hounslow report):
# open cases by the service holding them, and closed historical cases.
SERVICES: dict[str, int] = {
    "mash": 60,
    "assessment": 520,
    "child_in_need": 800,
    "child_protection": 200,
    "in_care": 280,  # about 305 on the last 31 March, with those who have left care since
    "care_leaver": 180,
    "early_help": 210,
    "unborn": 25,
    # Closed in the last year after months in need: open on the last 31 March (the CIN census counts them).
    "closed_in_need": 1350,
    "closed": 2350,
}
# The services whose children are closed cases (ChildPlan.service "closed").
CLOSED_SERVICES = ("closed", "closed_in_need")
NEAR_DUPLICATES = 12
HOUSEHOLD_SIZES = {1: 50, 2: 28, 3: 14, 4: 6, 5: 2}
# How long ago (days) an open case started, by service.
KNOWN_FOR_DAYS = {
    "mash": (0, 10),
    "assessment": (5, 110),
    "child_in_need": (60, 730),
    "child_protection": (90, 900),
    "in_care": (180, 3650),
    "early_help": (30, 365),
    "unborn": (14, 120),
}
LANGUAGES = {
    "AIND": ("Punjabi", "Gujarati", "Hindi", "Tamil"),
    "APKN": ("Urdu", "Punjabi"),
    "ABAN": ("Bengali", "Sylheti"),
    "AOTH": ("Dari", "Pashto", "Tamil", "Nepali"),
    "WOTH": ("Polish", "Romanian", "Portuguese", "Lithuanian", "Bulgarian"),
    "WROM": ("Romanian", "Romany"),
    "BAFR": ("Somali", "Yoruba", "Twi", "Tigrinya", "Amharic"),
    "OOTH": ("Arabic", "Kurdish", "Dari", "Tigrinya", "Turkish"),
    "CHNE": ("Cantonese", "Mandarin"),
}
RELIGIONS = {
    "AIND": ("Sikh", "Hindu", "Hindu", "Muslim"),
    "APKN": ("Muslim",),
    "ABAN": ("Muslim",),
    "AOTH": ("Muslim", "Hindu", "Buddhist"),
    "OOTH": ("Muslim", "Christian"),
    "BAFR": ("Christian", "Muslim"),
    "WOTH": ("Christian", "Christian", "No religion"),
}
DISABILITIES = ("AUT", "LD", "COMM", "BEH", "MOB", "HEAR", "VIS", "DDA")
STREET_SUFFIXES = (
    "Road",
    "Road",
    "Street",
    "Avenue",
    "Close",
    "Gardens",
    "Lane",
    "Way",
    "Crescent",
    "Drive",
    "Grove",
    "Court",
    "Place",
    "Terrace",
    "Mews",
    "Walk",
    "Rise",
    "Park",
)
TOWNS = ("Northvale", "Northvale", "Northvale", "Westbrook", "Cranmere", "Elmfield")


@dataclass
class Household:
    index: int
    surname: str
    ethnicity: str
    service: str
    addresses: list[tuple[dt.date, str, str, str]] = field(
        default_factory=list
    )  # (from, line_1, town, postcode)
    children: list[ChildPlan] = field(default_factory=list)


def _age_years(rng: random.Random) -> int:
    band = rng.choices([(0, 0), (1, 4), (5, 9), (10, 15), (16, 17)], weights=[8, 20, 27, 30, 15])[0]
    return rng.randint(*band)


def _date_back(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    return day - dt.timedelta(days=rng.randint(low, high))


def _plan_households(ctx: GenerationContext, rng: random.Random) -> list[Household]:
    remaining = {service: ctx.scaled(n, minimum=2) for service, n in SERVICES.items()}
    households: list[Household] = []
    sizes, size_weights = list(HOUSEHOLD_SIZES), list(HOUSEHOLD_SIZES.values())
    index = 0
    services = list(remaining)
    while any(remaining.values()):
        service = rng.choices(services, weights=[remaining[s] for s in services])[0]
        size = 1 if service in ("care_leaver", "unborn") else rng.choices(sizes, weights=size_weights)[0]
        size = min(size, remaining[service])
        remaining[service] -= size
        in_need_until_recently = service == "closed_in_need"
        service = "closed" if in_need_until_recently else service
        ethnicity = names.choose_ethnicity(rng)
        household = Household(
            index=index, surname=names.last_name(rng, ethnicity), ethnicity=ethnicity, service=service
        )
        index += 1
        households.append(household)
        today = ctx.today
        if in_need_until_recently:  # closed in the last year, after 5 months to 2 and a half years in need
            closed_on = _date_back(rng, today, 7, 365)
            known_from = closed_on - dt.timedelta(days=rng.randint(150, 900))
        elif service == "closed":
            known_from = _date_back(rng, today, 60, 3650)
            closed_on = known_from + dt.timedelta(days=rng.randint(20, 540))
            if closed_on > today - dt.timedelta(days=7):  # closed by now: some time since the case began
                closed_on = known_from + dt.timedelta(days=rng.randint(0, (today - known_from).days - 7))
        elif service == "care_leaver":
            known_from, closed_on = None, None
        else:
            known_from, closed_on = _date_back(rng, today, *KNOWN_FOR_DAYS[service]), None
        for i in range(size):
            plan = ChildPlan(
                index=len(ctx.children),
                household=household.index,
                service=service,
                closed_on=closed_on,
                ethnicity=ethnicity,
                in_need_until_closed=in_need_until_recently,
            )
            plan.sex = rng.choices("MFU", weights=[50, 49, 1])[0]
            if service == "unborn":
                plan.expected_date_of_birth = today + dt.timedelta(days=rng.randint(7, 150))
                plan.sex = "U"
                plan.known_from = known_from
            elif service == "care_leaver":
                plan.is_care_leaver = True
                age = rng.randint(18, 24)
                plan.date_of_birth = _date_back(rng, today, age * 365, age * 365 + 364)
                plan.known_from = plan.date_of_birth + dt.timedelta(days=rng.randint(11 * 365, 16 * 365))
            else:
                age = _age_years(rng) if i == 0 else None
                anchor = known_from if service == "closed" else today
                if age is None:  # a sibling: a few years apart from the first child
                    first = household.children[0].date_of_birth
                    dob = first + dt.timedelta(days=rng.choice((-1, 1)) * rng.randint(330, 5 * 365))
                    dob = min(max(dob, anchor - dt.timedelta(days=17 * 365)), anchor - dt.timedelta(days=14))
                else:
                    dob = _date_back(rng, anchor, age * 365 + 14, age * 365 + 364)
                plan.date_of_birth = dob
                if service == "in_care":  # came into care after birth, before today
                    start = max(dob + dt.timedelta(days=7), known_from)
                    plan.known_from = min(start, today - dt.timedelta(days=30))
                else:
                    plan.known_from = max(known_from, dob) if dob < today else known_from
                if plan.closed_on is not None:  # a child's case closes by their 18th birthday
                    plan.closed_on = max(plan.known_from, min(plan.closed_on, eighteenth(dob)))
            plan.first_name = "Unborn" if service == "unborn" else names.first_name(rng, ethnicity, plan.sex)
            plan.last_name = household.surname
            household.children.append(plan)
            ctx.children.append(plan)
    return households


def _address_histories(ctx: GenerationContext, rng: random.Random, households: list[Household]) -> None:
    fake = ctx.faker("addresses")
    streets = sorted(
        {f"{fake.last_name()} {rng.choice(STREET_SUFFIXES)}" for _ in range(ctx.scaled(600, minimum=60))}
    )
    postcodes = identifiers.postcode_pool(rng, per_district=max(20, ctx.scaled(150)))
    street_postcode = {street: rng.choice(postcodes) for street in streets}
    street_town = {street: rng.choice(TOWNS) for street in streets}
    ctx.extra["postcodes"] = postcodes
    for household in households:
        earliest = min((c.date_of_birth or c.known_from or ctx.today) for c in household.children)
        earliest = min(earliest, household.children[0].known_from or ctx.today)
        moves = rng.choices([0, 1, 2, 3], weights=[45, 30, 17, 8])[0]
        span = max(1, (ctx.today - earliest).days)
        starts = sorted(
            {earliest} | {earliest + dt.timedelta(days=rng.randrange(span)) for _ in range(moves)}
        )
        for start in starts:
            street = rng.choice(streets)
            flat = f"Flat {rng.randint(1, 40)}, " if rng.random() < 0.3 else ""
            household.addresses.append(
                (start, f"{flat}{rng.randint(1, 220)} {street}", street_town[street], street_postcode[street])
            )
        for child in household.children:
            child.postcode = household.addresses[-1][3]


def _language(rng, ethnicity) -> tuple[str, bool]:
    options = LANGUAGES.get(ethnicity)
    if options and rng.random() < 0.45:
        return rng.choice(options), rng.random() < 0.35
    return "English", False


NOT_YET_IN_NEED = ("mash", "early_help")


def _child_row(ctx, rng, plan: ChildPlan, household: Household, used_nhs, used_upn) -> Child:
    born = plan.date_of_birth
    nhs = identifiers.nhs_number(rng, used_nhs) if born and rng.random() < 0.93 else None
    school_name = school_urn = upn = ""
    age_now = (ctx.today - born).days // 365 if born else None
    if age_now is not None and 4 <= age_now <= 17:
        phase_wanted = "primary" if age_now <= 10 else "secondary"
        if rng.random() < 0.03:
            phase_wanted = "special"
        choices = [(n, u) for n, u in ctx.schools if ctx.extra["school_phase"][n] == phase_wanted]
        school_name, school_urn = rng.choice(choices)
        if rng.random() < 0.85:
            establishment = {"primary": 2000, "secondary": 4000, "special": 7000}[phase_wanted] + int(
                school_urn
            ) % 999
            upn = identifiers.upn(rng, used_upn, establishment=str(establishment), year_of_issue=born.year + 4)
    roll = rng.random()
    disabilities = (
        # Not yet recorded only before the child reaches social care: the CIN census needs it (rule 8540).
        [] if roll < 0.1 and plan.service in NOT_YET_IN_NEED
        else ["NONE"] if roll < 0.9
        else rng.sample(DISABILITIES, rng.choice((1, 1, 2)))
    )
    language, interpreter = _language(rng, plan.ethnicity)
    is_uasc = (
        plan.service in ("in_care", "care_leaver")
        and plan.ethnicity in ("OOTH", "BAFR", "AOTH")
        and rng.random() < 0.3
    )
    return Child(
        la_child_id=identifiers.la_child_id(plan.index + 1),
        nhs_number=nhs,
        upn=upn or None,
        first_name=plan.first_name,
        middle_names=names.first_name(rng, plan.ethnicity, plan.sex) if born and rng.random() < 0.3 else "",
        last_name=plan.last_name,
        date_of_birth=born,
        expected_date_of_birth=plan.expected_date_of_birth,
        sex=plan.sex,
        ethnicity=plan.ethnicity,
        disabilities=disabilities,
        first_language=language if born and age_now and age_now >= 2 else "",
        interpreter_needed=interpreter,
        religion=rng.choice(RELIGIONS.get(plan.ethnicity, ("Christian", "No religion", "No religion")))
        if rng.random() < 0.6
        else "",
        is_uasc=is_uasc,
        school_name=school_name,
        school_urn=school_urn,
        **search_keys(plan.first_name, plan.last_name),
    )


def _near_duplicate(ctx, rng, original: ChildPlan) -> ChildPlan:
    misspelt_last = rng.random() < 0.4
    plan = ChildPlan(
        index=len(ctx.children),
        household=original.household,
        service="mash",
        first_name=identifiers.misspell(rng, original.first_name),
        last_name=identifiers.misspell(rng, original.last_name) if misspelt_last else original.last_name,
        date_of_birth=original.date_of_birth,
        sex=original.sex,
        ethnicity=original.ethnicity,
        known_from=ctx.today - dt.timedelta(days=rng.randint(0, 5)),
        postcode=original.postcode,
        is_near_duplicate_of=original.index,
    )
    ctx.children.append(plan)
    return plan


def generate_children(ctx: GenerationContext) -> None:
    rng = ctx.rng("children")
    households = _plan_households(ctx, rng)
    _address_histories(ctx, rng, households)
    ctx.extra["households"] = households

    candidates = [c for c in ctx.children if c.date_of_birth and c.service not in ("closed", "care_leaver")]
    duplicates = [
        _near_duplicate(ctx, rng, original)
        for original in rng.sample(candidates, min(len(candidates), ctx.scaled(NEAR_DUPLICATES, 2)))
    ]

    used_nhs: set[str] = set()
    used_upn: set[str] = set()
    by_household = {h.index: h for h in households}
    rows = [
        _child_row(ctx, rng, plan, by_household[plan.household], used_nhs, used_upn) for plan in ctx.children
    ]
    for plan, row in zip(ctx.children, rows, strict=True):
        if plan.is_near_duplicate_of is not None:
            row.nhs_number = row.upn = None  # as a new contact would be recorded: no identifiers yet
    saved = bulk_create(Child, rows, ctx, "children")
    for plan, child in zip(ctx.children, saved, strict=True):
        plan.pk = child.pk
    ctx.extra["child_rows"] = saved

    # Addresses: each child lives at the household's addresses from birth (or first contact).
    addresses = []
    for household in households:
        for child in household.children:
            begins = child.date_of_birth or child.known_from or ctx.today
            history = household.addresses
            for i, (start, line_1, town, postcode) in enumerate(history):
                end = history[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(history) else None
                if end is not None and end < begins:
                    continue
                addresses.append(
                    Address(
                        child_id=child.pk,
                        line_1=line_1,
                        town=town,
                        postcode=postcode,
                        start_date=max(start, begins),
                        end_date=end,
                    )
                )
    for plan in duplicates:
        original = ctx.children[plan.is_near_duplicate_of]
        current = by_household[original.household].addresses[-1]
        addresses.append(
            Address(
                child_id=plan.pk,
                line_1=current[1],
                town=current[2],
                postcode=current[3],
                start_date=plan.known_from,
            )
        )
    bulk_create(Address, addresses, ctx, "addresses")

    _aliases(ctx, rng)
    _families(ctx, rng, households)
    _involvements(ctx, rng)


def _aliases(ctx, rng) -> None:
    rows = []
    for plan in ctx.children:
        if not plan.date_of_birth or rng.random() > 0.04:
            continue
        kind = rng.choice(list(ChildAlias.Kind))
        if kind == ChildAlias.Kind.PREVIOUS:
            first, last = plan.first_name, names.last_name(rng, plan.ethnicity)
        elif kind == ChildAlias.Kind.SPELLING:
            first, last = identifiers.misspell(rng, plan.first_name), plan.last_name
        else:
            first, last = plan.first_name[:3] if len(plan.first_name) > 4 else plan.first_name, plan.last_name
        rows.append(
            ChildAlias(
                child_id=plan.pk, first_name=first, last_name=last, kind=kind, **search_keys(first, last)
            )
        )
    bulk_create(ChildAlias, rows, ctx, "aliases")


def _adult(ctx, rng, *, first_name, last_name, sex, born, address, flags=()) -> Person:
    fake_phone = f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
    line, town, postcode = address
    return Person(
        first_name=first_name,
        last_name=last_name,
        sex=sex,
        date_of_birth=born,
        phone=fake_phone if rng.random() < 0.8 else "",
        address=f"{line}, {town}",
        postcode=postcode,
        mappa="mappa" in flags,
        marac="marac" in flags,
        poses_risk="poses_risk" in flags,
        **search_keys(first_name, last_name),
    )


def _families(ctx, rng, households: list[Household]) -> None:
    """Parents, step-parents, partners, grandparents and others; siblings as related children."""
    postcodes = ctx.extra["postcodes"]
    people: list[Person] = []
    # (household index, person index in `people`, kind, lives with, PR, lives elsewhere, only_children or None)
    links: list[tuple[int, int, str, bool, bool, bool, set | None]] = []
    K = Relationship.Kind

    streets = ("High Street", "Station Road", "Park Lane", "Church Road", "Victoria Road", "Mill Lane")

    def other_address():
        return f"{rng.randint(1, 200)} {rng.choice(streets)}", rng.choice(TOWNS), rng.choice(postcodes)

    for household in households:
        kids = [c for c in household.children if c.is_near_duplicate_of is None]
        if not kids:
            continue
        home = household.addresses[-1][1:]
        dates = [c.date_of_birth or c.expected_date_of_birth for c in kids]
        eldest = min(dates)
        in_care = household.service in ("in_care", "care_leaver")

        def add(
            person, kind, *, lives_with, pr, elsewhere=False, only=None, household=household, in_care=in_care
        ):
            people.append(person)
            links.append(
                (household.index, len(people) - 1, kind, lives_with and not in_care, pr, elsewhere, only)
            )

        mother_flags = ("marac",) if rng.random() < 0.07 else ()
        if rng.random() < 0.97:
            mother_born = eldest - dt.timedelta(days=rng.randint(17 * 365, 40 * 365))
            mother_last = (
                household.surname if rng.random() < 0.8 else names.last_name(rng, household.ethnicity)
            )
            add(
                _adult(
                    ctx,
                    rng,
                    first_name=names.first_name(rng, household.ethnicity, "F"),
                    last_name=mother_last,
                    sex="F",
                    born=mother_born,
                    address=home,
                    flags=mother_flags,
                ),
                K.MOTHER,
                lives_with=True,
                pr=True,
            )
        # Fathers: sometimes the eldest child has a different father (half-siblings).
        fathers = 2 if len(kids) > 1 and rng.random() < 0.25 else 1
        for f in range(fathers):
            if rng.random() > 0.85:
                continue  # father not known
            only = (
                {kids[0].index}
                if fathers == 2 and f == 0
                else ({k.index for k in kids[1:]} if fathers == 2 else None)
            )
            elsewhere = f == 0 and fathers == 2 or rng.random() < 0.55
            flags = tuple(
                flag
                for flag, rate in (("mappa", 0.015), ("poses_risk", 0.05), ("marac", 0.04))
                if rng.random() < rate
            )
            add(
                _adult(
                    ctx,
                    rng,
                    first_name=names.first_name(rng, household.ethnicity, "M"),
                    last_name=household.surname
                    if f == fathers - 1
                    else names.last_name(rng, household.ethnicity),
                    sex="M",
                    born=eldest - dt.timedelta(days=rng.randint(18 * 365, 45 * 365)),
                    address=other_address() if elsewhere else home,
                    flags=flags,
                ),
                K.FATHER,
                lives_with=not elsewhere,
                pr=rng.random() < (0.7 if elsewhere else 0.95),
                elsewhere=elsewhere,
                only=only,
            )
        if rng.random() < 0.2:
            flags = ("poses_risk",) if rng.random() < 0.08 else ()
            add(
                _adult(
                    ctx,
                    rng,
                    first_name=names.first_name(rng, household.ethnicity, "M"),
                    last_name=names.last_name(rng, household.ethnicity),
                    sex="M",
                    born=eldest - dt.timedelta(days=rng.randint(18 * 365, 45 * 365)),
                    address=home,
                    flags=flags,
                ),
                rng.choice((K.STEP_FATHER, K.PARENTS_PARTNER)),
                lives_with=True,
                pr=False,
            )
        if rng.random() < 0.25:
            sex = rng.choice("MF")
            add(
                _adult(
                    ctx,
                    rng,
                    first_name=names.first_name(rng, household.ethnicity, sex),
                    last_name=household.surname,
                    sex=sex,
                    born=eldest - dt.timedelta(days=rng.randint(38 * 365, 70 * 365)),
                    address=home if rng.random() < 0.2 else other_address(),
                ),
                K.GRANDPARENT,
                lives_with=False,
                pr=False,
                elsewhere=True,
            )
        if rng.random() < 0.1:
            sex = rng.choice("MF")
            add(
                _adult(
                    ctx,
                    rng,
                    first_name=names.first_name(rng, household.ethnicity, sex),
                    last_name=household.surname,
                    sex=sex,
                    born=eldest - dt.timedelta(days=rng.randint(15 * 365, 30 * 365)),
                    address=other_address(),
                ),
                K.AUNT_UNCLE,
                lives_with=False,
                pr=False,
                elsewhere=True,
            )
        if rng.random() < 0.07:
            sex = rng.choice("MF")
            add(
                _adult(
                    ctx,
                    rng,
                    first_name=names.first_name(rng, household.ethnicity, sex),
                    last_name=names.last_name(rng, household.ethnicity),
                    sex=sex,
                    born=eldest - dt.timedelta(days=rng.randint(5 * 365, 30 * 365)),
                    address=home,
                ),
                K.HOUSEHOLD_MEMBER,
                lives_with=True,
                pr=False,
            )
    people = bulk_create(Person, people, ctx, "people")

    by_household = {h.index: h for h in households}
    relationships = []
    for household_index, person_index, kind, lives_with, pr, elsewhere, only in links:
        for kid in by_household[household_index].children:
            if kid.is_near_duplicate_of is not None or (only is not None and kid.index not in only):
                continue
            relationships.append(
                Relationship(
                    child_id=kid.pk,
                    person_id=people[person_index].pk,
                    kind=kind,
                    lives_with_child=lives_with,
                    parental_responsibility=pr,
                    lives_elsewhere=elsewhere,
                    start_date=kid.date_of_birth,
                )
            )
    # Siblings with their own records here.
    for household in households:
        kids = [c for c in household.children if c.is_near_duplicate_of is None]
        for a in kids:
            for b in kids:
                if a is not b:
                    relationships.append(
                        Relationship(
                            child_id=a.pk,
                            related_child_id=b.pk,
                            kind=K.SIBLING,
                            lives_with_child=household.service not in ("in_care",),
                        )
                    )
    bulk_create(Relationship, relationships, ctx, "relationships")


def _involvements(ctx, rng) -> None:
    pros = ctx.professionals
    rows = []
    school_dsl = {
        p.organisation.name: p for p in pros.get("school", []) if p.role == "Designated safeguarding lead"
    }
    health_visitors = [p for p in pros.get("health_visiting", []) if p.role == "Health visitor"]
    midwives = [p for p in pros.get("health_visiting", []) if p.role == "Community midwife"]
    rows_child = {c.pk: c for c in ctx.extra["child_rows"]}
    for plan in ctx.children:
        start = plan.known_from
        end = plan.closed_on
        gp = rng.choice(pros["gp"])
        rows.append(Involvement(child_id=plan.pk, professional=gp, role="GP", start_date=start, end_date=end))
        if plan.expected_date_of_birth and midwives:
            rows.append(
                Involvement(
                    child_id=plan.pk, professional=rng.choice(midwives), role="Midwife", start_date=start
                )
            )
        born = plan.date_of_birth
        if born and (ctx.today - born).days < 5 * 365 and health_visitors:
            rows.append(
                Involvement(
                    child_id=plan.pk,
                    professional=rng.choice(health_visitors),
                    role="Health visitor",
                    start_date=start,
                    end_date=end,
                )
            )
        school = rows_child[plan.pk].school_name
        if school and school in school_dsl:
            rows.append(
                Involvement(
                    child_id=plan.pk,
                    professional=school_dsl[school],
                    role="Designated safeguarding lead",
                    start_date=start,
                    end_date=end,
                )
            )
        if plan.service == "child_protection" and rng.random() < 0.4:
            rows.append(
                Involvement(
                    child_id=plan.pk,
                    professional=rng.choice(pros["police"]),
                    role="Police officer",
                    start_date=start,
                )
            )
        if plan.service in ("in_care", "child_protection") and rng.random() < 0.15 and pros.get("camhs"):
            rows.append(
                Involvement(
                    child_id=plan.pk,
                    professional=rng.choice(pros["camhs"]),
                    role="CAMHS clinician",
                    start_date=start,
                    end_date=end,
                )
            )
    bulk_create(Involvement, rows, ctx, "involvements")
