"""Referrals, child and family assessments, child in need plans and closures.

Every child whose service is assessment, child in need, child protection or in care has
an open episode of need (the CIN census counts all of them); most closed children have a
closed one. Rates follow DfE children in need statistics: referral sources (police about
30%, schools 20%, health 15%), about 22% re-referrals within 12 months, about 85% of
assessments authorised within 45 working days (the rest late, with a reason).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from opencsc.assessment import rules
from opencsc.assessment.models import Assessment, CINEpisode, CINPlan
from opencsc.casework.models import Plan, PlanAction

from ..context import ChildPlan, GenerationContext, bulk_create
from .staff import SERVICE_TEAMS, case_holders, team_manager

OPEN_SERVICES = ("assessment", "child_in_need", "child_protection", "in_care")
CLOSED_WITH_EPISODE = 0.75
RE_REFERRAL_RATE = 0.22
OLDER_EPISODE_RATE = 0.08  # an earlier episode more than 12 months before
ON_TIME_RATE = 0.85
REFERRAL_NFA_RATE = 0.10  # of closed children

REFERRAL_SOURCES = {
    "6": 30, "2A": 20, "3A": 4, "3B": 3, "3C": 1, "3D": 2, "3E": 3, "3F": 2, "1A": 5, "1B": 1, "1C": 1,
    "1D": 1, "2B": 2, "4": 3, "5A": 2, "5B": 2, "5C": 2, "5D": 3, "7": 4, "8": 5, "9": 2, "10": 2,
}
PRIMARY_NEEDS = {"N1": 55, "N2": 5, "N3": 5, "N4": 10, "N5": 15, "N6": 3, "N7": 1, "N8": 3, "N9": 2, "N0": 1}
CLOSURE_REASONS = {"RC8": 40, "RC9": 15, "RC7": 33, "RC5": 6, "RC3": 2, "RC4": 1, "RC6": 3}
COMMON_FACTORS = ("3A", "3B", "4B", "2B", "1B", "6A", "6B", "8B", "9A", "11A", "14A", "16A", "18B", "19B",
                  "20", "22A", "4A", "5A", "7A", "10A", "12A", "13A", "17A", "24A")
LATE_REASONS = (
    "Waiting for the paediatric assessment report",
    "Family did not engage; several missed visits before the child was seen",
    "Worker absence and reallocation during the assessment",
    "Waiting for information from police and health partners",
    "Family moved address twice during the assessment",
    "Interpreter needed for every visit; delays arranging one",
)
VIEWS = (
    "{name} said they feel safe at home most of the time but worry when the adults argue.",
    "{name} told me they like school and want to see their dad more often.",
    "{name} drew their three houses: worries about shouting, good things about their nan's house.",
    "{name} did not want to talk about home today; they said they were tired.",
)
LIVED = (
    "{name} often gets themselves ready for school and has missed breakfast on several days.",
    "{name}'s day revolves around caring for a younger sibling while mum is unwell.",
    "{name} hears arguments at night and has been late for school after disturbed sleep.",
)
ANALYSIS = (
    "Risks are cumulative neglect and exposure to domestic abuse; protective factors are the extended family "
    "and mother's engagement with support.",
    "Parental mental health affects routines; with support the family can meet the child's needs.",
    "The child's needs are met at home; concerns do not meet the threshold for statutory services.",
)
ACTIONS = (
    ("{name} attends school every day", "School reports attendance weekly to the social worker",
     "School designated safeguarding lead", "Education", "Attendance above 95% over four weeks"),
    ("{name} is not exposed to domestic abuse", "Mother attends the Freedom Programme",
     "Mother, supported by the domestic abuse worker", "Voluntary sector", "All sessions attended; no incidents"),
    ("{name} has regular meals and a bedtime routine", "Family support worker visits weekly to set up routines",
     "Family support worker", "Children's social care", "Routine observed at unannounced visits"),
    ("{name}'s health needs are met", "Register with a GP and attend the dental check",
     "Parents, supported by the health visitor", "Health", "Appointments attended and recorded"),
    ("Parental drug use no longer affects {name}'s care", "Father engages with the drug and alcohol service",
     "Father", "Adult services", "Negative tests for three months"),
    ("{name}'s views shape the plan", "Direct work sessions with {name}",
     "Social worker", "Children's social care", "Views recorded and discussed at each CIN meeting"),
)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _staff(ctx: GenerationContext, rng: random.Random) -> tuple[list, list]:
    workers, managers = [], []
    for team in SERVICE_TEAMS["assessment"] + SERVICE_TEAMS["child_in_need"]:
        workers.extend(case_holders(ctx, team))
        manager = team_manager(ctx, team)
        if manager is not None:
            managers.append(manager)
    return workers, managers or workers


def _previous_referral(rng: random.Random, referral: dt.date, born: dt.date | None, re_referral: bool):
    """An earlier, closed episode's (referral, closure) dates, or None if the child was too young."""
    if re_referral:
        earlier = referral - dt.timedelta(days=rng.randint(60, 360))
    else:
        earlier = rules.months_before(referral, 12) - dt.timedelta(days=rng.randint(1, 1500))
    if born and earlier < born:
        return None
    closed = min(earlier + dt.timedelta(days=rng.randint(5, 50)), referral - dt.timedelta(days=1))
    if closed < earlier:
        return None
    return earlier, closed


def generate_assessment(ctx: GenerationContext) -> None:
    rng = ctx.rng("assessment")
    today = ctx.today
    workers, managers = _staff(ctx, rng)
    if not workers:
        return
    cal = rules.calendar()

    episodes: list[CINEpisode] = []
    specs: list[tuple[ChildPlan, str]] = []  # (child, what the episode is) in step with `episodes`

    def episode(plan, referral, closure=None, reason="", nfa=False, previous=()):
        row = CINEpisode(
            child_id=plan.pk, referral_date=referral, referral_source=_weighted(rng, REFERRAL_SOURCES),
            primary_need=_weighted(rng, PRIMARY_NEEDS), referral_nfa=nfa,
            is_re_referral=rules.is_re_referral(referral, previous), closure_date=closure,
            reason_for_closure=reason, step_down_to_early_help=reason == "RC9",
            step_down_date=closure if reason == "RC9" else None, created_by=rng.choice(workers),
        )
        episodes.append(row)
        return row

    for plan in ctx.children:
        if plan.pk is None or plan.known_from is None:
            continue
        is_open = plan.service in OPEN_SERVICES and plan.is_open
        is_closed = plan.service == "closed" and plan.closed_on and (
            rng.random() < CLOSED_WITH_EPISODE or plan.in_need_until_closed)
        if not (is_open or is_closed):
            continue
        referral = min(plan.known_from, today)
        previous = []
        roll = rng.random()
        if roll < RE_REFERRAL_RATE + OLDER_EPISODE_RATE:
            dates = _previous_referral(rng, referral, plan.date_of_birth, roll < RE_REFERRAL_RATE)
            if dates:
                earlier, closed = dates
                reason = _weighted(rng, {"RC8": 50, "RC9": 20, "RC7": 30})
                episode(plan, earlier, closed, reason)
                specs.append((plan, "history"))
                previous.append(earlier)
        if is_open:
            episode(plan, referral, previous=previous)
            specs.append((plan, plan.service))
        else:
            closure = max(plan.closed_on, referral)
            if plan.in_need_until_closed:  # in need, with a plan, until the case closed: services ceased (RC7)
                episode(plan, referral, closure, "RC7", previous=previous)
                specs.append((plan, "closed_in_need"))
            elif rng.random() < REFERRAL_NFA_RATE:
                episode(plan, referral, referral, "RC7", nfa=True, previous=previous)
                specs.append((plan, "nfa"))
            else:
                episode(plan, referral, closure, _weighted(rng, CLOSURE_REASONS), previous=previous)
                specs.append((plan, "closed"))
    episodes = bulk_create(CINEpisode, episodes, ctx, key="episodes of need")

    assessments: list[Assessment] = []
    closed_early: list[CINEpisode] = []
    plan_rows: list[tuple[CINEpisode, str, Plan]] = []
    for row, (child, kind) in zip(episodes, specs, strict=True):
        if kind == "nfa" or (kind == "closed" and row.reason_for_closure in ("RC3", "RC4", "RC6")
                             and rng.random() < 0.5):
            continue
        name = child.first_name or "The baby"
        # Never after the episode closed (CIN census rule 8565: no activity after the closure date).
        start = min(cal.add_working_days(row.referral_date, rng.randint(0, 4)), row.closure_date or today)
        due = rules.assessment_due(row.referral_date)
        on_time = rng.random() < ON_TIME_RATE
        wd = rng.randint(10, 45) if on_time else rng.randint(46, 85)
        completed = max(cal.add_working_days(row.referral_date, wd), start)
        limit = row.closure_date or today
        in_progress = False
        if kind == "assessment":
            # Open assessments: most still in progress, some of them already overdue.
            in_progress = completed > today or rng.random() < 0.7
        if completed > limit:
            if row.closure_date is None:
                in_progress = True
            else:
                completed = max(start, limit)
        seen = min(start + dt.timedelta(days=rng.randint(0, 7)), today)
        seen_alone = seen + dt.timedelta(days=rng.randint(0, 10)) if rng.random() < 0.8 else None
        if seen_alone and seen_alone > today:
            seen_alone = None
        if kind == "child_protection":
            outcome = "strategy"
        elif kind in ("child_in_need", "in_care", "closed_in_need"):
            outcome = "cin_plan" if kind != "in_care" else rng.choice(["strategy", "cin_plan"])
        elif row.reason_for_closure == "RC9":
            outcome = "early_help"
        elif row.reason_for_closure == "RC8":
            outcome = "nfa"
        else:
            outcome = rng.choice(["cin_plan", "nfa", "other"])
        done = not in_progress
        if done and row.reason_for_closure in ("RC8", "RC9") and row.closure_date > completed + dt.timedelta(days=7):
            # Closed after assessment: the episode closes when the assessment is authorised, not months
            # later (otherwise the census sees an RC8/RC9 closure with the assessment in an earlier
            # year, query 8825Q).
            row.closure_date = completed + dt.timedelta(days=rng.randint(0, 5))
            row.step_down_date = row.closure_date if row.step_down_to_early_help else None
            closed_early.append(row)
        # Drawn in the order they always were (the views, the lived experience, then the analysis).
        views, lived = rng.choice(VIEWS).format(name=name), rng.choice(LIVED).format(name=name)
        analysis = rng.choice(ANALYSIS) if done or rng.random() < 0.5 else ""
        # Half of those in progress with an analysis wait for a manager's authorisation (no random draw: the
        # rest of the authority stays as it was).
        submitted = (timezone.make_aware(dt.datetime.combine(max(start, today - dt.timedelta(days=2)), dt.time(16)))
                     if not done and analysis and row.child_id % 2 == 0 else None)
        assessments.append(Assessment(
            submitted_at=submitted, submitted_by=row.created_by if submitted else None,
            episode=row, start_date=start, child_seen_date=seen if seen >= row.referral_date else None,
            child_seen_alone_date=seen_alone,
            childs_views=views, lived_experience=lived,
            analysis=analysis,
            factors=rng.sample(COMMON_FACTORS, rng.randint(1, 4)),
            outcome=outcome if done else "", completed_date=completed if done else None,
            authorised_by=rng.choice(managers) if done else None,
            reason_late=rng.choice(LATE_REASONS) if done and completed > due else "",
            created_by=row.created_by,
        ))
        wants_plan = kind in ("child_in_need", "closed_in_need") or (
            kind == "closed" and outcome == "cin_plan" and row.reason_for_closure == "RC7")
        if done and wants_plan:
            plan_start = min(completed + dt.timedelta(days=rng.randint(0, 10)), row.closure_date or today)
            plan_rows.append((row, name, Plan(
                child_id=row.child_id, kind=Plan.Kind.CHILD_IN_NEED, start_date=plan_start,
                end_date=row.closure_date, review_due=plan_start + dt.timedelta(weeks=12),
                summary=f"{name} is safe, in school every day and has a settled routine at home.",
                contingency="If there is no progress by the review, the team manager will consider a "
                            "strategy discussion.",
                child_friendly_summary=f"Everyone will help so that {name} feels safe and goes to school.",
                created_by=row.created_by,
            )))
    bulk_create(Assessment, assessments, ctx, key="assessments")
    CINEpisode.objects.bulk_update(closed_early, ["closure_date", "step_down_date"], batch_size=ctx.batch_size)

    plans = bulk_create(Plan, [p for _, _, p in plan_rows], ctx, key="child in need plans")
    actions: list[PlanAction] = []
    links: list[CINPlan] = []
    for (row, name, _), plan in zip(plan_rows, plans, strict=True):
        links.append(CINPlan(episode=row, plan=plan))
        for order, (what, action, who, agency, measure) in enumerate(
            rng.sample(ACTIONS, rng.randint(3, 5)), start=1
        ):
            actions.append(PlanAction(
                plan=plan, what_must_change=what.format(name=name), action=action.format(name=name),
                responsible=who, responsible_agency=agency,
                due_date=plan.start_date + dt.timedelta(weeks=rng.randint(4, 16)), measure=measure,
                status=rng.choice(["not_started", "on_track", "on_track", "off_track", "done"]), order=order,
            ))
    bulk_create(PlanAction, actions, ctx, key="plan actions")
    bulk_create(CINPlan, links, ctx, key="child in need plan links")
