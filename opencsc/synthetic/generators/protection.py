"""Child protection: strategy discussions, section 47 enquiries, conferences, CP plans, core groups.

Children on plans now (service "child_protection", about 200 at the default size) get a plan
started at an initial conference that followed a strategy discussion and a section 47 enquiry;
a share of closed and child in need children get past plans. Rates follow the national
statistics and the inspection reports: about 20% of plans are second or subsequent plans, 3-5%
last 2 years or more, about 80% of initial conferences are within 15 working days, reviews are
due at 3 months then every 6 months (some late), core groups about monthly. Some strategy
discussions lead to enquiries that find no need for a conference.

Every record belongs to the child's episode of need open at its date (the CIN census nests
Section47 and ChildProtectionPlans inside CINdetails). A plan now that would start before the
child's open episode starts a few days after its referral instead; a past plan or enquiry that
no episode covers extends the closed episode it started in (when that does not run into the
next one) or gets its own closed episode (closed after the provision of services, RC7).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from opencsc.assessment import rules as need_rules
from opencsc.assessment.models import Assessment, CINEpisode
from opencsc.casework.models import Meeting, MeetingAttendance, Plan, PlanAction
from opencsc.protection.models import Conference, CPPlan, Section47, StrategyDiscussion
from opencsc.timescales.core import WorkingDayCalendar

from ..context import ChildPlan, GenerationContext, bulk_create, historical_timestamps
from .assessment import LATE_REASONS
from .staff import SERVICE_TEAMS, case_holders

CALENDAR = WorkingDayCalendar()
FACTORS = ("3A", "3B", "4A", "4B", "2A", "2B", "1A", "1B", "22A", "8B")  # harm factors behind a section 47
PAST_PLAN_SHARE = {"closed": 0.08, "child_in_need": 0.10}  # children with a past plan
IN_NEED_UNTIL_CLOSED_PAST_PLAN_SHARE = 0.18  # of cases closed in the last year after months in need
NO_CONFERENCE_S47_SHARE = {"child_in_need": 0.12, "assessment": 0.08, "closed": 0.05}
REPEAT_SHARE = 0.40  # chance of an earlier plan: about 20% of plans end up second or subsequent
LONG_SHARE = 0.04  # plans lasting 2 years or more
LONG_KNOWN_DAYS = 760  # a case known this long can have had a plan for 2 years
LONG_ELIGIBLE_FACTOR = 8  # about one child protection case in six is known that long (a little over LONG_SHARE)
ICPC_ON_TIME = 0.80
REVIEW_ON_TIME = 0.85
CORE_GROUP_MISSED = 0.10
# Category of abuse (initial): neglect ~50%, emotional ~35%, then physical, sexual, multiple.
CATEGORIES = (("NEG", 50), ("EMO", 35), ("PHY", 8), ("SAB", 4), ("MUL", 3))
# Agency -> (chance of taking part, names, role)
PARTNERS = {
    "Police": (0.90, ("DC Amira Shah", "DS Tom Reilly", "DC Grace Obi", "PC Liam Hart"), "Public protection unit"),
    "Health": (0.70, ("Jo Platt", "Dr Anil Mehta", "Sarah Quinn"), "Health visitor or school nurse"),
    "Education": (0.60, ("Mrs K Lewis", "Mr D Evans", "Ms R Begum"), "Designated safeguarding lead"),
}
INFORMATION = (
    "Police shared two domestic abuse call-outs to the address in the last month. School reported the child "
    "arrived with unexplained bruising; health visitor has concerns about home conditions.",
    "The child disclosed to a teacher that a parent hit them with a belt. Police checks show previous "
    "convictions for violence. Health records show missed appointments.",
    "Anonymous referral about the children being left alone overnight. Police welfare check found the home "
    "without food; health notes faltering growth in the youngest.",
    "Parent's mental health has deteriorated; police attended after threats of self-harm with the child present.",
)
CONTINGENCY = (
    "If the plan does not reduce the risk within 3 months, or if there is further violence, a legal planning "
    "meeting will consider the Public Law Outline.",
    "If the child is left unsupervised again or the parents do not engage, a legal planning meeting will be held "
    "and the child may be accommodated with a family member.",
)
ACTIONS = (
    ("The child is safe from violence at home", "Father completes the domestic abuse perpetrator programme",
     "Father", "Probation", "Programme completed; no further police call-outs"),
    ("The child's health needs are met", "Mother takes the child to all health appointments",
     "Mother", "", "Health visitor confirms attendance at each appointment"),
    ("The child attends school every day", "School monitors attendance and reports absence the same day",
     "Designated safeguarding lead", "Education", "Attendance above 95% at the next review"),
    ("The home is clean and there is food", "Family support worker visits weekly to help with routines",
     "Family support worker", "Children's social care", "Unannounced visits find the home clean with food"),
    ("Mother's mental health is stable", "Mother engages with the community mental health team",
     "Mother", "Health", "CMHT confirms regular attendance and a care plan"),
)


@dataclass
class _Story:
    child: ChildPlan
    strategy_on: dt.date
    icpc_on: dt.date | None  # None: the enquiry found no need for a conference
    end_on: dt.date | None
    category: str
    worker: object
    reviews: list[dt.date] = field(default_factory=list)
    core_groups: list[dt.date] = field(default_factory=list)
    episode: _Episode | None = None


@dataclass
class _Episode:
    """A child's episode of need as the generator sees it (pk None until a new one is saved)."""

    pk: int | None
    referral: dt.date
    closure: dt.date | None
    nfa: bool = False
    extended: bool = False
    reason: str = ""


def _category(rng: random.Random) -> str:
    return rng.choices([c for c, _ in CATEGORIES], weights=[w for _, w in CATEGORIES])[0]


def _icpc_after(rng: random.Random, strategy_on: dt.date) -> dt.date:
    days = rng.randint(6, 15) if rng.random() < ICPC_ON_TIME else rng.randint(16, 28)
    return CALENDAR.add_working_days(strategy_on, days)


def _strategy_before(rng: random.Random, icpc_on: dt.date) -> dt.date:
    """A strategy discussion such that the conference falls about as often on time as the rate says."""
    days = rng.randint(6, 15) if rng.random() < ICPC_ON_TIME else rng.randint(16, 28)
    return CALENDAR.add_working_days(icpc_on, -days)


def _duration(rng: random.Random, long: bool) -> int:
    return rng.randint(731, 1000) if long else rng.randint(60, 650)


def _schedule(rng: random.Random, story: _Story, until: dt.date) -> None:
    """Reviews at 3 months then every 6 months (some late) and monthly core groups, up to `until`."""
    start = story.icpc_on
    due = CALENDAR.add_months(start, 3)
    while True:
        held = due - dt.timedelta(days=rng.randint(0, 10))
        if rng.random() > REVIEW_ON_TIME:
            held = due + dt.timedelta(days=rng.randint(3, 40))
        if held > until:
            break
        story.reviews.append(held)
        due = CALENDAR.add_months(held, 6)
    day = CALENDAR.add_working_days(start, rng.randint(5, 12))
    while day <= until:
        if rng.random() > CORE_GROUP_MISSED:
            story.core_groups.append(day)
        day = CALENDAR.next_working_day(day + dt.timedelta(days=rng.randint(25, 35)))


def _add_previous(rng: random.Random, stories: list[_Story], later: _Story, worker) -> None:
    """Sometimes an earlier plan for the same child, ended months before the later one began."""
    if rng.random() >= REPEAT_SHARE:
        return
    end = later.strategy_on - dt.timedelta(days=rng.randint(90, 720))
    start = CALENDAR.next_working_day(end - dt.timedelta(days=rng.randint(90, 450)))
    strategy_on = _strategy_before(rng, start)
    if strategy_on > later.child.date_of_birth and start < end:
        stories.append(_Story(later.child, strategy_on, start, end, _category(rng), worker))


def _stories(ctx: GenerationContext, rng: random.Random) -> list[_Story]:
    today = ctx.today
    workers: dict[str, list] = {}

    def worker_for(service: str):
        for name in SERVICE_TEAMS.get(service, SERVICE_TEAMS["child_protection"]):
            workers.setdefault(name, case_holders(ctx, name))
        pool = [w for name in SERVICE_TEAMS.get(service, SERVICE_TEAMS["child_protection"]) for w in workers[name]]
        return rng.choice(pool) if pool else next(u for staff in ctx.staff_by_team.values() for u in staff)

    stories: list[_Story] = []
    for plan in ctx.children:
        born = plan.date_of_birth
        if plan.pk is None or born is None:
            continue
        if plan.service == "child_protection":
            # A plan of 2 years or more needs a case known for longer: such plans are drawn among those
            # children (about a sixth of them), as often as makes LONG_SHARE of all.
            known_days = (today - (plan.known_from or today)).days
            long = rng.random() < LONG_SHARE * LONG_ELIGIBLE_FACTOR and known_days > LONG_KNOWN_DAYS
            start = today - dt.timedelta(days=min(_duration(rng, long), max(known_days - 14, 60)))
            start = max(start, born + dt.timedelta(days=30), today - dt.timedelta(days=1000))
            start = min(CALENDAR.next_working_day(start), today)
            strategy_on = max(_strategy_before(rng, start), born)
            current = _Story(plan, strategy_on, start, None, _category(rng), worker_for("child_protection"))
            stories.append(current)
            _add_previous(rng, stories, current, worker_for("child_protection"))
        elif plan.service in PAST_PLAN_SHARE and rng.random() < (
                IN_NEED_UNTIL_CLOSED_PAST_PLAN_SHARE if plan.in_need_until_closed else PAST_PLAN_SHARE[plan.service]):
            last = (plan.closed_on or today) - dt.timedelta(days=rng.randint(14, 120))
            known = max(plan.known_from or born, born + dt.timedelta(days=30))
            length = _duration(rng, rng.random() < LONG_SHARE)
            start = CALENDAR.next_working_day(max(known, last - dt.timedelta(days=length)))
            if start >= last - dt.timedelta(days=30):
                continue
            end = min(last, start + dt.timedelta(days=length))
            past = _Story(plan, _strategy_before(rng, start), start, end, _category(rng), worker_for(plan.service))
            stories.append(past)
            _add_previous(rng, stories, past, worker_for(plan.service))
        elif plan.service in NO_CONFERENCE_S47_SHARE and rng.random() < NO_CONFERENCE_S47_SHARE[plan.service]:
            latest = (plan.closed_on or today) - dt.timedelta(days=20)
            earliest = max(plan.known_from or born, born)
            if latest <= earliest:
                continue
            day = CALENDAR.next_working_day(earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days)))
            if day <= latest:
                stories.append(_Story(plan, day, None, None, "", worker_for(plan.service)))
    stories = _fit_episodes(ctx, rng, stories)
    for story in stories:
        if story.icpc_on is not None:
            _schedule(rng, story, story.end_on or today)
            if story.end_on and story.reviews and rng.random() < 0.7:
                story.end_on = story.reviews[-1]  # most plans end at a review conference
    return stories


def _s47_done(rng: random.Random, story: _Story, today: dt.date) -> dt.date:
    """When an enquiry that needed no conference finished: within its episode, never in the future."""
    done = min(CALENDAR.add_working_days(story.strategy_on, rng.randint(3, 12)), today)
    if story.episode is not None and story.episode.closure is not None:
        done = min(done, story.episode.closure)
    return max(done, story.strategy_on)


def _load_episodes(stories: list[_Story]) -> dict[int, list[_Episode]]:
    ids = sorted({s.child.pk for s in stories})
    by_child: dict[int, list[_Episode]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        rows = CINEpisode.objects.filter(child_id__in=ids[start:start + 500]).order_by("child_id", "referral_date", "id")
        for pk, child_id, referral, closure, nfa, reason in rows.values_list(
            "pk", "child_id", "referral_date", "closure_date", "referral_nfa", "reason_for_closure"
        ):
            by_child[child_id].append(_Episode(pk, referral, closure, nfa, reason=reason))
    return by_child


def _free(episodes: list[_Episode], first: dt.date, last: dt.date, but: _Episode | None = None) -> bool:
    """No other episode of the child overlaps first..last."""
    return all(
        e is but or last < e.referral or (e.closure is not None and first > e.closure) for e in episodes
    )


def _fit(rng: random.Random, story: _Story, episodes: list[_Episode], today: dt.date) -> bool:
    """Put the story in an episode of need (moving, extending or adding one); False to leave it out."""
    first = story.icpc_on or story.strategy_on
    current = story.icpc_on is not None and story.end_on is None
    last = story.end_on or (today if current else CALENDAR.add_working_days(story.strategy_on, 12))
    covering = [e for e in episodes if e.referral <= first and (
        e.closure is None if current else (e.closure is None or e.closure >= min(last, today)))]
    if covering:
        story.episode = max(covering, key=lambda e: e.referral)
        story.strategy_on = max(story.strategy_on, story.episode.referral)
        return True
    if current:
        open_episode = next((e for e in episodes if e.closure is None), None)
        if open_episode is None or open_episode.referral > today:
            return False
        story.strategy_on = min(CALENDAR.add_working_days(open_episode.referral, rng.randint(0, 5)), today)
        story.icpc_on = max(story.strategy_on, min(_icpc_after(rng, story.strategy_on), today))
        story.episode = open_episode
        return True
    last = min(last, today)
    started_in = [e for e in episodes if e.closure is not None and not e.nfa
                  and e.referral <= story.strategy_on <= e.closure]
    if started_in and _free(episodes, story.strategy_on, last, but=started_in[-1]):
        story.episode = started_in[-1]
        story.episode.closure, story.episode.extended = max(story.episode.closure, last), True
        return True
    if _free(episodes, story.strategy_on, last):
        story.episode = _Episode(None, story.strategy_on, last, reason="RC7")
        episodes.append(story.episode)
        episodes.sort(key=lambda e: e.referral)
        return True
    return False


def _fit_episodes(ctx: GenerationContext, rng: random.Random, stories: list[_Story]) -> list[_Story]:
    """Every story in an episode of need; saves the episodes added and the closures moved."""
    by_child = _load_episodes(stories)
    # Earlier stories first, so that a child's past plan finds its place before the later one.
    kept = [s for s in sorted(stories, key=lambda s: (s.child.pk, s.strategy_on))
            if _fit(rng, s, by_child[s.child.pk], ctx.today)]
    extended = [e for eps in by_child.values() for e in eps if e.extended and e.pk is not None]
    rows = CINEpisode.objects.in_bulk([e.pk for e in extended])
    for e in extended:
        row = rows[e.pk]
        row.closure_date = e.closure
        if row.step_down_to_early_help:
            row.step_down_date = e.closure
    CINEpisode.objects.bulk_update(list(rows.values()), ["closure_date", "step_down_date"],
                                   batch_size=ctx.batch_size)
    # Child protection work followed the assessment, so the episode did not close after it: the
    # services it had end it (RC7), as the CIN census expects (rule 2990).
    after_assessment = {s.episode.pk for s in kept if s.episode.pk is not None and s.episode.reason in ("RC8", "RC9")}
    CINEpisode.objects.filter(pk__in=after_assessment).update(reason_for_closure="RC7")
    new = [(s, s.episode) for s in kept if s.episode.pk is None]
    made = []
    for story, e in new:
        earlier = [o.referral for o in by_child[story.child.pk] if o.referral < e.referral]
        made.append(CINEpisode(
            child_id=story.child.pk, referral_date=e.referral, referral_source=rng.choice(("6", "2A", "3A", "5A")),
            primary_need="N1", referral_details="Child protection concerns", closure_date=e.closure,
            reason_for_closure=e.reason, is_re_referral=need_rules.is_re_referral(e.referral, earlier),
            created_by=story.worker,
        ))
    for (_, e), row in zip(new, bulk_create(CINEpisode, made, ctx, "episodes of need for child protection"),
                           strict=True):
        e.pk = row.pk
    # The child and family assessment that goes with the enquiry (else CIN census query 2991Q).
    assessments = []
    for story, e in new:
        done = min(CALENDAR.add_working_days(e.referral, rng.randint(10, 40)), e.closure or ctx.today, ctx.today)
        assessments.append(Assessment(
            episode_id=e.pk, start_date=e.referral, child_seen_date=e.referral, factors=rng.sample(FACTORS, 2),
            outcome=Assessment.Outcome.STRATEGY, completed_date=max(done, e.referral), authorised_by=story.worker,
            reason_late=rng.choice(LATE_REASONS) if need_rules.assessment_is_late(e.referral, done) else "",
            created_by=story.worker,
        ))
    bulk_create(Assessment, assessments, ctx, "assessments for child protection")
    return kept


def _cin_plans_beside_cp_plans(ctx: GenerationContext, planned: list) -> None:
    """A child in need plan never runs alongside a child protection plan (CIN census rules 4001, 4016, 4017).

    A CIN plan that began before a CP plan ends the day the CP plan starts (stepped up); one that
    began during a CP plan starts the day it ended (stepped down); one inside a CP plan that is
    still open, or wholly inside an ended one, was never needed and is removed.
    """
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for s, _, _ in planned:
        spans[s.child.pk].append((s.icpc_on, s.end_on))
    if not spans:
        return
    changed, removed = [], []
    for plan in Plan.objects.filter(child_id__in=list(spans), kind=Plan.Kind.CHILD_IN_NEED).order_by("pk"):
        for cp_start, cp_end in sorted(spans[plan.child_id]):
            ends_after_start = plan.end_date is None or plan.end_date > cp_start
            starts_before_end = cp_end is None or plan.start_date < cp_end
            if not (ends_after_start and starts_before_end):
                continue
            if plan.start_date < cp_start:
                plan.end_date = cp_start
            elif cp_end is not None and (plan.end_date is None or plan.end_date > cp_end):
                plan.start_date = cp_end
            else:
                removed.append(plan.pk)
                break
        else:
            changed.append(plan)
    Plan.objects.bulk_update(changed, ["start_date", "end_date"], batch_size=ctx.batch_size)
    Plan.objects.filter(pk__in=removed).delete()


def _attendance(rng: random.Random, meeting: Meeting, worker, agencies=PARTNERS) -> list[MeetingAttendance]:
    rows = [MeetingAttendance(meeting=meeting, name=worker.get_full_name() or worker.username,
                              agency="Children's social care", role="Social worker", status="attended")]
    for agency, (rate, names, role) in agencies.items():
        status = "attended" if rng.random() < rate else rng.choice(("absent", "apologies", "report"))
        rows.append(MeetingAttendance(meeting=meeting, name=rng.choice(names), agency=agency, role=role,
                                      status=status))
    return rows


def generate_protection(ctx: GenerationContext) -> None:
    rng = ctx.rng("protection")
    stories = _stories(ctx, rng)
    chairs = [u for name, staff in ctx.staff_by_team.items() if "IRO" in name for u in staff] or [None]

    def chair_name():
        chair = rng.choice(chairs)
        return chair.get_full_name() if chair else "Conference chair"

    with historical_timestamps(Meeting, "created_at"), historical_timestamps(Plan, "created_at"), \
            historical_timestamps(StrategyDiscussion, "created_at"), historical_timestamps(Section47, "created_at"), \
            historical_timestamps(Conference, "created_at"), historical_timestamps(CPPlan, "created_at"):
        # 1. Strategy discussions and initial conferences (meetings first, for their keys).
        meetings = []
        for s in stories:
            meetings.append(Meeting(child_id=s.child.pk, kind=Meeting.Kind.STRATEGY, held_on=s.strategy_on,
                                    chair=s.worker.get_full_name(), summary=rng.choice(INFORMATION),
                                    recorded_by=s.worker, created_at=ctx.at(s.strategy_on, 15)))
            if s.icpc_on:
                meetings.append(Meeting(child_id=s.child.pk, kind=Meeting.Kind.ICPC, held_on=s.icpc_on,
                                        chair=chair_name(), child_attended=rng.random() < 0.2,
                                        child_contributed=rng.random() < 0.6, recorded_by=s.worker,
                                        created_at=ctx.at(s.icpc_on, 16)))
        meetings = bulk_create(Meeting, meetings, ctx, "strategy discussion and conference meetings")
        it = iter(meetings)
        pairs = [(s, next(it), next(it) if s.icpc_on else None) for s in stories]
        bulk_create(MeetingAttendance, [row for _, sd, icpc in pairs for m in (sd, icpc) if m
                                        for row in _attendance(rng, m, m.recorded_by)], ctx, "meeting attendance")
        discussions = bulk_create(StrategyDiscussion, [
            StrategyDiscussion(child_id=s.child.pk, episode_id=s.episode.pk, meeting=sd,
                               information_shared=sd.summary,
                               decision=StrategyDiscussion.Decision.S47, recorded_by=s.worker,
                               created_at=sd.created_at)
            for s, sd, _ in pairs], ctx, "strategy discussions")
        enquiries = []
        for (s, _, _), discussion in zip(pairs, discussions, strict=True):
            if s.icpc_on:
                done = s.icpc_on - dt.timedelta(days=rng.randint(0, 3))
                outcome = Section47.Outcome.SUBSTANTIATED
            else:
                done = _s47_done(rng, s, ctx.today)
                outcome = rng.choice((Section47.Outcome.NOT_SUBSTANTIATED, Section47.Outcome.OTHER))
            enquiries.append(Section47(
                child_id=s.child.pk, episode_id=s.episode.pk, strategy_discussion=discussion, outcome=outcome,
                completed_on=max(done, s.strategy_on), icpc_not_required=outcome != Section47.Outcome.SUBSTANTIATED,
                outcome_recorded_by=s.worker, created_at=discussion.created_at))
        enquiries = bulk_create(Section47, enquiries, ctx, "section 47 enquiries")
        planned = [(s, icpc, e) for (s, _, icpc), e in zip(pairs, enquiries, strict=True) if icpc]
        initial = bulk_create(Conference, [
            Conference(child_id=s.child.pk, episode_id=s.episode.pk, kind=Conference.Kind.INITIAL, meeting=icpc, section47=e,
                       decision=Conference.Decision.PLAN, category=s.category, recorded_by=s.worker,
                       created_at=icpc.created_at)
            for s, icpc, e in planned], ctx, "initial conferences")
        # 2. Plans, actions, CP plans.
        plans = bulk_create(Plan, [
            Plan(child_id=s.child.pk, kind=Plan.Kind.CHILD_PROTECTION, start_date=s.icpc_on, end_date=s.end_on,
                 review_due=(CALENDAR.add_months(s.reviews[-1], 6) if s.reviews else CALENDAR.add_months(s.icpc_on, 3)),
                 summary="Keep the child safe from harm at home", contingency=rng.choice(CONTINGENCY),
                 created_by=s.worker, created_at=icpc.created_at)
            for s, icpc, _ in planned], ctx, "child protection plans (casework)")
        actions = []
        for (s, _, _), plan in zip(planned, plans, strict=True):
            for order, (what, action, who, agency, measure) in enumerate(rng.sample(ACTIONS, 3), start=1):
                done = s.end_on is not None or rng.random() < 0.3
                actions.append(PlanAction(
                    plan=plan, what_must_change=what, action=action, responsible=who, responsible_agency=agency,
                    due_date=CALENDAR.add_months(s.icpc_on, rng.choice((1, 3, 6))), measure=measure, order=order,
                    status="done" if done else rng.choice(("on_track", "on_track", "off_track", "not_started"))))
        bulk_create(PlanAction, actions, ctx, "plan actions")
        Meeting.objects.bulk_update(
            [Meeting(pk=icpc.pk, plan_id=plan.pk) for (_, icpc, _), plan in zip(planned, plans, strict=True)],
            ["plan"], batch_size=ctx.batch_size)
        cp_plans = []
        for (s, _, _), plan, conference in zip(planned, plans, initial, strict=True):
            latest = s.category if rng.random() < 0.85 or not s.reviews else _category(rng)
            cp_plans.append(CPPlan(child_id=s.child.pk, episode_id=s.episode.pk, conference=conference, plan=plan,
                                   initial_category=s.category, latest_category=latest,
                                   end_reason=(rng.choice(("no_longer_at_risk",) * 6 + ("looked_after", "moved"))
                                               if s.end_on else ""),
                                   created_at=conference.created_at))
        cp_plans = bulk_create(CPPlan, cp_plans, ctx, "child protection plans")
        # 3. Review conferences and core groups.
        review_meetings, core_groups, review_of = [], [], []
        for (s, _, _), plan, cp in zip(planned, plans, cp_plans, strict=True):
            for day in s.reviews:
                review_meetings.append(Meeting(child_id=s.child.pk, plan=plan, kind=Meeting.Kind.CP_REVIEW,
                                               held_on=day, chair=chair_name(), child_attended=rng.random() < 0.25,
                                               child_contributed=rng.random() < 0.7, recorded_by=s.worker,
                                               created_at=ctx.at(day, 16)))
                review_of.append((s, cp, day))
            for day in s.core_groups:
                core_groups.append(Meeting(child_id=s.child.pk, plan=plan, kind=Meeting.Kind.CORE_GROUP, held_on=day,
                                           chair=s.worker.get_full_name(), recorded_by=s.worker,
                                           created_at=ctx.at(day, 14)))
        review_meetings = bulk_create(Meeting, review_meetings, ctx, "review conference meetings")
        core_groups = bulk_create(Meeting, core_groups, ctx, "core groups")
        bulk_create(MeetingAttendance, [row for m in review_meetings for row in _attendance(rng, m, m.recorded_by)]
                    + [row for m in core_groups for row in _attendance(rng, m, m.recorded_by)],
                    ctx, "meeting attendance")
        reviews = bulk_create(Conference, [
            Conference(child_id=s.child.pk, episode_id=s.episode.pk, kind=Conference.Kind.REVIEW, meeting=m, cp_plan=cp,
                       decision=(Conference.Decision.PLAN_ENDS if s.end_on == day else
                                 Conference.Decision.PLAN_CONTINUES),
                       category=cp.latest_category, recorded_by=s.worker, created_at=m.created_at)
            for (s, cp, day), m in zip(review_of, review_meetings, strict=True)], ctx, "review conferences")
        ended = []
        for review in reviews:
            if review.decision == Conference.Decision.PLAN_ENDS:
                review.cp_plan.ended_by_conference = review
                ended.append(review.cp_plan)
        CPPlan.objects.bulk_update(ended, ["ended_by_conference"], batch_size=ctx.batch_size)
    _cin_plans_beside_cp_plans(ctx, planned)
