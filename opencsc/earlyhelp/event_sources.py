"""Early help in the child's chronology, and "Early help" in the record's list of services now.

No statutory clock: early help timescales are local practice and no rule names them yet.
"""

from __future__ import annotations

from django.urls import reverse

from opencsc.casework.events import ChronologyItem, EventSource, register, within
from opencsc.casework.summary import register_service_check
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
