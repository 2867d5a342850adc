"""Care leavers: leaving care categories, personal advisers, pathway plans and reviews,
contact around birthdays (the SSDA903 OC3 facts), staying put and bursaries.

Young people are the children the people step made care leavers (18 to 24) and the
children in care aged 16 or 17, read from the database with their periods of care (made
by the care step, if it ran). Rates follow the national figures for care leavers: about
nine in ten in touch, about 55% of 19 to 21 year olds in education, employment or
training, about 88% in suitable accommodation, about a quarter of 18 to 20 year olds
staying put. Some pathway plan reviews are late, and a few have drifted: overdue now.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.apps import apps

from opencsc.accounts.models import Team, User
from opencsc.accounts.roles import Role, TeamKind
from opencsc.careleavers import rules
from opencsc.careleavers.codes import EET_CODES, NEET_CODES, SUITABLE_ACCOMMODATION, UNSUITABLE_ACCOMMODATION
from opencsc.careleavers.models import (
    AdviserAllocation,
    CareLeaver,
    Contact,
    EligibilityDecision,
    PathwayPlan,
    PathwayPlanReview,
)
from opencsc.casework.models import Allocation
from opencsc.people.models import Child

from ..context import GenerationContext, bulk_create, historical_timestamps

IN_TOUCH_RATE = 0.9
EET_RATE = {"17-18": 0.66, "19-21": 0.55, "22-25": 0.5}
SUITABLE_RATE = 0.88
STAYING_PUT_RATE = 0.25  # of those who were 18 to 20
LATE_REVIEW_RATE = 0.15
DRIFT_RATE = 0.08  # reviews stopped: overdue now
NEEDS_ASSESSMENT_DONE = 0.8
HISTORY_DAYS = 730  # pathway plans and contact over at most the last two years
# Codes drawn from the OC3 lists (weights are this generator's, the codes are the code book's).
EET_WEIGHTS = {"F1": 8, "P1": 1, "F2": 30, "P2": 4, "F4": 25, "P4": 14, "F5": 7, "P5": 2}
NEET_WEIGHTS = {"G4": 25, "G5": 60, "G6": 15}
SUITABLE_WEIGHTS = {"U1": 30, "D1": 20, "E1": 8, "B1": 12, "K1": 4, "T1": 5, "C1": 3, "Y1": 3, "R1": 0, "Z1": 0}
UNSUITABLE_WEIGHTS = {"S2": 25, "W2": 15, "V2": 15, "X2": 20, "U2": 15, "D2": 10}
NOT_IN_TOUCH = {"NO": 55, "REFU": 30, "NREQ": 15}
PA_COUNT = 10

VIEWS = (
    "I want to stay near my friends and finish my course.",
    "I'd like my own flat, but not yet. I want to learn to cook and manage money first.",
    "I want to get a job in a garage and learn to drive.",
    "I want to see my little brother more often.",
    "I'm worried about money and about being on my own.",
)
NEEDS = (
    "Accommodation: stay in supported lodgings until ready to bid for a flat. Education: support with the college "
    "application. Money: setting up a bank account and a budget.",
    "Health: register with a GP and dentist near the flat. Education, employment or training: apprenticeship "
    "applications with the PA. Relationships: contact with brother arranged monthly.",
    "Practical skills: cooking and budgeting sessions with the key worker. Identity: passport and national "
    "insurance number applied for.",
)
CONTINGENCY = (
    "If the placement breaks down, supported lodgings with a known provider; the PA to be told the same day.",
    "If the tenancy is at risk, the PA arranges an urgent meeting with housing and the landlord.",
    "If the young person loses touch, the PA contacts friends and the college, and visits within a week.",
)
REVIEW_CHANGES = (
    "Settled in the flat. Still on the course; attendance good.",
    "Left college; now looking for work with support from the job centre.",
    "Money worries: a budgeting plan agreed and a grant for furniture.",
    "No change. Wants to move nearer work in the spring.",
)


def _weighted(rng, weights: dict[str, int], allowed) -> str:
    codes = [c for c in weights if c in allowed and weights[c]]
    return rng.choices(codes, weights=[weights[c] for c in codes])[0]


def _advisers(ctx: GenerationContext) -> list:
    advisers = list(User.objects.filter(role=Role.PERSONAL_ADVISER, is_active=True).order_by("pk"))
    if advisers:
        return advisers
    fake = ctx.faker("careleavers-staff")
    team = Team.objects.filter(kind=TeamKind.CARE_LEAVERS).first() or Team.objects.create(
        name="Care leavers team", kind=TeamKind.CARE_LEAVERS)
    made = [User(username=f"pa{i + 1}", first_name=fake.first_name(), last_name=fake.last_name(),
                 role=Role.PERSONAL_ADVISER, team=team) for i in range(PA_COUNT)]
    for user in made:
        user.set_unusable_password()
    return bulk_create(User, made, ctx, key="personal advisers")


def _periods_of_care(child_ids: set[int]) -> dict[int, list]:
    """Periods of care from the care step, if it ran (one query)."""
    try:
        model = apps.get_model("care", "PeriodOfCare")
    except LookupError:
        return {}
    periods: dict[int, list] = defaultdict(list)
    for child_id, start, end in model.objects.values_list("child_id", "start_date", "end_date").iterator():
        if child_id in child_ids:
            periods[child_id].append((start, end))
    return periods


def _young_people(ctx: GenerationContext):
    """(child id, date of birth, category, decided on) for every young person with support now."""
    today = ctx.today
    plans = {c.pk: c for c in ctx.children if c.pk and c.date_of_birth
             and (c.is_care_leaver or (c.service == "in_care" and c.is_open))}
    aged = Child.objects.filter(merged_into__isnull=True, date_of_birth__gt=rules.birthday(today, -25),
                                date_of_birth__lte=rules.birthday(today, -16))
    rows = [(pk, dob) for pk, dob in aged.order_by("pk").values_list("pk", "date_of_birth") if pk in plans]
    periods = _periods_of_care({pk for pk, _ in rows})
    out = []
    for pk, dob in rows:
        if dob is None:
            continue
        age = rules.age_on(dob, today)
        if age < 16 or age >= rules.SUPPORT_EXTENDS_TO:
            continue
        own = periods.get(pk)
        if own:
            category = rules.suggested_category(dob, own, today)
            if category is None:
                continue
            start = rules.eligible_from(dob, own, today) or max(rules.birthday(dob, 16), max(e or s for s, e in own))
        elif plans[pk].is_care_leaver:
            category = rules.FORMER_RELEVANT if age >= 18 else rules.RELEVANT
            start = rules.birthday(dob, 16)
        else:
            category = rules.ELIGIBLE
            start = max(rules.birthday(dob, 16), plans[pk].known_from or today)
        if category == rules.FORMER_RELEVANT:
            start = max(start, rules.birthday(dob, 18))
        out.append((pk, dob, age, category, min(start, today)))
    return out


def generate_careleavers(ctx: GenerationContext) -> None:
    rng = ctx.rng("careleavers")
    fake = ctx.faker("careleavers")
    today = ctx.today
    young_people = _young_people(ctx)
    if not young_people:
        return
    advisers = _advisers(ctx)
    by_pk = {a.pk: a for a in advisers}
    held = dict(Allocation.objects.filter(end_date__isnull=True, worker__role=Role.PERSONAL_ADVISER)
                .values_list("child_id", "worker_id"))
    care_leavers, decisions, allocations, plans, contacts = [], [], [], [], []
    plan_reviews: list[tuple[int, list]] = []
    for pk, dob, age, category, decided_on in young_people:
        adviser = by_pk.get(held.get(pk)) or rng.choice(advisers)
        group = rules.age_group(age) or "17-18"
        support_to_25 = in_education = False
        if age >= 21:
            in_education = rng.random() < 0.3
            support_to_25 = not in_education
        staying_put_start = staying_put_end = None
        carer = ""
        eighteen = rules.birthday(dob, 18)
        if 18 <= age <= 20 and rng.random() < STAYING_PUT_RATE:
            staying_put_start = eighteen
            carer = f"{fake.first_name()} and {fake.first_name()} {fake.last_name()}"
            if rng.random() < 0.3:
                staying_put_end = min(today, eighteen + dt.timedelta(days=rng.randint(120, 900)))
        # The young person's situation, fairly stable from one contact to the next.
        eet = rng.random() < EET_RATE[group]
        activity = _weighted(rng, EET_WEIGHTS, EET_CODES) if eet else _weighted(rng, NEET_WEIGHTS, NEET_CODES)
        suitable = rng.random() < SUITABLE_RATE
        accommodation = (_weighted(rng, SUITABLE_WEIGHTS, SUITABLE_ACCOMMODATION) if suitable
                         else _weighted(rng, UNSUITABLE_WEIGHTS, UNSUITABLE_ACCOMMODATION))
        bursary = None
        if activity in ("F1", "P1") and age >= 18:
            bursary = max(eighteen, today - dt.timedelta(days=rng.randint(30, 700)))
        care_leavers.append(CareLeaver(
            child_id=pk, support_to_25=support_to_25, in_education=in_education,
            staying_put_start=staying_put_start, staying_put_end=staying_put_end, staying_put_carer=carer,
            bursary_awarded_on=bursary, created_by=adviser, created_at=ctx.at(decided_on),
        ))
        decisions.append(EligibilityDecision(
            child_id=pk, category=category, decided_on=decided_on, suggested_category=category,
            reason="Periods of care checked against the 13-week rule.", created_by=adviser,
            created_at=ctx.at(decided_on),
        ))
        allocated_on = max(decided_on, today - dt.timedelta(days=rng.randint(30, 900)))
        allocations.append(AdviserAllocation(child_id=pk, adviser=adviser, start_date=allocated_on,
                                             created_by=adviser, created_at=ctx.at(allocated_on)))
        # Pathway plan: written within weeks of the decision (a new one within the last two years).
        plan_day = min(today, max(decided_on, today - dt.timedelta(days=HISTORY_DAYS))
                       + dt.timedelta(days=rng.randint(7, 60)))
        assessed = None
        if category == rules.ELIGIBLE:
            if rng.random() < NEEDS_ASSESSMENT_DONE:
                assessed = min(plan_day, decided_on + dt.timedelta(days=rng.randint(20, 110)))
            else:
                plan_day = None  # the needs assessment and plan are still to do
        if plan_day is not None:
            if assessed and assessed > plan_day:
                assessed = plan_day
            plans.append(PathwayPlan(
                child_id=pk, start_date=plan_day, needs_assessed_on=assessed, young_persons_views=rng.choice(VIEWS),
                needs=rng.choice(NEEDS), contingency=rng.choice(CONTINGENCY), created_by=adviser,
                created_at=ctx.at(plan_day),
            ))
            reviews = []
            day = plan_day
            drifting = rng.random() < DRIFT_RATE
            while True:
                late = rng.random() < LATE_REVIEW_RATE
                day = day + dt.timedelta(days=rng.randint(190, 260) if late else rng.randint(140, 180))
                if day > today or (drifting and day > today - dt.timedelta(days=200)):
                    break
                reviews.append(day)
            plan_reviews.append((len(plans) - 1, [(d, adviser) for d in reviews]))
        # Contact: every two or three months, and around each birthday from 17 to 21.
        days = set()
        day = max(decided_on, today - dt.timedelta(days=HISTORY_DAYS))
        while True:
            day += dt.timedelta(days=rng.randint(45, 100))
            if day > today:
                break
            days.add(day)
        for birthday_age in range(17, 22):
            birthday = rules.birthday(dob, birthday_age)
            near = birthday + dt.timedelta(days=rng.randint(-80, 25))
            if decided_on <= near <= today and near >= today - dt.timedelta(days=HISTORY_DAYS):
                days.add(near)
        for day in sorted(days):
            if rng.random() < 0.2:  # things change
                activity = (_weighted(rng, EET_WEIGHTS, EET_CODES) if rng.random() < EET_RATE[group]
                            else _weighted(rng, NEET_WEIGHTS, NEET_CODES))
            staying = staying_put_start and staying_put_start <= day and not (
                staying_put_end and staying_put_end < day)
            if rng.random() < IN_TOUCH_RATE:
                contacts.append(Contact(
                    child_id=pk, contact_date=day, in_touch="YES",
                    method=rng.choices(("visit", "phone", "message"), weights=(60, 30, 10))[0],
                    activity=activity, accommodation="Z1" if staying else accommodation, created_by=adviser,
                    created_at=ctx.at(day, 15),
                ))
            else:
                contacts.append(Contact(
                    child_id=pk, contact_date=day, in_touch=_weighted(rng, NOT_IN_TOUCH, NOT_IN_TOUCH),
                    method="none", activity="0", accommodation="0", created_by=adviser, created_at=ctx.at(day, 15),
                ))
    with historical_timestamps(CareLeaver, "created_at"):
        bulk_create(CareLeaver, care_leavers, ctx, key="care leavers")
    with historical_timestamps(EligibilityDecision, "created_at"):
        bulk_create(EligibilityDecision, decisions, ctx, key="leaving care decisions")
    with historical_timestamps(AdviserAllocation, "created_at"):
        bulk_create(AdviserAllocation, allocations, ctx, key="personal adviser allocations")
    with historical_timestamps(PathwayPlan, "created_at"):
        saved = bulk_create(PathwayPlan, plans, ctx, key="pathway plans")
    reviews = [
        PathwayPlanReview(plan=saved[index], reviewed_on=day, young_persons_views=rng.choice(VIEWS),
                          changes=rng.choice(REVIEW_CHANGES), created_by=adviser, created_at=ctx.at(day))
        for index, days in plan_reviews for day, adviser in days
    ]
    with historical_timestamps(PathwayPlanReview, "created_at"):
        bulk_create(PathwayPlanReview, reviews, ctx, key="pathway plan reviews")
    with historical_timestamps(Contact, "created_at"):
        bulk_create(Contact, contacts, ctx, key="care leaver contacts")
