"""Missing episodes, return home interviews, exploitation risk assessments and meetings.

Over the last two years. Looked-after children go missing far more often than others: about
one in ten children in care goes missing in a year, averaging six or more episodes each
(DfE, Children looked after in England); a small share of older children in need or on a plan
go missing from home, usually once or twice. Most episodes start in the evening and last
under a day. Return home interviews are offered for most returns, mostly within 72 hours
but some late, and some are declined. Children who go missing are screened for exploitation;
some reviews are overdue now, as in real life.

Looked-after children are read from the care step's periods of care (care.PeriodOfCare); if
there are none (the care step not run), from the children the people step placed in care.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from opencsc.accounts.models import User
from opencsc.accounts.roles import CASEWORK_ROLES
from opencsc.care.models import PeriodOfCare
from opencsc.casework.models import Meeting, MeetingAttendance
from opencsc.missing.models import (
    ExploitationAssessment,
    ExploitationMeeting,
    MissingEpisode,
    ReturnInterview,
    RiskLevel,
)
from opencsc.people.models import Child

from ..context import GenerationContext, bulk_create, historical_timestamps

LOOKBACK_DAYS = 730
CARE_RATE_PER_YEAR = 0.10  # looked-after children who go missing in a year
CARE_EPISODES = (1, 14)  # episodes a year for a child in care who goes missing (mean about 6)
HOME_SERVICES = ("child_in_need", "child_protection", "early_help")
HOME_RATE = 0.03
MIN_AGE = 10
AWAY_RATE = 0.2  # "away from placement without authorisation", for children in care
EDUCATION_RATE = 0.05
POLICE_RATE = 0.85
RHI_OFFERED_RATE = 0.88
RHI_LATE_RATE = 0.2
RHI_DECLINED_RATE = 0.25
ASSESSED_RATE = 0.7
REVIEW_MONTHS = 3
OVERDUE_REVIEW_RATE = 0.25
MEETING_RATE = 0.5  # of children at medium or high risk
# Hours at which children go missing: mostly afternoon and evening.
HOUR_WEIGHTS = [2, 2, 1, 1, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 4, 6, 8, 9, 9, 9, 8, 7, 5, 3]
FOUND = ("Returned to placement of their own accord", "Found by police at a friend's flat",
         "Returned home late at night", "Found at a train station by British Transport Police",
         "Collected by carer from a fast-food restaurant", "Found in another borough by police")
RISKS = ("Believed to be with older young people; concerns about county lines.",
         "Has been seen getting into cars with unknown adults.", "Phone switched off; no known friends' addresses.",
         "Known to use cannabis; may be at a party.", "May be with a boyfriend much older than them.", "")
INDICATORS = ("New phone, clothes and cash with no explanation.", "Links to older peers known to police.",
              "Found in a trap house during a police visit.", "Sexualised messages from adults on social media.",
              "Going missing more often and for longer.")
DECISIONS = ("Share intelligence with police; disruption notice on the address.",
             "Referral to the National Referral Mechanism; safety plan agreed with carers.",
             "School to monitor attendance daily; youth worker to start sessions.",
             "Review placement stability; consider a move out of the area.")
AGENCIES = (("Police", "Exploitation officer"), ("Education", "Designated safeguarding lead"),
            ("Health", "School nurse"), ("Youth justice", "Case manager"), ("Children's social care", "Social worker"))


def _age(born: dt.date | None, day: dt.date) -> int:
    if born is None:
        return -1
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _care_periods(ctx) -> dict[int, list[tuple[dt.date, dt.date]]]:
    """Each looked-after child's periods of care within the lookback, (from, to)."""
    window = ctx.today - dt.timedelta(days=LOOKBACK_DAYS)
    periods: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    rows = list(PeriodOfCare.objects.values_list("child_id", "start_date", "end_date"))
    if not rows:
        rows = [(c.pk, c.known_from or window, c.closed_on) for c in ctx.children if c.service == "in_care"]
    for child_id, start, end in rows:
        start, end = max(start, window), min(end or ctx.today, ctx.today)
        if start < end:
            periods[child_id].append((start, end))
    return periods


def _duration(rng: random.Random) -> dt.timedelta:
    roll = rng.random()
    if roll < 0.7:
        return dt.timedelta(hours=rng.randint(2, 23), minutes=rng.randint(0, 59))
    if roll < 0.88:
        return dt.timedelta(hours=rng.randint(24, 71))
    if roll < 0.97:
        return dt.timedelta(hours=rng.randint(72, 167))
    return dt.timedelta(days=rng.randint(7, 21))


def _episodes_for(ctx, rng, child_id, spans, count, from_care) -> list[MissingEpisode]:
    """`count` non-overlapping episodes inside `spans` (sorted start times, each after the last return)."""
    moments = []
    for _ in range(count):
        start, end = rng.choice(spans)
        day = start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
        day = min(day, ctx.today - dt.timedelta(days=1))  # nothing starts later than yesterday
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        moments.append((ctx.at(day, hour, rng.randint(0, 59)), end))
    episodes = []
    previous_end = None
    now = ctx.at(ctx.today, 23, 59)
    for started, span_end in sorted(moments):
        if previous_end is not None and started <= previous_end:
            continue
        back_by = ctx.at(span_end - dt.timedelta(days=1), 23, 30) if from_care and span_end < ctx.today else None
        if back_by is not None and started >= back_by:
            continue  # not missing on the day care ended (SSDA903 rule 580 asks then for reason E8)
        ended = started + _duration(rng)
        if back_by is not None:
            ended = min(ended, back_by)  # back before the period of care ended (rule 577)
        if ended > now:
            ended = None  # still missing today
        kind = MissingEpisode.Kind.AWAY if from_care and rng.random() < AWAY_RATE else MissingEpisode.Kind.MISSING
        missing_from = MissingEpisode.MissingFrom.CARE if from_care else MissingEpisode.MissingFrom.HOME
        if rng.random() < EDUCATION_RATE:
            missing_from = MissingEpisode.MissingFrom.EDUCATION
        police = kind == MissingEpisode.Kind.MISSING and rng.random() < POLICE_RATE
        episodes.append(MissingEpisode(
            child_id=child_id, kind=kind, missing_from=missing_from, started_at=started, ended_at=ended,
            reported_to_police=police,
            police_reference=f"MPS/{started:%y}/{rng.randint(10000, 99999)}" if police else "",
            where_found=rng.choice(FOUND) if ended else "", risks=rng.choice(RISKS),
        ))
        if ended is None:
            break
        previous_end = ended
    return episodes


def _interview(ctx, rng, episode: MissingEpisode, staff) -> ReturnInterview | None:
    if episode.ended_at is None or rng.random() >= RHI_OFFERED_RATE:
        return None
    hours = rng.randint(73, 240) if rng.random() < RHI_LATE_RATE else rng.randint(2, 70)
    offered = episode.ended_at + dt.timedelta(hours=hours, minutes=rng.randint(0, 59))
    now = ctx.at(ctx.today, 23, 59)
    if offered > now:
        return None  # not offered yet: due or overdue now
    declined = rng.random() < RHI_DECLINED_RATE
    completed = None
    if not declined:
        completed = offered + dt.timedelta(hours=rng.randint(1, 72))
        if completed > now:
            completed = None
    return ReturnInterview(
        episode=episode, offered_at=offered,
        response=ReturnInterview.Response.DECLINED if declined else ReturnInterview.Response.ACCEPTED,
        completed_at=completed, interviewer=rng.choice(staff).display_name if completed else "",
        findings="Talked about where they went and who with; safety plan updated." if completed else "",
        created_by=rng.choice(staff), created_at=offered,
    )


def _level(rng, weights=(0.3, 0.3, 0.25, 0.15)) -> str:
    return rng.choices([RiskLevel.NONE, RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH], weights=weights)[0]


def generate_missing(ctx: GenerationContext) -> None:
    rng = ctx.rng("missing")
    staff = list(User.objects.filter(role__in=list(CASEWORK_ROLES), is_active=True).order_by("pk"))
    if not staff:
        return
    births = dict(Child.objects.values_list("pk", "date_of_birth"))
    window = ctx.today - dt.timedelta(days=LOOKBACK_DAYS)
    care = _care_periods(ctx)

    episodes: list[MissingEpisode] = []
    for child_id in sorted(care):
        old_enough = _birthday(births.get(child_id), MIN_AGE)
        if old_enough is None:
            continue
        spans = [(max(s, old_enough), e) for s, e in care[child_id]]
        spans = [(s, e) for s, e in spans if s < e]
        if not spans:
            continue
        years = sum((e - s).days for s, e in spans) / 365
        if rng.random() >= min(0.9, CARE_RATE_PER_YEAR * max(years, 0.5) * 1.5):
            continue
        count = max(1, round(rng.randint(*CARE_EPISODES) * max(years, 0.25)))
        episodes += _episodes_for(ctx, rng, child_id, spans, count, from_care=True)

    for plan in ctx.children:
        if plan.pk in care or plan.service not in HOME_SERVICES or _age(births.get(plan.pk), ctx.today) < MIN_AGE:
            continue
        if rng.random() < HOME_RATE:
            start = max(window, plan.known_from or window, _birthday(births.get(plan.pk), MIN_AGE))
            end = min(plan.closed_on or ctx.today, ctx.today)
            if start < end:
                episodes += _episodes_for(ctx, rng, plan.pk, [(start, end)], rng.choice((1, 1, 1, 2, 3)),
                                          from_care=False)

    for episode in episodes:
        episode.created_by = rng.choice(staff)
        episode.created_at = episode.started_at + dt.timedelta(hours=1)
    with historical_timestamps(MissingEpisode, "created_at"):
        episodes = bulk_create(MissingEpisode, episodes, ctx, "missing episodes")
    interviews = [i for i in (_interview(ctx, rng, e, staff) for e in episodes) if i is not None]
    with historical_timestamps(ReturnInterview, "created_at"):
        bulk_create(ReturnInterview, interviews, ctx, "return home interviews")
    _exploitation(ctx, rng, ctx.faker("missing"), episodes, staff)


def _birthday(born: dt.date | None, age: int) -> dt.date | None:
    return None if born is None else dt.date(born.year + age, born.month, min(born.day, 28))


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def _exploitation(ctx, rng, fake, episodes, staff) -> None:
    first_missing: dict[int, dt.date] = {}
    for episode in episodes:
        day = episode.started_at.astimezone(ctx.tz).date()
        first_missing[episode.child_id] = min(day, first_missing.get(episode.child_id, day))
    assessments, risky = [], []
    for child_id in sorted(first_missing):
        if rng.random() >= ASSESSED_RATE:
            continue
        day = min(first_missing[child_id] + dt.timedelta(days=rng.randint(3, 30)), ctx.today)
        while day <= ctx.today:
            sexual, criminal = _level(rng), _level(rng)
            review = _add_months(day, REVIEW_MONTHS)
            assessments.append(ExploitationAssessment(
                child_id=child_id, assessed_on=day, sexual_risk=sexual, criminal_risk=criminal,
                indicators="" if sexual == criminal == RiskLevel.NONE else rng.choice(INDICATORS),
                review_on=review, created_by=rng.choice(staff), created_at=ctx.at(day, 15),
            ))
            if {sexual, criminal} & {RiskLevel.MEDIUM, RiskLevel.HIGH}:
                risky.append((child_id, day))
            if sexual == criminal == RiskLevel.NONE or rng.random() < OVERDUE_REVIEW_RATE:
                break  # no further review (overdue now if it showed a risk)
            day = review + dt.timedelta(days=rng.randint(-7, 14))
    with historical_timestamps(ExploitationAssessment, "created_at"):
        bulk_create(ExploitationAssessment, assessments, ctx, "exploitation risk assessments")

    chosen = [(c, d) for c, d in risky if rng.random() < MEETING_RATE]
    meetings = []
    for child_id, day in chosen:
        held = min(day + dt.timedelta(days=rng.randint(5, 25)), ctx.today)
        meetings.append(Meeting(child_id=child_id, kind=Meeting.Kind.OTHER, held_on=held,
                                chair="Exploitation lead", summary="Multi-agency exploitation meeting.",
                                recorded_by=rng.choice(staff), created_at=ctx.at(held, 16)))
    with historical_timestamps(Meeting, "created_at"):
        meetings = bulk_create(Meeting, meetings, ctx, "exploitation meetings (casework)")
    attendance, records = [], []
    for meeting in meetings:
        for agency, role in rng.sample(AGENCIES, rng.randint(3, len(AGENCIES))):
            attendance.append(MeetingAttendance(meeting=meeting, name=fake.name(), agency=agency, role=role,
                                                status=rng.choices(["attended", "report", "apologies"],
                                                                   weights=[8, 1, 1])[0]))
        records.append(ExploitationMeeting(child_id=meeting.child_id, meeting=meeting, decisions=rng.choice(DECISIONS),
                                           recorded_by=meeting.recorded_by, created_at=meeting.created_at))
    bulk_create(MeetingAttendance, attendance, ctx, "exploitation meeting attendance")
    with historical_timestamps(ExploitationMeeting, "created_at"):
        bulk_create(ExploitationMeeting, records, ctx, "exploitation meetings")

