"""Reads for early help, always through the access selectors.

Every list of children starts from `children_for(user)`, so restricted records vanish
from the dashboard, the families list and the drill-downs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateformat import format as date_format

from opencsc.assessment.models import CINEpisode
from opencsc.people.access import children_for
from opencsc.people.models import Child

from .models import (
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

RATE_DAYS = 365


def episodes_for(*, user, child: Child) -> QuerySet[EarlyHelpEpisode]:
    return (EarlyHelpEpisode.objects.filter(child__in=children_for(user), child=child)
            .select_related("family", "team").order_by("-start_date", "-id"))


def episode_for(*, user, child: Child, episode_id) -> EarlyHelpEpisode:
    try:
        return episodes_for(user=user, child=child).select_related("child", "created_by").get(pk=int(episode_id))
    except (EarlyHelpEpisode.DoesNotExist, ValueError, TypeError):
        raise Http404("No early help episode found") from None


def step_for(*, user, child: Child, step_id) -> StepRequest:
    try:
        return (StepRequest.objects.filter(child__in=children_for(user), child=child)
                .select_related("child", "early_help_episode", "cin_episode").get(pk=int(step_id)))
    except (StepRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No step-up or step-down found") from None


def step_down_for(*, user, child: Child, cin_episode_id) -> CINEpisode:
    """A closed episode of need with a step-down to early help the panel has not decided on yet."""
    decided = StepRequest.objects.filter(cin_episode=OuterRef("pk"), direction=StepRequest.Direction.STEP_DOWN)
    try:
        return (CINEpisode.objects.filter(child__in=children_for(user), child=child, step_down_to_early_help=True,
                                          closure_date__isnull=False)
                .exclude(Exists(decided)).select_related("child").get(pk=int(cin_episode_id)))
    except (CINEpisode.DoesNotExist, ValueError, TypeError):
        raise Http404("No step-down waiting for the panel") from None


def awaiting_panel_step_downs(children) -> QuerySet[CINEpisode]:
    decided = StepRequest.objects.filter(cin_episode=OuterRef("pk"), direction=StepRequest.Direction.STEP_DOWN)
    return CINEpisode.objects.filter(child__in=children, step_down_to_early_help=True,
                                     closure_date__isnull=False).exclude(Exists(decided))


def child_overview(*, user, child: Child) -> dict:
    """The child's early help page: episodes, and step-downs and step-ups still in progress."""
    return {
        "episodes": list(episodes_for(user=user, child=child)),
        "awaiting_panel": list(awaiting_panel_step_downs(children_for(user).filter(pk=child.pk))
                               .order_by("-closure_date")),
        "steps": list(StepRequest.objects.filter(child=child, child__in=children_for(user))
                      .select_related("early_help_episode", "cin_episode").order_by("-requested_on", "-id")),
    }


@dataclass(frozen=True)
class ScoreRow:
    label: str
    scores: list[int | None]

    @property
    def change(self) -> int | None:
        known = [s for s in self.scores if s is not None]
        return known[-1] - known[0] if len(known) > 1 else None


def score_table(episode: EarlyHelpEpisode) -> tuple[list[str], list[ScoreRow]]:
    """Scores by area: the start, then each review in order (one query)."""
    scores = list(OutcomeScore.objects.filter(episode=episode).select_related("review")
                  .order_by("scored_on", "review_id", "area"))
    columns: list[tuple] = []
    for s in scores:
        key = (s.review_id is not None, s.scored_on, s.review_id or 0)
        if key not in columns:
            columns.append(key)
    columns.sort()
    headings = [("Review " if review else "Start ") + date_format(on, "j M Y")
                for review, on, _ in columns]
    by_cell = {((s.review_id is not None, s.scored_on, s.review_id or 0), s.area): s.score for s in scores}
    rows = [ScoreRow(area.label, [by_cell.get((col, area.value)) for col in columns]) for area in OutcomeArea]
    return headings, rows if columns else []


def episode_detail(*, user, child: Child, episode_id) -> dict:
    """Everything the episode page shows, in a bounded number of queries."""
    episode = episode_for(user=user, child=child, episode_id=episode_id)
    plans = list(EarlyHelpPlan.objects.filter(episode=episode).select_related("plan")
                 .prefetch_related("plan__actions").order_by("-plan__start_date", "-id"))
    headings, score_rows = score_table(episode)
    siblings = list(EarlyHelpEpisode.objects.filter(family_id=episode.family_id, closure_date__isnull=True,
                                                    child__in=children_for(user))
                    .exclude(child=child).select_related("child"))
    return {
        "episode": episode,
        "assessment": EarlyHelpAssessment.objects.filter(episode=episode).first(),
        "members": list(TeamMember.objects.filter(family_id=episode.family_id, left_on__isnull=True)),
        "plans": plans,
        "open_plan": next((p for p in plans if p.plan.end_date is None), None),
        "reviews": list(Review.objects.filter(episode=episode).select_related("created_by")),
        "score_headings": headings,
        "score_rows": score_rows,
        "siblings": siblings,
        "steps": list(episode.step_requests.order_by("-requested_on", "-id")),
        "pending_step_up": episode.step_requests.filter(direction=StepRequest.Direction.STEP_UP,
                                                        outcome="").first(),
    }


# --- Dashboard ----------------------------------------------------------------------------


def _rate(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class Waiting:
    label: str
    count: int
    longest_days: int | None


def _waiting(label, qs, field, today) -> Waiting:
    row = qs.aggregate(n=Count("id"), oldest=Min(field))
    return Waiting(label, row["n"], (today - row["oldest"]).days if row["oldest"] else None)


def dashboard(*, user, today: dt.date | None = None) -> dict:
    """The early help figures at a glance: a fixed number of queries, whatever the size of the authority."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=RATE_DAYS)
    children = children_for(user)
    open_episodes = EarlyHelpEpisode.objects.filter(child__in=children, closure_date__isnull=True)
    now = open_episodes.aggregate(children=Count("id"), families=Count("family", distinct=True))
    year = EarlyHelpEpisode.objects.filter(child__in=children).aggregate(
        started=Count("family", distinct=True, filter=Q(start_date__gte=since, start_date__lte=today)),
        closed=Count("id", filter=Q(closure_date__gte=since, closure_date__lte=today)),
        stepped_up=Count("id", filter=Q(closure_date__gte=since, closure_date__lte=today,
                                        closure_reason=EarlyHelpEpisode.ClosureReason.STEPPED_UP)),
        achieved=Count("id", filter=Q(closure_date__gte=since, closure_date__lte=today,
                                      closure_reason=EarlyHelpEpisode.ClosureReason.OUTCOMES_ACHIEVED)),
    )
    cin = CINEpisode.objects.filter(child__in=children, closure_date__gte=since, closure_date__lte=today,
                                    referral_nfa=False).aggregate(
        closed=Count("id"), stepped_down=Count("id", filter=Q(step_down_to_early_help=True)))
    steps = StepRequest.objects.filter(child__in=children, outcome="")
    up, down = StepRequest.Direction.STEP_UP, StepRequest.Direction.STEP_DOWN
    return {
        "today": today,
        "since": since,
        "families_now": now["families"],
        "children_now": now["children"],
        "families_started": year["started"],
        "closed": year["closed"],
        "step_up_rate": _rate(year["stepped_up"], year["closed"]),
        "stepped_up": year["stepped_up"],
        "outcomes_achieved_rate": _rate(year["achieved"], year["closed"]),
        "cin_closed": cin["closed"],
        "stepped_down": cin["stepped_down"],
        "step_down_rate": _rate(cin["stepped_down"], cin["closed"]),
        "step_downs": [
            _waiting("Waiting for the panel", awaiting_panel_step_downs(children), "closure_date", today),
            _waiting("Accepted, not yet taken on by early help",
                     steps.filter(direction=down, panel_decision=StepRequest.Decision.ACCEPTED), "requested_on",
                     today),
        ],
        "step_ups": [
            _waiting("Waiting for the panel", steps.filter(direction=up, panel_decision=""), "requested_on", today),
            _waiting("Accepted, not yet taken on by social care",
                     steps.filter(direction=up, panel_decision=StepRequest.Decision.ACCEPTED), "requested_on", today),
        ],
    }


def families(*, user, query: str = "") -> QuerySet[Family]:
    """Families with a child open to early help, with those children (only ones the user may see)."""
    children = children_for(user)
    open_episodes = EarlyHelpEpisode.objects.filter(child__in=children, closure_date__isnull=True)
    qs = (Family.objects.filter(Exists(open_episodes.filter(family=OuterRef("pk"))))
          .annotate(since=Min("episodes__start_date", filter=Q(episodes__closure_date__isnull=True)))
          .prefetch_related(
              Prefetch("episodes", queryset=open_episodes.select_related("child").order_by("child__first_name"),
                       to_attr="open_episodes"),
              Prefetch("members", queryset=TeamMember.objects.filter(is_lead=True, left_on__isnull=True),
                       to_attr="leads"))
          .order_by("since", "id"))
    if query:
        matching = open_episodes.filter(Q(child__first_name__icontains=query) | Q(child__last_name__icontains=query))
        qs = qs.filter(Q(name__icontains=query) | Exists(matching.filter(family=OuterRef("pk"))))
    return qs


@dataclass(frozen=True)
class PendingRow:
    child: Child
    stage: str
    since: dt.date
    days: int
    step: StepRequest | None = None
    cin_episode: CINEpisode | None = None


def pending(*, user, direction: str, today: dt.date | None = None) -> list[PendingRow]:
    """Step-downs or step-ups not yet settled, longest wait first: the children behind the dashboard's numbers."""
    today = today or timezone.localdate()
    children = children_for(user)
    rows: list[PendingRow] = []
    if direction == StepRequest.Direction.STEP_DOWN:
        for episode in awaiting_panel_step_downs(children).select_related("child"):
            since = episode.step_down_date or episode.closure_date
            rows.append(PendingRow(episode.child, "Waiting for the panel", since, (today - since).days,
                                   cin_episode=episode))
    steps = (StepRequest.objects.filter(child__in=children, direction=direction, outcome="")
             .select_related("child"))
    for step in steps:
        stage = "Waiting for the panel" if not step.panel_decision else (
            "Accepted, not yet taken on by early help" if direction == StepRequest.Direction.STEP_DOWN
            else "Accepted, not yet taken on by social care")
        rows.append(PendingRow(step.child, stage, step.requested_on, (today - step.requested_on).days, step=step))
    rows.sort(key=lambda r: (r.since, r.child.pk))
    return rows
