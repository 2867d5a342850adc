"""Early help: families, episodes, assessments with outcome scores, teams around the family,
plans with outcome-focused actions, reviews, closures, step-downs and step-ups.

Who is in early help now: every household the people step put in early help, and families
whose social care case has closed and who came back through early help (most recently
closed first), up to about 1,200 families at the default size (Hounslow-sized authorities
work with 1,000-1,500 families at a time), capped at a share of the closed households.
Step-downs come from the episodes of need the assessment step closed with a step-down to
early help (read from the database); step-ups end an earlier early help episode for some
children now with social care. Some work is late and some panels have not yet sat.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from opencsc.assessment.models import CINEpisode
from opencsc.casework.models import Plan, PlanAction
from opencsc.earlyhelp.models import (
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    Family,
    OutcomeArea,
    OutcomeScore,
    Review,
    StepRequest,
    TeamMember,
)

from ..context import GenerationContext, bulk_create, eighteenth, historical_timestamps
from .staff import SERVICE_TEAMS, case_holders, team_manager

OPEN_FAMILIES = 1200  # at size 1.0
CLOSED_HOUSEHOLD_SHARE = 0.6  # at most this share of closed households is back in early help
STEP_UP_SHARE = 0.12  # of children now being assessed or in need, an earlier early help episode stepped up
HISTORY_SHARE = 0.15  # of the other closed households, an earlier early help episode that closed
STEP_DOWN_ACCEPTED = 0.9
PENDING_STEP_UP = 0.03
ASSESSMENT_DONE = 0.85
REVIEW_EVERY_DAYS = 84
CLOSURE_REASONS = {"outcomes_achieved": 62, "not_engaging": 12, "declined": 8, "moved_away": 6, "universal": 10,
                   "other": 2}
AGENCIES = (
    ("School", "Designated safeguarding lead"), ("School", "Pastoral lead"), ("Health", "Health visitor"),
    ("Health", "School nurse"), ("Housing", "Housing officer"), ("Children's centre", "Family worker"),
    ("Voluntary sector", "Domestic abuse worker"), ("Adult mental health", "Care coordinator"),
    ("Police", "Neighbourhood officer"), ("Youth service", "Youth worker"),
)
REASONS = (
    "School worried about attendance and lateness; mother asked for help with morning routines.",
    "Health visitor concerned about mother's low mood and the baby's weight.",
    "Police attended a verbal argument at home; no injuries, children present.",
    "Family in temporary accommodation, struggling with money and the children's behaviour.",
    "Child's behaviour at home and school is escalating; parents want support with boundaries.",
    "Young carer for a parent with a long-term illness; falling behind at school.",
)
WISHES = (
    "{name} wants mum to be less stressed and to have friends round after school.",
    "{name} said they want to stop being late so they do not get detentions.",
    "{name} would like more time with dad and less shouting at home.",
    "{name} is too young to say; they are settled and smiling with mum at visits.",
)
ACTIONS = (
    ("{name} gets to school on time every day", "Morning routine plan with the family support worker",
     "Family support worker", "Early help", "Attendance above 95% over a half term"),
    ("Mum feels less low and more able to cope", "Referral to talking therapies and a parenting group",
     "Mum, with the health visitor", "Health", "Mum's own score of how she is coping goes up"),
    ("The family has a settled home and manages its money", "Support with the housing register and a debt plan",
     "Housing officer", "Housing", "Rent arrears reducing; a bidding number for a settled home"),
    ("{name}'s behaviour at home is calmer", "Parents attend a behaviour programme",
     "Parents, with the family support worker", "Early help", "Fewer incidents in the home diary"),
    ("{name} gets a break from caring", "Young carers' group every week", "Youth worker", "Youth service",
     "Attends the group and says it helps"),
)
PROGRESS = (
    "Mornings calmer; attendance up this half term.",
    "Mum has started the parenting group and says it helps.",
    "Some progress; housing still not settled.",
    "Little change yet: missed two sessions. Plan refreshed with the family.",
)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class _Builder:
    """Collects rows in memory, then writes them table by table."""

    def __init__(self, ctx: GenerationContext, rng: random.Random):
        self.ctx, self.rng, self.today = ctx, rng, ctx.today
        self.families: list[Family] = []
        self.episodes: list[tuple[int, EarlyHelpEpisode]] = []  # (family index, episode)
        self.members: list[tuple[int, TeamMember]] = []
        self.steps: list[tuple[int | None, StepRequest]] = []  # (episode index, step)
        teams = [ctx.teams[name] for name in SERVICE_TEAMS["early_help"] if name in ctx.teams]
        self.teams = teams
        self.workers = {t.pk: case_holders(ctx, t.name) or [team_manager(ctx, t.name)] for t in teams}
        self.managers = [team_manager(ctx, t.name) for t in teams]
        self.faker = ctx.faker("earlyhelp")
        self.born = {c.pk: c.date_of_birth for c in ctx.children if c.pk and c.date_of_birth}

    def family(self, surname: str) -> int:
        team = self.rng.choice(self.teams)
        worker = self.rng.choice(self.workers[team.pk])
        self.families.append(Family(name=f"{surname} family", created_by=worker))
        index = len(self.families) - 1
        lead = self.rng.random() < 0.55  # the early help worker leads; otherwise a partner does
        self.members.append((index, TeamMember(name=worker.display_name, agency="Early help",
                                               role="Family support worker", is_lead=lead,
                                               joined_on=self.today, created_by=worker)))
        for n, (agency, role) in enumerate(self.rng.sample(AGENCIES, self.rng.randint(1, 3))):
            self.members.append((index, TeamMember(name=self.faker.name(), agency=agency, role=role,
                                                   is_lead=not lead and n == 0, joined_on=self.today,
                                                   created_by=worker)))
        return index

    def episode(self, family: int, child_id: int, start: dt.date, source: str, closure: dt.date | None = None,
                reason: str = "") -> int:
        creator = self.families[family].created_by
        adult = eighteenth(self.born[child_id]) if child_id in self.born else None
        if adult is not None and (closure or self.today) > adult:  # early help for a child ends at 18
            closure, reason = adult, "other"
        team = next(t for t in self.teams if creator in self.workers[t.pk]) if creator else None
        self.episodes.append((family, EarlyHelpEpisode(
            child_id=child_id, start_date=start, source=source, reason=self.rng.choice(REASONS), team=team,
            closure_date=closure, closure_reason=(reason or _weighted(self.rng, CLOSURE_REASONS)) if closure else "",
            closure_summary="Family's scores improved in most areas; support continues through school."
            if closure and (reason or "") != "stepped_up" else "", created_by=creator)))
        return len(self.episodes) - 1


def generate_earlyhelp(ctx: GenerationContext) -> None:
    rng = ctx.rng("earlyhelp")
    today = ctx.today
    b = _Builder(ctx, rng)
    if not b.teams:
        return
    by_household: dict[int, list] = defaultdict(list)
    for plan in ctx.children:
        if plan.pk and plan.date_of_birth and plan.is_near_duplicate_of is None:
            by_household[plan.household].append(plan)
    cin = {child_id: (referral, closure, step_down, pk) for pk, child_id, referral, closure, step_down in
           CINEpisode.objects.values_list("pk", "child_id", "referral_date", "closure_date", "step_down_to_early_help")
           .order_by("referral_date", "pk")}  # each child's latest episode of need
    referrals: dict[int, list[dt.date]] = defaultdict(list)
    for child_id, referral in CINEpisode.objects.values_list("child_id", "referral_date").order_by("referral_date"):
        referrals[child_id].append(referral)
    stepped_down = list(CINEpisode.objects.filter(step_down_to_early_help=True, closure_date__isnull=False)
                        .select_related("child").order_by("closure_date", "pk"))
    started_children: set[int] = set()

    def open_household(children, earliest: dt.date, source: str):
        if earliest > today - dt.timedelta(days=3):
            return
        start = _day_between(rng, max(earliest, today - dt.timedelta(days=330)), today - dt.timedelta(days=3))
        children = [p for p in children if p.pk not in started_children and p.date_of_birth <= start
                    and eighteenth(p.date_of_birth) > start + dt.timedelta(days=30)
                    and not any(start <= r for r in referrals[p.pk])]
        if not children:
            return
        family = b.family(children[0].last_name)
        for plan in children:
            started_children.add(plan.pk)
            b.episode(family, plan.pk, start, source)

    # 1. Households the people step put in early help: open now.
    households = sorted({p.household for p in ctx.children if p.service == "early_help" and p.is_open})
    for h in households:
        children = [p for p in by_household[h] if p.service == "early_help"]
        if children:
            earliest = min(p.known_from or today for p in children)
            open_household(children, earliest, rng.choice(("request", "front_door", "request")))

    # 2. Step-downs from closed episodes of need: the panel's decision, then early help (or not).
    for cin_episode in stepped_down:
        child_id = cin_episode.child_id
        closed = cin_episode.step_down_date or cin_episode.closure_date
        if (today - closed).days < 7 and rng.random() < 0.6:
            continue  # the panel has not sat yet: waiting, as the dashboard shows
        panel = min(closed + dt.timedelta(days=rng.randint(2, 12)), today)
        accepted = rng.random() < STEP_DOWN_ACCEPTED
        step = StepRequest(child_id=child_id, direction="step_down", requested_on=closed, cin_episode=cin_episode,
                           reason=f"Episode of need closed: {cin_episode.get_reason_for_closure_display()}",
                           panel_date=panel, panel_decision="accepted" if accepted else "declined",
                           panel_notes="" if accepted else "Needs can be met by universal services.",
                           outcome="" if accepted else "not_taken_on", outcome_date=None if accepted else panel,
                           created_by=rng.choice(b.managers))
        episode_index = None
        start = min(panel + dt.timedelta(days=rng.randint(3, 25)), today)
        later = [r for r in referrals[child_id] if r > closed]
        if accepted and ((today - panel).days > 10 or rng.random() < 0.5):
            if later and later[0] <= start:
                step.outcome, step.outcome_date = "not_taken_on", later[0]
                step.outcome_notes = "Re-referred to children's social care before early help started."
            elif (rng.random() < 0.08 or child_id in started_children
                  or (cin_episode.child.date_of_birth is not None
                      and eighteenth(cin_episode.child.date_of_birth) <= start + dt.timedelta(days=30))):
                step.outcome, step.outcome_date = "not_taken_on", start
                step.outcome_notes = "Family declined early help."
            else:
                started_children.add(child_id)
                ended = start + dt.timedelta(days=rng.randint(120, 330))
                if later:
                    ended = min(ended, later[0] - dt.timedelta(days=1))
                family = b.family(cin_episode.child.last_name)
                episode_index = b.episode(family, child_id, start, "step_down",
                                          closure=ended if ended < today - dt.timedelta(days=5) else None)
                step.outcome, step.outcome_date = "taken_on", start
        b.steps.append((episode_index, step))

    # 3. Step-ups: some children now being assessed or in need came from early help.
    for plan in ctx.children:
        if plan.service not in ("assessment", "child_in_need") or not plan.pk or plan.pk not in cin:
            continue
        if plan.pk in started_children or rng.random() >= STEP_UP_SHARE:
            continue
        referral, _closure, _down, cin_pk = cin[plan.pk]
        requested = referral - dt.timedelta(days=rng.randint(7, 21))
        start = requested - dt.timedelta(days=rng.randint(60, 240))
        if plan.date_of_birth and start < plan.date_of_birth:
            continue
        started_children.add(plan.pk)
        family = b.family(plan.last_name)
        index = b.episode(family, plan.pk, start, "request", closure=referral, reason="stepped_up")
        panel = requested + dt.timedelta(days=rng.randint(1, 5))
        b.steps.append((index, StepRequest(
            child_id=plan.pk, direction="step_up", requested_on=requested, cin_episode_id=cin_pk,
            reason="Concerns escalated despite the plan: " + rng.choice(REASONS).lower(), panel_date=panel,
            panel_decision="accepted", outcome="taken_on", outcome_date=referral, created_by=rng.choice(b.managers))))

    # 4. Closed social care households back in early help now, most recently closed first; some earlier history.
    closed = defaultdict(list)
    for plan in ctx.children:
        if plan.service == "closed" and plan.pk and plan.closed_on and plan.pk not in started_children:
            closed[plan.household].append(plan)
    target = max(0, ctx.scaled(OPEN_FAMILIES) - len(households))
    target = min(target, int(len(closed) * CLOSED_HOUSEHOLD_SHARE))
    ordered = sorted(closed, key=lambda h: closed[h][0].closed_on, reverse=True)
    chosen = set(ordered[:target])
    for h in ordered:
        children = [p for p in closed[h] if p.pk not in started_children]
        if not children:
            continue
        if h in chosen:
            open_household(children, children[0].closed_on + dt.timedelta(days=14), rng.choice(
                ("request", "front_door")))
        elif rng.random() < HISTORY_SHARE:
            family = b.family(children[0].last_name)
            known = min(p.known_from or today for p in children)
            start = known - dt.timedelta(days=rng.randint(200, 900))
            if any(p.date_of_birth and start < p.date_of_birth for p in children):
                continue
            end = start + dt.timedelta(days=rng.randint(90, 300))
            for p in children:
                started_children.add(p.pk)
                b.episode(family, p.pk, start, "request", closure=min(end, known - dt.timedelta(days=1)))

    # 5. A few open episodes with a step-up waiting for the panel or for social care.
    for index, (_family, episode) in enumerate(b.episodes):
        if episode.closure_date is None and rng.random() < PENDING_STEP_UP:
            requested = _day_between(rng, max(episode.start_date, today - dt.timedelta(days=20)), today)
            decided = rng.random() < 0.4 and requested < today
            b.steps.append((index, StepRequest(
                child_id=episode.child_id, direction="step_up", requested_on=requested,
                reason="New concerns: " + rng.choice(REASONS).lower(),
                panel_date=requested + dt.timedelta(days=1) if decided else None,
                panel_decision="accepted" if decided else "", created_by=episode.created_by)))

    _write(ctx, rng, b)


def _write(ctx: GenerationContext, rng: random.Random, b: _Builder) -> None:
    today = ctx.today
    families = bulk_create(Family, b.families, ctx, "early help families")
    starts: dict[int, dt.date] = {}
    for family_index, episode in b.episodes:
        episode.family_id = families[family_index].pk
        starts[family_index] = min(starts.get(family_index, episode.start_date), episode.start_date)
    for family_index, member in b.members:
        member.family_id = families[family_index].pk
        member.joined_on = starts.get(family_index, today)
    bulk_create(TeamMember, [m for _, m in b.members], ctx, "team around the family members")
    episodes = bulk_create(EarlyHelpEpisode, [e for _, e in b.episodes], ctx, "early help episodes")
    for episode_index, step in b.steps:
        if episode_index is not None:
            step.early_help_episode_id = episodes[episode_index].pk
    bulk_create(StepRequest, [s for _, s in b.steps], ctx, "step-ups and step-downs")

    names = {c.pk: c.first_name for c in ctx.children if c.pk}
    assessments, plans, scores, reviews = [], [], [], []
    plan_rows: list[tuple[EarlyHelpEpisode, dt.date, dt.date | None]] = []
    for episode in episodes:
        end = episode.closure_date or today
        began = episode.start_date + dt.timedelta(days=rng.randint(2, 10))
        if began > end:
            continue
        name = names.get(episode.child_id, "The child")
        done = None
        if rng.random() < ASSESSMENT_DONE or episode.closure_date:
            candidate = began + dt.timedelta(days=rng.randint(10, 45))  # some take too long, as in life
            done = candidate if candidate <= end else None
        assessments.append(EarlyHelpAssessment(
            episode_id=episode.pk, start_date=began, completed_date=done, created_by=episode.created_by,
            history="Known to universal services; " + rng.choice(REASONS).lower(),
            wishes_and_feelings=rng.choice(WISHES).format(name=name), family_views="Parents want help and agreed "
            "to the plan.", strengths="Warm relationships; extended family nearby.", needs=rng.choice(REASONS)))
        if done is None:
            continue
        level = {area: rng.randint(2, 6) for area in OutcomeArea.values}
        scores.extend(OutcomeScore(episode_id=episode.pk, scored_on=done, area=a, score=s) for a, s in level.items())
        plan_start = done + dt.timedelta(days=rng.randint(0, 10))
        if plan_start > end:
            continue
        plan_rows.append((episode, plan_start, episode.closure_date))
        held = plan_start + dt.timedelta(days=REVIEW_EVERY_DAYS + rng.randint(-10, 20))
        while held <= end:
            gain = {a: min(10, max(1, s + rng.choice((-1, 0, 1, 1, 2)))) for a, s in level.items()}
            reviews.append((episode, held, gain))
            level = gain
            held += dt.timedelta(days=REVIEW_EVERY_DAYS + rng.randint(-10, 25))
    bulk_create(EarlyHelpAssessment, assessments, ctx, "early help assessments")

    with historical_timestamps(Plan, "created_at"):
        last_reviews = {e.pk: held for e, held, _ in reviews}  # in date order: the last one wins
        for episode, start, ended in plan_rows:
            last_review = last_reviews.get(episode.pk, start)
            plans.append(Plan(child_id=episode.child_id, kind=Plan.Kind.EARLY_HELP, start_date=start, end_date=ended,
                              review_due=None if ended else last_review + dt.timedelta(days=REVIEW_EVERY_DAYS),
                              summary="Outcomes the family chose at the assessment.",
                              created_by=episode.created_by, created_at=ctx.at(start)))
        saved = bulk_create(Plan, plans, ctx, "early help plans")
    actions, links = [], []
    for (episode, start, _ended), plan in zip(plan_rows, saved, strict=True):
        links.append(EarlyHelpPlan(episode_id=episode.pk, plan_id=plan.pk))
        name = names.get(episode.child_id, "The child")
        for order, (change, action, who, agency, measure) in enumerate(rng.sample(ACTIONS, rng.randint(2, 3)), 1):
            actions.append(PlanAction(plan_id=plan.pk, what_must_change=change.format(name=name), action=action,
                                      responsible=who, responsible_agency=agency, measure=measure, order=order,
                                      due_date=start + dt.timedelta(days=rng.randint(42, 140)),
                                      status=rng.choice(("on_track", "on_track", "done", "off_track"))))
    bulk_create(EarlyHelpPlan, links, ctx, "early help plan links")
    bulk_create(PlanAction, actions, ctx, "early help plan actions")
    review_rows = bulk_create(Review, [
        Review(episode_id=e.pk, held_on=held, progress=rng.choice(PROGRESS), created_by=e.created_by,
               childs_views=rng.choice(WISHES).format(name=names.get(e.child_id, "The child")))
        for e, held, _ in reviews], ctx, "early help reviews")
    for review, (episode, held, gain) in zip(review_rows, reviews, strict=True):
        scores.extend(OutcomeScore(episode_id=episode.pk, review_id=review.pk, scored_on=held, area=a, score=s)
                      for a, s in gain.items())
    bulk_create(OutcomeScore, scores, ctx, "early help outcome scores")
