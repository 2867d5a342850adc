"""Early help in the child's chronology, and "Early help" in the record's list of services now.

No statutory clock: early help timescales are local practice and no rule names them yet.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse

from opencsc.casework.events import ChronologyItem, EventSource, register, within
from opencsc.casework.summary import register_service_check
from opencsc.core import events
from opencsc.core.prepared import prepared

from .models import EarlyHelpAssessment, EarlyHelpEpisode, Review, StepRequest


@prepared
def _episode_rows(child_id):
    return EarlyHelpEpisode.objects.filter(child_id=child_id).select_related("created_by", "family")


def _episodes(child, date_from=None, date_to=None):
    """Starts and closures: one query."""
    for e in _episode_rows(child.pk):
        url = reverse("earlyhelp:episode_detail", args=[child.pk, e.pk])
        if within(e.start_date, date_from, date_to):
            yield ChronologyItem(date=e.start_date, source="early_help", category="Early help",
                                 title="Early help started", detail=f"{e.get_source_display()} ({e.family})",
                                 url=url, significant=True, author=e.created_by.display_name, sort_key=(e.pk, 0))
        if within(e.closure_date, date_from, date_to):
            yield ChronologyItem(date=e.closure_date, source="early_help", category="Early help",
                                 title="Early help closed", detail=e.get_closure_reason_display(), url=url,
                                 significant=True, sort_key=(e.pk, 9))


@prepared
def _assessment_rows(child_id):
    return EarlyHelpAssessment.objects.filter(episode__child_id=child_id, completed_date__isnull=False)


@prepared
def _review_rows(child_id):
    return Review.objects.filter(episode__child_id=child_id).select_related("created_by")


def _work(child, date_from=None, date_to=None):
    """Assessments completed and reviews held: two queries."""
    for a in _assessment_rows(child.pk):
        if within(a.completed_date, date_from, date_to):
            yield ChronologyItem(date=a.completed_date, source="early_help_work", category="Early help",
                                 title="Early help assessment completed",
                                 url=reverse("earlyhelp:episode_detail", args=[child.pk, a.episode_id]),
                                 sort_key=(a.episode_id, 1))
    for r in _review_rows(child.pk):
        if within(r.held_on, date_from, date_to):
            yield ChronologyItem(date=r.held_on, source="early_help_work", category="Early help",
                                 title="Early help plan reviewed", detail=r.progress[:200],
                                 url=reverse("earlyhelp:episode_detail", args=[child.pk, r.episode_id]),
                                 author=r.created_by.display_name, sort_key=(r.episode_id, 2, r.pk))


@prepared
def _step_rows(child_id):
    return StepRequest.objects.filter(child_id=child_id)


def _steps(child, date_from=None, date_to=None):
    """Step-up requests and panel decisions: one query."""
    url = reverse("earlyhelp:overview", args=[child.pk])
    for s in _step_rows(child.pk):
        kind = "Step-up to children's social care" if s.direction == "step_up" else "Step-down to early help"
        if s.direction == "step_up" and within(s.requested_on, date_from, date_to):
            yield ChronologyItem(date=s.requested_on, source="early_help_steps", category="Early help",
                                 title=f"{kind} requested", detail=s.reason[:200], url=url, sort_key=(s.pk, 0))
        if s.panel_decision and within(s.panel_date, date_from, date_to):
            yield ChronologyItem(date=s.panel_date, source="early_help_steps", category="Early help",
                                 title=f"{kind}: {s.get_panel_decision_display().lower()} by the panel",
                                 detail=s.panel_notes[:200], url=url, significant=True, sort_key=(s.pk, 1))


register(EventSource(key="early_help", label="Early help episodes", fetch=_episodes))
register(EventSource(key="early_help_work", label="Early help assessments and reviews", fetch=_work))
register(EventSource(key="early_help_steps", label="Step-up and step-down panel decisions", fetch=_steps))


def _early_help_expressions():
    from django.db.models import Exists, OuterRef

    return {"open": Exists(EarlyHelpEpisode.objects.filter(child=OuterRef("pk"), closure_date__isnull=True))}


@register_service_check(_early_help_expressions)
def early_help_services(values) -> list[str]:
    """'Early help' while an episode is open."""
    return ["Early help"] if values["open"] else []


# --- The event log (core/events.py): the same entries, written by the services -----------------


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
