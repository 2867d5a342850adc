"""Early help in the child's chronology, and "Early help" in the record's list of services now.

No statutory clock: early help timescales are local practice and no rule names them yet.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse

from opencsc.casework.summary import register_service_check
from opencsc.core import events

from .models import EarlyHelpEpisode, Review, StepRequest


def _early_help_expressions():
    return {"open": Exists(EarlyHelpEpisode.objects.filter(child=OuterRef("pk"), closure_date__isnull=True))}


@register_service_check(_early_help_expressions, section="earlyhelp:overview")
def early_help_services(values) -> list[str]:
    """'Early help' while an episode is open."""
    return ["Early help"] if values["open"] else []


# --- The event log (core/events.py): written by the services -----------------------------------


def _episode_facts(e: EarlyHelpEpisode):
    url = reverse("earlyhelp:episode_detail", args=[e.child_id, e.pk])
    yield events.Fact(child_id=e.child_id, on=e.start_date, seq=0, title="Early help started",
                      category="Early help", detail=f"{e.get_source_display()} ({e.family})", url=url,
                      significant=True, author_id=e.created_by_id, recorded_at=e.created_at)
    if e.closure_date is not None:
        yield events.Fact(child_id=e.child_id, on=e.closure_date, seq=9, title="Early help closed",
                          category="Early help", detail=e.get_closure_reason_display(), url=url,
                          significant=True, recorded_at=e.created_at)


def _with_reviews(episodes):
    return episodes.prefetch_related(Prefetch("reviews", queryset=Review.objects.order_by("pk")))


def _work_facts(e: EarlyHelpEpisode):
    """The episode's assessment completed (seq 1) and its reviews (seq 2, 3...: in the order they were
    recorded), all under the episode, as the chronology has always ordered them."""
    url = reverse("earlyhelp:episode_detail", args=[e.child_id, e.pk])
    assessment = getattr(e, "assessment", None)
    if assessment is not None and assessment.completed_date is not None:
        yield events.Fact(child_id=e.child_id, on=assessment.completed_date, seq=1,
                          title="Early help assessment completed", category="Early help", url=url,
                          recorded_at=assessment.created_at)
    for n, r in enumerate(e.reviews.all()):
        yield events.Fact(child_id=e.child_id, on=r.held_on, seq=2 + n, title="Early help plan reviewed",
                          category="Early help", detail=r.progress[:200], url=url, author_id=r.created_by_id,
                          recorded_at=r.created_at)


def _step_facts(s: StepRequest):
    url = reverse("earlyhelp:overview", args=[s.child_id])
    kind = "Step-up to children's social care" if s.direction == "step_up" else "Step-down to early help"
    if s.direction == "step_up":
        yield events.Fact(child_id=s.child_id, on=s.requested_on, seq=0, title=f"{kind} requested",
                          category="Early help", detail=s.reason[:200], url=url, recorded_at=s.created_at)
    if s.panel_decision and s.panel_date is not None:
        yield events.Fact(child_id=s.child_id, on=s.panel_date, seq=1,
                          title=f"{kind}: {s.get_panel_decision_display().lower()} by the panel",
                          category="Early help", detail=s.panel_notes[:200], url=url, significant=True,
                          recorded_at=s.created_at)


events.register(events.Source(
    key="early_help", label="Early help episodes", model="earlyhelp.EarlyHelpEpisode", project=_episode_facts,
    related=("family",), follows={"earlyhelp.Family": "family"},
))
# One source on the episode: the assessment's and the reviews' entries have always been the episode's.
events.register(events.Source(
    key="early_help_work", label="Early help assessments and reviews", model="earlyhelp.EarlyHelpEpisode",
    project=_work_facts, related=("assessment",), prepare=_with_reviews,
    follows={"earlyhelp.EarlyHelpAssessment": "assessment", "earlyhelp.Review": "reviews"},
))
events.register(events.Source(
    key="early_help_steps", label="Step-up and step-down panel decisions", model="earlyhelp.StepRequest",
    project=_step_facts,
))
