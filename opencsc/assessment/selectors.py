"""Reads for episodes of need, always through the access selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.timescales.authority import timescale as authority_timescale
from opencsc.timescales.core import Timescale

from . import rules
from .models import Assessment, CINEpisode, CINPlan

RAG_LABELS = {
    "green": ("On track", "govuk-tag--green"),
    "amber": ("Due soon", "govuk-tag--yellow"),
    "red": ("Overdue", "govuk-tag--red"),
    "done": ("Authorised in time", "govuk-tag--green"),
    "done_late": ("Authorised late", "govuk-tag--orange"),
}


def episodes_for(*, user, child: Child) -> QuerySet[CINEpisode]:
    """The child's episodes of need, newest first (empty if the user cannot see the child)."""
    return (
        CINEpisode.objects.filter(child__in=children_for(user), child=child)
        .prefetch_related(Prefetch("assessments", queryset=Assessment.objects.order_by("-start_date", "-id")))
        .order_by("-referral_date", "-id")
    )


def episode_for(*, user, child: Child, episode_id) -> CINEpisode:
    try:
        return (
            CINEpisode.objects.filter(child__in=children_for(user), child=child)
            .select_related("child", "created_by")
            .get(pk=int(episode_id))
        )
    except (CINEpisode.DoesNotExist, ValueError, TypeError):
        raise Http404("No episode found") from None


def open_episode_for(child: Child) -> CINEpisode | None:
    """The child's open episode of need, if any (at most one: a database constraint).

    For services and other selectors: the caller has already fetched the child through
    `people.access.child_for`, so this does not check access again.
    """
    return CINEpisode.objects.filter(child=child, closure_date__isnull=True).order_by("-referral_date", "-id").first()


def open_assessment(episode: CINEpisode) -> Assessment | None:
    return episode.assessments.filter(completed_date__isnull=True).order_by("-start_date", "-id").first()


@dataclass(frozen=True)
class AssessmentTimeliness:
    due: object
    working_days: int
    rag: str
    label: str
    tag_class: str
    overdue_text: str = ""  # "3 working days overdue" (the due lists' counting), while overdue


def assessment_timescale() -> Timescale:
    """The assessment rule with the authority's settings and the calendar it counts in (one query)."""
    return authority_timescale(rules.ASSESSMENT_RULE)


def assessment_timeliness(episode: CINEpisode, assessment: Assessment, today=None,
                          timescale: Timescale | None = None) -> AssessmentTimeliness:
    """Due date and verdict from the one engine (``timescales.authority.timescale``), as every view shows them."""
    today = today or timezone.localdate()
    timescale = timescale or assessment_timescale()
    end = assessment.completed_date or today
    verdict = timescale.verdict(episode.referral_date, today, assessment.completed_date)
    label, tag = RAG_LABELS.get(verdict.rag, (verdict.rag, ""))
    return AssessmentTimeliness(
        due=verdict.due,
        working_days=rules.assessment_working_days(episode.referral_date, end, timescale),
        rag=verdict.rag,
        label=label,
        tag_class=tag,
        overdue_text=verdict.overdue_text,
    )


def episode_detail(*, user, child: Child, episode_id) -> dict:
    """Everything the episode page shows, in a bounded number of queries."""
    episode = episode_for(user=user, child=child, episode_id=episode_id)
    assessments = list(
        episode.assessments.select_related("authorised_by", "created_by").order_by("-start_date", "-id")
    )
    timescale = assessment_timescale() if assessments else None
    rows = [{"assessment": a, "timeliness": assessment_timeliness(episode, a, timescale=timescale)}
            for a in assessments]
    plans = list(
        CINPlan.objects.filter(episode=episode).select_related("plan").prefetch_related("plan__actions")
        .order_by("-plan__start_date", "-id")
    )
    return {
        "episode": episode,
        "assessments": rows,
        "open_assessment": next((a for a in assessments if a.completed_date is None), None),
        "authorised": [a for a in assessments if a.completed_date is not None],
        "cin_plans": plans,
        "open_cin_plan": next((p for p in plans if p.plan.end_date is None), None),
    }
