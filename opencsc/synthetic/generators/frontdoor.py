"""Contacts at the front door, MASH screening and decisions, police domestic abuse notifications with
Operation Encompass, and information requests to partner agencies.

Rates: an authority of Hounslow's size receives about 11,000 contacts a year, about a quarter of
which become referrals; police make about a third of contacts, half of them domestic abuse
notifications; about 85% of contacts are decided within 1 working day; most partner agencies answer
in time, some late. Each episode of need referred in the last year (read from the database, as the
assessment step made it) gets the contact that led to it, received shortly before the referral date.
"""

from __future__ import annotations

import datetime as dt
import random

from opencsc.accounts.models import User
from opencsc.accounts.roles import Agency, Role, TeamKind
from opencsc.assessment.models import CINEpisode
from opencsc.frontdoor import rules
from opencsc.frontdoor.models import (
    Contact,
    ContactChild,
    DomesticAbuseNotification,
    EncompassNotice,
    InformationRequest,
)
from opencsc.people.models import Child
from opencsc.timescales.core import WorkingDayCalendar

from ..context import GenerationContext, bulk_create, eighteenth, historical_timestamps

CONTACTS_A_YEAR = 11_000
DAYS = 365
ON_TIME_RATE = 0.85
REFERRAL_SHARE = 0.25
SIBLING_RATE = 0.18
DA_RATE_OF_POLICE = 0.5
ENCOMPASS_TOLD_RATE = 0.9
REQUEST_RATE = 0.6
ANSWER_LATE_RATE = 0.12
OTHER_OUTCOMES = {"nfa": 30, "advice": 35, "early_help": 35}
SOURCES = {"6": 32, "2A": 18, "1A": 4, "1B": 3, "1C": 2, "1D": 1, "3A": 4, "3B": 2, "3E": 2, "3F": 2, "4": 3,
           "5A": 3, "5B": 2, "5C": 3, "5D": 2, "7": 4, "8": 7, "9": 2, "10": 4}
SOURCE_AGENCY = {"6": "police", "2A": "education", "1A": "health", "1B": "health", "1C": "health",
                 "1D": "health", "3A": "health", "3B": "health", "4": "housing", "10": "probation"}
CONCERNS = (
    "{name} came to school with a bruise on the cheek and said they did not want to go home.",
    "Neighbour reports shouting late at night and {name} left alone for long periods.",
    "Police attended a domestic incident; {name} was in the home and saw the argument.",
    "Health visitor worried about weight loss and missed appointments for {name}.",
    "{name} disclosed to a teacher that mum's boyfriend hits her.",
    "Anonymous caller says {name} is often hungry and dirty, and the home smells of cannabis.",
    "GP concerned about mother's mental health and how she is caring for {name}.",
    "{name} missing from home overnight; returned by police, would not say where they had been.",
    "Housing officer found the flat in a poor state with no food; {name} lives there with dad.",
)
PREBIRTH_CONCERNS = (
    "Midwife worried about the mother's drug use in pregnancy and late booking; an older child was removed.",
    "GP concerned about domestic abuse disclosed at the antenatal appointment; the baby is due in weeks.",
    "Midwife reports the expectant mother has no fixed address and has missed scans.",
)
RATIONALES = {
    "nfa": "Needs met by universal services; no role for children's services.",
    "advice": "Information and advice given to the referrer; no further role for children's services.",
    "early_help": "Needs are additional but not complex: step down to early help with consent.",
    "referral": "Threshold for a child and family assessment met: refer to children's social care.",
    "strategy": "Reasonable cause to suspect significant harm: strategy discussion needed.",
}
LEVEL = {"nfa": "1", "advice": "1", "early_help": "2", "referral": "3", "strategy": "4"}
QUESTIONS = {
    "police": "Any police involvement with the household, including domestic incidents and warnings?",
    "health": "Is the child registered with a GP and up to date with health checks? Any health concerns?",
    "education": "Attendance, presentation and any safeguarding concerns at school?",
    "probation": "Is any adult in the household known to probation? Any risk to children?",
    "housing": "Tenancy status, any reports of antisocial behaviour or housing concerns?",
}
ANSWERS = (
    "No information held.",
    "Known to us: two incidents recorded in the last 12 months, details attached to the MASH record.",
    "Attendance 82% this term; child appears tired and hungry on Mondays.",
    "Registered with a GP; missed two appointments; no other concerns.",
    "Adult in the household is on licence; risk to children assessed as medium.",
)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _moment(ctx, rng, day: dt.date, out_of_hours: bool) -> dt.datetime:
    hour = rng.choice([0, 1, 2, 6, 7, 18, 19, 20, 21, 22, 23]) if out_of_hours else rng.randint(9, 16)
    return ctx.at(day, hour, rng.randrange(0, 60, 5))


def generate_frontdoor(ctx: GenerationContext) -> None:
    rng = ctx.rng("frontdoor")
    fake = ctx.faker("frontdoor")
    cal = WorkingDayCalendar()
    today = ctx.today
    now = ctx.at(today, 12)
    mash = list(User.objects.filter(role=Role.MASH_PRACTITIONER))
    managers = list(User.objects.filter(role=Role.TEAM_MANAGER, team__kind=TeamKind.MASH)) or list(
        User.objects.filter(role=Role.TEAM_MANAGER)[:3])
    if not mash or not managers:
        return
    partners = {agency: list(User.objects.filter(role=Role.PARTNER, agency=agency)) for agency in Agency.values}
    start = today - dt.timedelta(days=DAYS)
    referrers = [fake.name() for _ in range(ctx.scaled(400, minimum=20))]
    children = list(Child.objects.filter(merged_into__isnull=True, date_of_birth__isnull=False).values_list(
        "pk", "first_name", "date_of_birth", "school_name"))
    if not children:
        return
    by_pk = {c[0]: c for c in children}
    # Contacts are about children: those born before the year of contacts who were under 18 for some of it
    # (a contact names no one on or after their 18th birthday: Annex A List 1 is children only).
    pool = [c for c in children if c[2] < start and eighteenth(c[2]) > start]
    household = {plan.pk: plan.household for plan in ctx.children if plan.pk}
    members: dict[int, list[int]] = {}
    for pk, house in household.items():
        if pk in by_pk:
            members.setdefault(house, []).append(pk)

    # (contact, [child ids], episode ids by child, outcome)
    plans: list[tuple[Contact, list[int], dict[int, int]]] = []

    def contact_row(day, names, outcome, source=None, decided_on=None):
        source = source or _weighted(rng, SOURCES)
        ooh = rng.random() < (0.45 if source == "6" else 0.12)
        received = _moment(ctx, rng, day, ooh)
        if received > now:
            received = now - dt.timedelta(hours=rng.randint(1, 3))
        first = by_pk[names[0]][1] or "the baby"
        contact = Contact(
            received_at=received, out_of_hours=rules.is_out_of_hours(received), referrer_name=rng.choice(referrers),
            referrer_agency=SOURCE_AGENCY.get(source, ""), referral_source=source,
            referrer_role={"6": "Police constable", "2A": "Designated safeguarding lead"}.get(source, ""),
            concerns=rng.choice(CONCERNS).format(name=first), created_by=rng.choice(mash),
        )
        recent = (now - received).days < 2
        if decided_on is None and not (recent and rng.random() < 0.7):
            late = rng.random() > ON_TIME_RATE
            decided_on = cal.add_working_days(received.date(), rng.randint(2, 4) if late else rng.randint(0, 1))
        if decided_on is not None and decided_on <= today:
            decided_at = ctx.at(decided_on, rng.randint(9, 16), rng.randrange(0, 60, 5))
            if decided_at <= received:  # decided the same day, before midnight
                decided_at = received + (ctx.at(decided_on, 23, 59) - received) / 2
            screened_at = received + (decided_at - received) * rng.uniform(0.2, 0.8)
            if decided_at > now:
                decided_at = screened_at = None
        else:
            decided_at = None
            screened_at = received + dt.timedelta(hours=1) if rng.random() < 0.5 else None
            if screened_at and screened_at > now:
                screened_at = None
        if screened_at:
            contact.level_of_need = LEVEL[outcome]
            contact.screening_rationale = RATIONALES[outcome]
            contact.screened_by = rng.choice(mash)
            contact.screened_at = screened_at
        if decided_at:
            contact.outcome = outcome
            contact.decision_rationale = RATIONALES[outcome]
            contact.decided_by = rng.choice(managers)
            contact.decided_at = decided_at
        contact.created_at = received
        return contact

    # Contacts that became the referrals the assessment step recorded in the last year.
    episodes = CINEpisode.objects.filter(referral_date__gt=start, referral_date__lte=today,
                                         child_id__in=by_pk.keys()).values_list("pk", "child_id", "referral_date",
                                                                                 "referral_source")
    referral_count = 0
    for episode_id, child_id, referral_date, source in episodes:
        received_on = max(cal.add_working_days(referral_date, -rng.choice([0, 0, 1, 1, 2])), start)
        if received_on >= eighteenth(by_pk[child_id][2]):
            continue
        outcome = "strategy" if rng.random() < 0.2 else "referral"
        contact = contact_row(received_on, [child_id], outcome, source=source if source in SOURCES else None,
                              decided_on=referral_date)
        plans.append((contact, [child_id], {child_id: episode_id}))
        referral_count += 1

    # Contacts about children whose episode is already open: referred on to the allocated team.
    total = ctx.scaled(CONTACTS_A_YEAR)
    open_during = list(CINEpisode.objects.filter(referral_date__lt=today, child_id__in=by_pk.keys()).exclude(
        closure_date__lte=start).values_list("pk", "child_id", "referral_date", "closure_date"))
    for _ in range(max(0, round(REFERRAL_SHARE * total) - referral_count) if open_during else 0):
        episode_id, child_id, referral_date, closure_date = rng.choice(open_during)
        first_day, last_day = max(referral_date + dt.timedelta(days=1), start), min(closure_date or today, today)
        last_day = min(last_day, eighteenth(by_pk[child_id][2]) - dt.timedelta(days=1))
        if last_day < first_day:
            continue
        day = first_day + dt.timedelta(days=rng.randrange((last_day - first_day).days + 1))
        contact = contact_row(day, [child_id], "referral")
        plans.append((contact, [child_id], {child_id: episode_id}))

    for _ in range(max(0, total - len(plans)) if pool else 0):
        child = rng.choice(pool)
        named = [child[0]]
        house = members.get(household.get(child[0]), [])
        if len(house) > 1 and rng.random() < SIBLING_RATE:
            named += [pk for pk in house if pk != child[0] and by_pk[pk][2] < start][:2]
        day = start + dt.timedelta(days=rng.randrange(DAYS + 1))
        if day >= eighteenth(child[2]):  # the contact came before the 18th birthday
            day = start + dt.timedelta(days=rng.randrange((eighteenth(child[2]) - start).days))
        named = [pk for pk in named if by_pk[pk][2] < day < eighteenth(by_pk[pk][2])]
        plans.append((contact_row(day, named, _weighted(rng, OTHER_OUTCOMES)), named, {}))

    # Unborn children: a midwife's or GP's worry before the birth, about the time the case became known.
    unborn = {c.pk: c for c in ctx.children if c.pk and c.expected_date_of_birth and c.date_of_birth is None}
    for pk, first in Child.objects.filter(pk__in=list(unborn), merged_into__isnull=True).values_list(
            "pk", "first_name"):
        day = min(max(unborn[pk].known_from or today, start), today)
        by_pk[pk] = (pk, first, None, "")
        contact = contact_row(day, [pk], "referral", source=rng.choice(("1A", "1D")))
        contact.concerns = rng.choice(PREBIRTH_CONCERNS)
        plans.append((contact, [pk], {}))

    with historical_timestamps(Contact, "created_at"):
        contacts = bulk_create(Contact, [p[0] for p in plans], ctx, key="contacts")
    links = [ContactChild(contact=contact, child_id=pk, episode_id=episodes_by.get(pk))
             for contact, (_, named, episodes_by) in zip(contacts, plans, strict=True) for pk in named]
    bulk_create(ContactChild, links, ctx, key="children named in contacts")

    # Domestic abuse notifications from the police, and the schools told (Operation Encompass).
    notifications, notified_children = [], []
    for contact, (_, named, _) in zip(contacts, plans, strict=True):
        if contact.referral_source != "6" or rng.random() > DA_RATE_OF_POLICE:
            continue
        notifications.append(DomesticAbuseNotification(
            contact=contact, incident_at=contact.received_at - dt.timedelta(hours=rng.randint(2, 30)),
            police_reference=f"CAD{rng.randint(100000, 999999)}",
            risk_level=rng.choices(["standard", "medium", "high"], weights=[60, 30, 10])[0],
            children_present=rng.random() < 0.6, created_by=contact.created_by, created_at=contact.received_at,
        ))
        notified_children.append(named)
    with historical_timestamps(DomesticAbuseNotification, "created_at"):
        notifications = bulk_create(DomesticAbuseNotification, notifications, ctx,
                                    key="domestic abuse notifications")
    notices = []
    for notification, named in zip(notifications, notified_children, strict=True):
        for pk in named:
            _, _, born, school = by_pk[pk]
            age = (notification.incident_at.date() - born).days // 365
            if not 4 <= age <= 16 or rng.random() > ENCOMPASS_TOLD_RATE:
                continue
            told = ctx.at(cal.add_working_days(notification.incident_at.date(), 1), 8, rng.randrange(0, 60, 5))
            if told > now:
                continue
            notices.append(EncompassNotice(notification=notification, child_id=pk,
                                           school_name=school or "Local primary school", told_at=told,
                                           told_by=notification.created_by, created_at=told))
    with historical_timestamps(EncompassNotice, "created_at"):
        bulk_create(EncompassNotice, notices, ctx, key="Operation Encompass notices")

    # Information requests to partners while the MASH screens.
    requests = []
    for contact in contacts:
        if rng.random() > REQUEST_RATE:
            continue
        asked = contact.received_at + dt.timedelta(minutes=rng.randint(20, 120))
        if asked > now:
            continue
        for agency in rng.sample(list(QUESTIONS), rng.choice([1, 1, 2, 3])):
            rag = rng.choices(["red", "amber", "green"], weights=[15, 50, 35])[0]
            due = rules.request_due(asked, rag)
            answered = None
            if contact.decided_at or rng.random() < 0.4:
                late = rng.random() < ANSWER_LATE_RATE
                span = (due - asked).total_seconds()
                answered = asked + dt.timedelta(seconds=span * (rng.uniform(1.05, 2.5) if late else rng.uniform(0.1, 0.95)))
                if contact.decided_at and not late:
                    answered = min(answered, contact.decided_at)
                if answered > now:
                    answered = None
            people = partners.get(agency) or [None]
            requests.append(InformationRequest(
                contact=contact, agency=agency, rag=rag, question=QUESTIONS[agency], requested_at=asked, due_at=due,
                requested_by=contact.screened_by or contact.created_by,
                response=rng.choice(ANSWERS) if answered else "", responded_at=answered,
                responded_by=rng.choice(people) if answered else None,
            ))
    bulk_create(InformationRequest, requests, ctx, key="information requests")
