"""Allocations, case notes and chronology entries over each child's history;
restricted records and partner shares."""

from __future__ import annotations

import datetime as dt
import random

from opencsc.accounts.roles import Agency
from opencsc.casework.models import Allocation, CaseNote, ChronologyEntry
from opencsc.people.models import Child, PartnerShare, RestrictedAccessGrant

from ..context import ChildPlan, GenerationContext, bulk_create, historical_timestamps
from .staff import SERVICE_TEAMS, case_holders, team_manager

# Days between statutory-style visits, by service; other contacts fall between.
VISIT_EVERY = {
    "mash": None,
    "assessment": 10,
    "child_in_need": 28,
    "child_protection": 10,
    "in_care": 42,
    "care_leaver": 56,
    "early_help": 21,
}
UNALLOCATED_RATE = 0.05  # open cases held by a team with no named worker
RESTRICTED = 10
RESTRICTION_REASONS = (
    "The child's parent works for the council's children's services",
    "High-profile family: access limited to named staff",
    "Adoption placement: birth family must not learn the child's whereabouts",
    "A relative of the child works in this service",
)
SHARE_REASONS = {
    Agency.POLICE: "Section 47 enquiry: police are a partner in the strategy discussion",
    Agency.HEALTH: "Child protection plan: health visitor and GP are in the core group",
    Agency.EDUCATION: "Child in need plan: the school is a partner in the plan",
}

N = CaseNote.NoteType
VISIT_SUBJECTS = ("Home visit", "Statutory visit", "Announced home visit", "Unannounced home visit")
VISIT_BODIES = (
    "Visited {name} at home with {adult} present. The home was warm and reasonably tidy. {name} showed me their "
    "bedroom and talked about school and friends.",
    "Unannounced visit. {adult} answered the door and was initially reluctant to let me in. {name} was seen "
    "and appeared well; food in the fridge and the home was clean.",
    "Visited to review progress against the plan. {adult} reported things were calmer at home. Discussed "
    "routines, school attendance and the next meeting.",
    "{name} was seen in their room and spoke about worries about arguments at home. Agreed to share this with "
    "the team manager and to follow up with school.",
)
SEEN_ALONE_BODIES = (
    " Spent time with {name} alone using the three houses tool; {name} said they feel safe most of the time.",
    " Saw {name} alone. They said they like their school and want to see their dad more often.",
    " {name} was seen alone and shared their wishes and feelings; recorded in their own words on the file.",
)
PHONE_BODIES = (
    "Telephone call with {adult} to arrange the next visit. {adult} said {name} has been unwell this week.",
    "Call from {adult} asking about support with housing. Advised and referred to housing options.",
    "Telephone call to {adult} to follow up missed appointment at the health clinic.",
)
PROFESSIONAL_BODIES = (
    "Call with the designated safeguarding lead at school: attendance is 86% this term; no new concerns.",
    "Spoke with the health visitor, who confirmed developmental checks are up to date.",
    "Police checks returned: one domestic incident at the address last month, no arrests.",
    "Email from the GP practice confirming {name} has been seen for a routine appointment.",
)
OVERSIGHT_BODIES = (
    "Management oversight: case discussed. The plan remains appropriate; visits are within timescales. Next "
    "review of progress in four weeks.",
    "Management oversight: the assessment needs completing within timescale; child's views to be recorded "
    "more fully. Agreed actions with the worker.",
    "Management oversight: risk has reduced; consider step down to early help at the next review.",
    "Management oversight: concerns about drift. Worker to convene a meeting with partners within ten days.",
)
SUPERVISION_BODIES = (
    "Case discussed in supervision. Reflected on the impact of the father's absence on {name}. Actions agreed.",
    "Supervision: reviewed chronology and plan. Need to gather school and health views before the next meeting.",
)
DIRECT_WORK_BODIES = (
    "Direct work session with {name} on feelings using drawing. {name} engaged well for 40 minutes.",
    "Life story work session with {name}: looked at photographs and talked about family.",
)
CHRONOLOGY_EVENTS = (
    ("Referral received from school about injuries", "high"),
    ("Police attended a domestic incident at the home", "high"),
    ("Child attended A&E after a fall", "normal"),
    ("Family moved to a new address", "normal"),
    ("Child started at a new school", "normal"),
    ("Mother's new partner moved into the household", "normal"),
    ("Father released from prison", "high"),
    ("Child reported missing overnight; found by police next morning", "high"),
    ("Fixed-term exclusion from school", "normal"),
    ("Child not brought to health appointment", "normal"),
    ("Mother admitted to hospital for mental health treatment", "high"),
    ("Eviction notice served on the family", "normal"),
    ("Birth of a sibling", "normal"),
    ("Court hearing: interim order made", "high"),
)


def _pick_worker(ctx, rng, team_name, cache, key):
    if key in cache:
        return cache[key]
    holders = case_holders(ctx, team_name)
    worker = rng.choice(holders) if holders else None
    cache[key] = worker
    return worker


def _periods(ctx, rng, plan: ChildPlan, cache) -> list[tuple[str, object, dt.date, dt.date | None, str]]:
    """(team name, worker, start, end, reason) for each allocation period, oldest first."""
    today = ctx.today
    start = plan.known_from or today
    end = plan.closed_on
    service = plan.service
    periods = []
    # An earlier, closed involvement for some open cases (re-referrals).
    if plan.is_open and service not in ("mash", "care_leaver") and rng.random() < 0.25:
        earlier_start = start - dt.timedelta(days=rng.randint(400, 2200))
        if plan.date_of_birth is None or earlier_start > plan.date_of_birth:
            team = rng.choice(SERVICE_TEAMS["assessment"])
            earlier_end = earlier_start + dt.timedelta(days=rng.randint(20, 200))
            worker = _pick_worker(ctx, rng, team, cache, (plan.household, "earlier", team))
            periods.append((team, worker, earlier_start, earlier_end, "Assessment"))
    if service == "care_leaver":
        care_team = rng.choice(SERVICE_TEAMS["in_care"])
        eighteen = (
            plan.date_of_birth.replace(year=plan.date_of_birth.year + 18)
            if not (plan.date_of_birth.month == 2 and plan.date_of_birth.day == 29)
            else dt.date(plan.date_of_birth.year + 18, 3, 1)
        )
        periods.append(
            (
                care_team,
                _pick_worker(ctx, rng, care_team, cache, (plan.index, "care")),
                start,
                eighteen - dt.timedelta(days=1),
                "Came into care",
            )
        )
        periods.append(
            (
                "Care leavers team",
                _pick_worker(ctx, rng, "Care leavers team", cache, (plan.index, "pa")),
                eighteen,
                None,
                "Leaving care: personal adviser allocated",
            )
        )
        return periods
    # The front door, then assessment, then the service holding the case.
    mash_days = rng.randint(0, 3)
    mash_end = start + dt.timedelta(days=mash_days)
    if service == "mash":
        periods.append(
            (
                "MASH",
                None
                if rng.random() < 0.5
                else _pick_worker(ctx, rng, "MASH", cache, (plan.household, "mash")),
                start,
                None,
                "Contact screened in the MASH",
            )
        )
        return periods
    periods.append(
        (
            "MASH",
            _pick_worker(ctx, rng, "MASH", cache, (plan.household, "mash")),
            start,
            mash_end,
            "Contact screened in the MASH",
        )
    )
    service_key = "assessment" if service in ("unborn", "closed") else service
    if service == "early_help":
        team = SERVICE_TEAMS["early_help"][plan.household % 2]
        periods.append(
            (
                team,
                _pick_worker(ctx, rng, team, cache, (plan.household, team)),
                mash_end + dt.timedelta(days=1),
                end,
                "Stepped down to early help",
            )
        )
        return periods
    assess_team = SERVICE_TEAMS["assessment"][plan.household % 3]
    assess_start = mash_end + dt.timedelta(days=1)
    assess_end = assess_start + dt.timedelta(days=rng.randint(20, 60))
    later = service_key not in ("assessment",) and (end is None or assess_end < end)
    if service == "closed" and (rng.random() < 0.4 or plan.in_need_until_closed) and end is not None \
            and assess_end < end:
        later, service_key = True, "child_in_need"
    if not later or (end is None and assess_end >= today):
        periods.append(
            (
                assess_team,
                _pick_worker(ctx, rng, assess_team, cache, (plan.household, assess_team)),
                assess_start,
                end,
                "Referral: assessment",
            )
        )
        return periods
    periods.append(
        (
            assess_team,
            _pick_worker(ctx, rng, assess_team, cache, (plan.household, assess_team)),
            assess_start,
            assess_end,
            "Referral: assessment",
        )
    )
    team = SERVICE_TEAMS[service_key][plan.household % len(SERVICE_TEAMS[service_key])]
    moved = assess_end + dt.timedelta(days=1)
    # Some children have had a change of worker along the way.
    if (end or today) - moved > dt.timedelta(days=240) and rng.random() < 0.5:
        change = moved + dt.timedelta(days=rng.randint(90, ((end or today) - moved).days - 30))
        periods.append(
            (
                team,
                _pick_worker(ctx, rng, team, cache, (plan.household, team, 1)),
                moved,
                change - dt.timedelta(days=1),
                "Transferred after assessment",
            )
        )
        periods.append(
            (
                team,
                _pick_worker(ctx, rng, team, cache, (plan.household, team, 2)),
                change,
                end,
                "Change of social worker",
            )
        )
    else:
        periods.append(
            (
                team,
                _pick_worker(ctx, rng, team, cache, (plan.household, team)),
                moved,
                end,
                "Transferred after assessment",
            )
        )
    return periods


def _adult_word(rng) -> str:
    return rng.choice(("Mother", "Mother", "Father", "Grandmother", "Mother's partner"))


def _notes_for_period(ctx, rng, plan, team_name, worker, start, end, service) -> list[CaseNote]:
    if worker is None:
        return []
    notes = []
    last = min(end or ctx.today, ctx.today)
    every = VISIT_EVERY.get(service) or 3
    manager = team_manager(ctx, team_name) or worker
    name = plan.first_name if plan.date_of_birth else "the baby"
    born = plan.date_of_birth
    day = start + dt.timedelta(days=rng.randint(0, min(every, 5)))
    oversight_due = start + dt.timedelta(days=rng.randint(20, 45))
    while day <= last:
        age = (day - born).days // 365 if born and day >= born else None
        can_be_seen = age is not None
        roll = rng.random()
        if roll < 0.55:
            seen = can_be_seen and rng.random() < 0.86
            alone = seen and age >= 5 and rng.random() < 0.5
            body = rng.choice(VISIT_BODIES) + (rng.choice(SEEN_ALONE_BODIES) if alone else "")
            note = (N.HOME_VISIT, rng.choice(VISIT_SUBJECTS), body, seen, alone, worker)
        elif roll < 0.75:
            note = (N.PHONE_CALL, "Telephone call", rng.choice(PHONE_BODIES), False, False, worker)
        elif roll < 0.9:
            note = (
                N.CONTACT_WITH_PROFESSIONAL,
                "Contact with a professional",
                rng.choice(PROFESSIONAL_BODIES),
                False,
                False,
                worker,
            )
        elif age is not None and age >= 3:
            note = (
                N.DIRECT_WORK,
                "Direct work",
                rng.choice(DIRECT_WORK_BODIES),
                True,
                rng.random() < 0.7,
                worker,
            )
        else:
            note = (N.OFFICE_VISIT, "Office visit", rng.choice(PHONE_BODIES), can_be_seen, False, worker)
        notes.append(_note(ctx, rng, plan, day, *note, name))
        if day >= oversight_due:
            kind = N.MANAGEMENT_OVERSIGHT if rng.random() < 0.7 else N.SUPERVISION
            bodies = OVERSIGHT_BODIES if kind == N.MANAGEMENT_OVERSIGHT else SUPERVISION_BODIES
            subject = "Management oversight" if kind == N.MANAGEMENT_OVERSIGHT else "Supervision discussion"
            notes.append(
                _note(
                    ctx,
                    rng,
                    plan,
                    day,
                    kind,
                    subject,
                    rng.choice(bodies),
                    False,
                    False,
                    manager if kind == N.MANAGEMENT_OVERSIGHT else worker,
                    name,
                )
            )
            oversight_due = day + dt.timedelta(days=rng.randint(30, 75))
        day += dt.timedelta(days=max(1, round(rng.gauss(every, every / 3))))
    return notes


def _note(ctx, rng, plan, day, kind, subject, body, seen, alone, author, name) -> CaseNote:
    written = ctx.at(
        day + dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 5))), rng.randint(9, 18), rng.randint(0, 59)
    )
    text = body.format(name=name, adult=_adult_word(rng))
    return CaseNote(
        child_id=plan.pk,
        note_type=kind,
        contact_date=day,
        child_seen=seen,
        child_seen_alone=alone,
        subject=subject,
        body=text,
        author=author,
        created_at=written,
        updated_at=written,
    )


def generate_casework(ctx: GenerationContext) -> None:
    rng = ctx.rng("casework")
    cache: dict = {}
    allocations: list[Allocation] = []
    chronology: list[ChronologyEntry] = []
    current_worker: dict[int, object] = {}
    note_batch: list[CaseNote] = []
    with historical_timestamps(CaseNote, "created_at", "updated_at"):
        for plan in ctx.children:
            periods = _periods(ctx, rng, plan, cache)
            for team_name, worker, start, end, reason in periods:
                service = plan.service
                if team_name == "MASH":
                    service = "mash"
                elif team_name in SERVICE_TEAMS["assessment"]:
                    service = "assessment"
                elif team_name in SERVICE_TEAMS["in_care"] and plan.is_care_leaver:
                    service = "in_care"
                elif team_name == "Care leavers team":
                    service = "care_leaver"
                elif service == "closed":
                    service = "child_in_need"
                is_current = end is None
                if (
                    is_current
                    and service in ("assessment", "child_in_need")
                    and rng.random() < UNALLOCATED_RATE
                ):
                    worker = None  # awaiting allocation in the team
                allocations.append(
                    Allocation(
                        child_id=plan.pk,
                        worker=worker,
                        team=ctx.teams[team_name],
                        start_date=start,
                        end_date=end,
                        reason=reason,
                    )
                )
                if is_current:
                    current_worker[plan.pk] = worker
                note_batch.extend(_notes_for_period(ctx, rng, plan, team_name, worker, start, end, service))
            chronology.extend(_chronology(ctx, rng, plan, periods))
            if len(note_batch) >= ctx.batch_size * 5:
                bulk_create(CaseNote, note_batch, ctx, "case notes")
                note_batch = []
        bulk_create(CaseNote, note_batch, ctx, "case notes")
    bulk_create(Allocation, allocations, ctx, "allocations")
    with historical_timestamps(ChronologyEntry, "created_at"):
        bulk_create(ChronologyEntry, chronology, ctx, "chronology entries")
    ctx.extra["current_worker"] = current_worker
    _restricted(ctx, rng, current_worker)
    _partner_shares(ctx, rng, current_worker)


def _chronology(ctx, rng: random.Random, plan: ChildPlan, periods) -> list[ChronologyEntry]:
    if not periods:
        return []
    first = periods[0][2]
    last = min(plan.closed_on or ctx.today, ctx.today)
    begin = max(plan.date_of_birth or first, first - dt.timedelta(days=365))
    span = max(1, (last - begin).days)
    entries = []
    for _ in range(rng.choices((0, 1, 2, 3, 4, 6), weights=(15, 25, 25, 15, 12, 8))[0]):
        day = begin + dt.timedelta(days=rng.randrange(span))
        title, significance = rng.choice(CHRONOLOGY_EVENTS)
        author = next((w for _, w, s, e, _ in periods if w and s <= day <= (e or ctx.today)), None)
        author = author or next((w for _, w, *_ in periods if w), None) or ctx.demo_users["tm.demo"]
        entries.append(
            ChronologyEntry(
                child_id=plan.pk,
                event_date=day,
                title=title,
                significance=significance,
                detail="Recorded from the case file and partner information.",
                author=author,
                created_at=ctx.at(min(day + dt.timedelta(days=rng.randint(0, 10)), ctx.today), 12),
            )
        )
    return entries


def _restricted(ctx, rng, current_worker) -> None:
    manager = ctx.demo_users["sm.demo"]
    candidates = [
        p
        for p in ctx.children
        if p.is_open
        and p.date_of_birth
        and p.is_near_duplicate_of is None
        and p.service in ("child_in_need", "child_protection", "in_care")
    ]
    chosen = rng.sample(candidates, min(len(candidates), ctx.scaled(RESTRICTED, 2)))
    children = list(Child.objects.filter(pk__in=[p.pk for p in chosen]).order_by("pk"))
    for child in children:
        child.is_restricted = True
        child.restriction_reason = rng.choice(RESTRICTION_REASONS)
    Child.objects.bulk_update(children, ["is_restricted", "restriction_reason"], batch_size=ctx.batch_size)
    grants = []
    with historical_timestamps(RestrictedAccessGrant, "granted_at"):
        for plan in sorted(chosen, key=lambda p: p.pk):
            granted = ctx.at(plan.known_from or ctx.today, 9)
            grants.append(
                RestrictedAccessGrant(child_id=plan.pk, user=manager, granted_by=manager, granted_at=granted)
            )
            worker = current_worker.get(plan.pk)
            if worker and worker.pk != manager.pk:
                grants.append(
                    RestrictedAccessGrant(
                        child_id=plan.pk, user=worker, granted_by=manager, granted_at=granted
                    )
                )
        bulk_create(RestrictedAccessGrant, grants, ctx, "access grants")
    ctx.extra["restricted"] = [p.pk for p in chosen]


def _partner_shares(ctx, rng, current_worker) -> None:
    restricted = set(ctx.extra.get("restricted", ()))
    rates = {
        Agency.POLICE: (0.15, ("child_protection", "assessment")),
        Agency.HEALTH: (0.12, ("child_protection", "child_in_need", "unborn")),
        Agency.EDUCATION: (0.06, ("child_in_need", "child_protection")),
    }
    shares = []
    for plan in ctx.children:
        if not plan.is_open or plan.pk in restricted:
            continue
        for agency, (rate, services) in rates.items():
            if plan.service not in services or rng.random() >= rate:
                continue
            shared_on = ctx.today - dt.timedelta(days=rng.randint(1, 150))
            roll = rng.random()
            ends_on = None if roll < 0.6 else shared_on + dt.timedelta(days=rng.randint(30, 180))
            if roll > 0.92:  # a share that has ended
                ends_on = ctx.today - dt.timedelta(days=rng.randint(1, 30))
                shared_on = ends_on - dt.timedelta(days=rng.randint(30, 120))
            shares.append(
                PartnerShare(
                    child_id=plan.pk,
                    agency=agency,
                    reason=SHARE_REASONS[agency],
                    shared_by=current_worker.get(plan.pk) or ctx.demo_users["tm.demo"],
                    shared_on=shared_on,
                    ends_on=ends_on,
                )
            )
    bulk_create(PartnerShare, shares, ctx, "partner shares")
