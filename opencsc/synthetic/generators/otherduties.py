"""Private fostering, LADO allegations and care proceedings, over the last two years.

At Hounslow's size: about 20 private fostering arrangements known in two years, a dozen still
open, visited within 7 working days and then every 6 weeks (some visits late); about 150
allegations against people who work with children a year, most reported to the LADO within
one working day, with the national spread of outcomes; about 40 sets of care proceedings open,
a quarter past 26 weeks (most of those extended), and more decided in the last two years.

Children in proceedings are read from the care step's periods of care (care.PeriodOfCare) when
there are any, otherwise from the children the people step placed in care or on a plan.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from opencsc.accounts.models import User
from opencsc.accounts.roles import CASEWORK_ROLES, MANAGER_ROLES
from opencsc.care.models import PeriodOfCare
from opencsc.otherduties.models import (
    CareProceedings,
    Extension,
    Hearing,
    LadoAllegation,
    LadoMeeting,
    PrivateFostering,
    PrivateFosteringVisit,
)
from opencsc.people.models import Child
from opencsc.timescales.core.calendar import WorkingDayCalendar

from ..context import GenerationContext, bulk_create, historical_timestamps

LOOKBACK_DAYS = 730
PRIVATE_FOSTERING = 20
PRIVATE_FOSTERING_OPEN = 12
LADO_PER_YEAR = 150
OPEN_PROCEEDINGS = 40
DECIDED_PROCEEDINGS = 70  # final orders in the last two years
LATE_VISIT_RATE = 0.15
COURTS = ("West London Family Court", "Central Family Court", "East London Family Court")
CARERS = ("Family friend", "Great-aunt", "Cousin", "Friend's parent", "Host family (language school)")
LADO_ROLES_BY_AGENCY = {
    LadoAllegation.Agency.EDUCATION: ("Teacher", "Teaching assistant", "Lunchtime supervisor"),
    LadoAllegation.Agency.EARLY_YEARS: ("Nursery practitioner", "Childminder"),
    LadoAllegation.Agency.HEALTH: ("Nurse", "Healthcare assistant"),
    LadoAllegation.Agency.POLICE: ("Police constable",),
    LadoAllegation.Agency.SOCIAL_CARE: ("Social worker", "Family support worker"),
    LadoAllegation.Agency.FOSTER_CARER: ("Foster carer",),
    LadoAllegation.Agency.RESIDENTIAL: ("Residential support worker",),
    LadoAllegation.Agency.FAITH: ("Youth leader", "Madrassa teacher", "Sunday school volunteer"),
    LadoAllegation.Agency.SPORT: ("Football coach", "Swimming instructor"),
    LadoAllegation.Agency.TRANSPORT: ("School taxi driver",),
}
AGENCY_WEIGHTS = {LadoAllegation.Agency.EDUCATION: 40, LadoAllegation.Agency.EARLY_YEARS: 8,
                  LadoAllegation.Agency.HEALTH: 6, LadoAllegation.Agency.POLICE: 3,
                  LadoAllegation.Agency.SOCIAL_CARE: 5, LadoAllegation.Agency.FOSTER_CARER: 12,
                  LadoAllegation.Agency.RESIDENTIAL: 10, LadoAllegation.Agency.FAITH: 5,
                  LadoAllegation.Agency.SPORT: 7, LadoAllegation.Agency.TRANSPORT: 4}
OUTCOME_WEIGHTS = {LadoAllegation.Outcome.SUBSTANTIATED: 30, LadoAllegation.Outcome.UNSUBSTANTIATED: 30,
                   LadoAllegation.Outcome.UNFOUNDED: 20, LadoAllegation.Outcome.FALSE: 15,
                   LadoAllegation.Outcome.MALICIOUS: 5}
ALLEGATIONS = ("A pupil said they were grabbed by the arm and pushed against a wall.",
               "Inappropriate messages to a young person on social media.",
               "A child in placement said the carer hit them with a slipper.",
               "Shouting and swearing at children; a parent complained.",
               "Arrested for an offence unrelated to work that suggests a risk to children.")
FINAL_ORDERS = {CareProceedings.FinalOrder.CARE: 45, CareProceedings.FinalOrder.PLACEMENT: 12,
                CareProceedings.FinalOrder.SGO: 18, CareProceedings.FinalOrder.SUPERVISION: 12,
                CareProceedings.FinalOrder.CHILD_ARRANGEMENTS: 8, CareProceedings.FinalOrder.NO_ORDER: 3,
                CareProceedings.FinalOrder.WITHDRAWN: 2}


def _weighted(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate_otherduties(ctx: GenerationContext) -> None:
    rng = ctx.rng("otherduties")
    staff = list(User.objects.filter(role__in=list(CASEWORK_ROLES), is_active=True).order_by("pk"))
    managers = [u for u in staff if u.role in MANAGER_ROLES] or staff
    if not staff:
        return
    cal = WorkingDayCalendar()
    children = list(Child.objects.filter(date_of_birth__isnull=False).values_list("pk", "date_of_birth")
                    .order_by("pk"))
    if not children:
        return
    in_care = _in_care(ctx)
    fake = ctx.faker("otherduties")
    _private_fostering(ctx, rng, fake, cal, staff, children, in_care)
    _lado(ctx, rng, fake, cal, managers, [pk for pk, _ in children])
    _proceedings(ctx, rng, staff, children, in_care)


def _in_care(ctx) -> dict[int, dt.date]:
    """Looked-after children and when their current (or latest) period of care started."""
    found: dict[int, dt.date] = {}
    window = ctx.today - dt.timedelta(days=LOOKBACK_DAYS)
    recent = PeriodOfCare.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=window))
    for child_id, start in recent.values_list("child_id", "start_date").order_by("start_date", "id"):
        found[child_id] = start
    if not found:
        found = {c.pk: c.known_from or window for c in ctx.children
                 if c.service in ("in_care", "child_protection") and c.pk}
    return found


def _age(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _private_fostering(ctx, rng, fake, cal, staff, children, in_care) -> None:
    candidates = [(pk, born) for pk, born in children
                  if pk not in in_care and 4 <= _age(born, ctx.today) <= 14]
    chosen = rng.sample(candidates, min(len(candidates), ctx.scaled(PRIVATE_FOSTERING)))
    arrangements = []
    for number, (child_id, _born) in enumerate(chosen):
        notified = ctx.today - dt.timedelta(days=rng.randint(10, LOOKBACK_DAYS))
        ended = None
        if number >= ctx.scaled(PRIVATE_FOSTERING_OPEN):
            ended = min(notified + dt.timedelta(days=rng.randint(30, 400)), ctx.today - dt.timedelta(days=1))
        outcome = rng.choices([PrivateFostering.Outcome.SUITABLE, PrivateFostering.Outcome.SUITABLE_WITH_CONDITIONS,
                               PrivateFostering.Outcome.PENDING, PrivateFostering.Outcome.NOT_SUITABLE],
                              weights=[60, 20, 15, 5])[0]
        arrangements.append(PrivateFostering(
            child_id=child_id, notified_on=notified,
            arrangement_start=notified - dt.timedelta(days=rng.randint(0, 60)),
            carer_name=fake.name(), carer_relationship=rng.choice(CARERS), carer_address="",
            parents_consent=rng.random() < 0.9, outcome=outcome,
            suitability="" if outcome == PrivateFostering.Outcome.PENDING else
            "Home checked; carer's DBS clear; the child is settled and attends school.",
            ended_on=ended, end_reason=rng.choice(["returned_home", "moved", "age"]) if ended else "",
            created_by=rng.choice(staff), created_at=ctx.at(notified, 11),
        ))
    with historical_timestamps(PrivateFostering, "created_at"):
        arrangements = bulk_create(PrivateFostering, arrangements, ctx, "private fostering arrangements")
    visits = []
    for arrangement in arrangements:
        stop = arrangement.ended_on or ctx.today
        day = cal.add_working_days(arrangement.notified_on, rng.randint(2, 7))
        if rng.random() < LATE_VISIT_RATE:
            day = cal.add_working_days(day, rng.randint(3, 10))
        while day <= stop and day <= ctx.today:
            seen = rng.random() < 0.95
            visits.append(PrivateFosteringVisit(
                arrangement=arrangement, visited_on=day, child_seen=seen, child_seen_alone=seen and rng.random() < 0.7,
                notes="Visited the carer's home; the child's room and routines checked.",
                created_by=arrangement.created_by, created_at=ctx.at(day, 16),
            ))
            first_year = (day - arrangement.notified_on).days < 365
            gap = rng.randint(35, 42) if first_year else rng.randint(75, 84)
            if rng.random() < LATE_VISIT_RATE:
                gap += rng.randint(7, 30)
            day += dt.timedelta(days=gap)
    with historical_timestamps(PrivateFosteringVisit, "created_at"):
        bulk_create(PrivateFosteringVisit, visits, ctx, "private fostering visits")


def _lado(ctx, rng, fake, cal, managers, child_ids) -> None:
    total = ctx.scaled(LADO_PER_YEAR * LOOKBACK_DAYS / 365)
    allegations, links = [], []
    for _ in range(total):
        received = ctx.today - dt.timedelta(days=rng.randint(0, LOOKBACK_DAYS))
        roll = rng.random()
        if roll < 0.75:
            informed = cal.add_working_days(received, rng.choice((0, 1)))
        elif roll < 0.97:
            informed = cal.add_working_days(received, rng.randint(2, 8))
        else:
            informed = None
        if informed is not None and informed > ctx.today:
            informed = None
        agency = _weighted(rng, AGENCY_WEIGHTS)
        outcome, outcome_on = "", None
        age = (ctx.today - received).days
        if age > 30 and rng.random() < min(0.95, age / 120):
            outcome = _weighted(rng, OUTCOME_WEIGHTS)
            outcome_on = min(received + dt.timedelta(days=rng.randint(14, 120)), ctx.today)
        allegations.append(LadoAllegation(
            received_on=received, lado_informed_on=informed, person_name=fake.name(),
            person_role=rng.choice(LADO_ROLES_BY_AGENCY[agency]), employer=_employer(rng, agency), agency=agency,
            allegation=rng.choice(ALLEGATIONS), outcome=outcome, outcome_on=outcome_on,
            outcome_summary="Outcome shared with the employer; safeguarding training and a risk assessment."
            if outcome else "", created_by=rng.choice(managers), created_at=ctx.at(informed or received, 12),
        ))
    with historical_timestamps(LadoAllegation, "created_at"):
        allegations = bulk_create(LadoAllegation, allegations, ctx, "LADO allegations")
    meetings = []
    Link = LadoAllegation.children.through  # noqa: N806
    for allegation in allegations:
        if rng.random() < 0.6:
            for child_id in rng.sample(child_ids, min(len(child_ids), rng.choice((1, 1, 2)))):
                links.append(Link(ladoallegation_id=allegation.pk, child_id=child_id))
        if rng.random() < 0.45:
            held = min(cal.add_working_days(allegation.received_on, rng.randint(1, 5)), ctx.today)
            meetings.append(LadoMeeting(
                allegation=allegation, kind=LadoMeeting.Kind.STRATEGY, held_on=held,
                attendees="LADO\nPolice: child abuse investigation team\nEmployer: headteacher or manager",
                decisions="Police to investigate first; employer to consider suspension.",
                recorded_by=allegation.created_by, created_at=ctx.at(held, 15),
            ))
        if allegation.outcome_on and rng.random() < 0.5:
            meetings.append(LadoMeeting(
                allegation=allegation, kind=LadoMeeting.Kind.EVALUATION, held_on=allegation.outcome_on,
                attendees="LADO\nEmployer: HR adviser", decisions="Outcome agreed; employer to complete the actions.",
                recorded_by=allegation.created_by, created_at=ctx.at(allegation.outcome_on, 15),
            ))
    bulk_create(Link, links, ctx, "LADO allegation children")
    with historical_timestamps(LadoMeeting, "created_at"):
        bulk_create(LadoMeeting, meetings, ctx, "LADO meetings")


def _employer(rng, agency) -> str:
    names = {
        LadoAllegation.Agency.EDUCATION: ("Northvale Primary School", "Riverside Academy", "St Anne's High School"),
        LadoAllegation.Agency.FOSTER_CARER: ("The authority's fostering service", "Horizon Fostering Agency"),
        LadoAllegation.Agency.RESIDENTIAL: ("Oakwood Children's Home",),
        LadoAllegation.Agency.SPORT: ("Northvale Juniors FC", "Westside Swimming Club"),
    }
    return rng.choice(names.get(agency, ("Local provider",)))


def _proceedings(ctx, rng, staff, children, in_care) -> None:
    born = dict(children)
    pool = [pk for pk in sorted(in_care) if pk in born and _age(born[pk], ctx.today) < 17]
    rng.shuffle(pool)
    open_count = min(len(pool), ctx.scaled(OPEN_PROCEEDINGS))
    decided_count = min(len(pool) - open_count, ctx.scaled(DECIDED_PROCEEDINGS))
    records = []
    for number, child_id in enumerate(pool[:open_count + decided_count]):
        if number < open_count:
            weeks = rng.choices([rng.randint(1, 20), rng.randint(21, 26), rng.randint(27, 45)],
                                weights=[55, 20, 25])[0]
            issued = ctx.today - dt.timedelta(weeks=weeks, days=rng.randint(0, 6))
            final_on = None
        else:
            issued = ctx.today - dt.timedelta(days=rng.randint(200, LOOKBACK_DAYS))
            final_on = min(issued + dt.timedelta(weeks=rng.randint(18, 40)), ctx.today - dt.timedelta(days=1))
        issued = max(issued, born[child_id])
        if final_on is not None and final_on < issued:
            final_on = issued
        records.append(CareProceedings(
            child_id=child_id, court=rng.choice(COURTS), case_number=f"ZW{issued:%y}C{rng.randint(10000, 99999)}",
            issued_on=issued, final_order=_weighted(rng, FINAL_ORDERS) if final_on else "", final_order_on=final_on,
            created_by=rng.choice(staff), created_at=ctx.at(issued, 10),
        ))
    with historical_timestamps(CareProceedings, "created_at"):
        records = bulk_create(CareProceedings, records, ctx, "care proceedings")
    hearings, extensions = [], []
    for item in records:
        end = item.final_order_on or ctx.today
        steps = [(Hearing.Kind.FIRST, 1, Hearing.InterimOrder.ICO if rng.random() < 0.8 else Hearing.InterimOrder.ISO),
                 (Hearing.Kind.CMH, rng.randint(3, 6), ""), (Hearing.Kind.IRH, rng.randint(16, 20), "")]
        for kind, week, order in steps:
            day = item.issued_on + dt.timedelta(weeks=week, days=rng.randint(0, 4))
            if day <= end and day <= ctx.today:
                hearings.append(Hearing(proceedings=item, kind=kind, held_on=day, interim_order=order,
                                        created_by=item.created_by, created_at=ctx.at(day, 17)))
        if item.final_order_on:
            hearings.append(Hearing(proceedings=item, kind=Hearing.Kind.FINAL, held_on=item.final_order_on,
                                    created_by=item.created_by, created_at=ctx.at(item.final_order_on, 17)))
        past = (end - item.issued_on).days > 26 * 7
        if past and rng.random() < 0.7:
            granted = item.issued_on + dt.timedelta(weeks=rng.randint(20, 26))
            if granted <= end:
                extensions.append(Extension(proceedings=item, granted_on=granted,
                                            reason="Further expert assessment of the parents needed.",
                                            created_by=item.created_by, created_at=ctx.at(granted, 17)))
    with historical_timestamps(Hearing, "created_at"):
        bulk_create(Hearing, hearings, ctx, "court hearings")
    with historical_timestamps(Extension, "created_at"):
        bulk_create(Extension, extensions, ctx, "extensions of proceedings")

