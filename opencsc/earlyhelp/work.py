"""The early help work queue (core.work): step-ups and step-downs waiting for the panel's decision."""

from __future__ import annotations

from django.urls import reverse

from opencsc.core.work import WorkItem, WorkQueue, child_subject, register_queue
from opencsc.people.access import children_for

from . import policy, selectors
from .models import StepRequest

# A queue is a short list to act on: the early help dashboard lists every one.
SHOWN = 50


def steps_awaiting_panel(user) -> list[WorkItem]:
    """Step-ups and step-downs asked for, and episodes of need closed with a step-down to early help that
    no request records yet, oldest first."""
    children = children_for(user)
    steps = (StepRequest.objects.filter(child__in=children, panel_decision="", outcome="")
             .select_related("child").order_by("requested_on", "id")[:SHOWN])
    items = [
        WorkItem(
            label="Record the panel's decision", url=reverse("earlyhelp:step_decision", args=[step.child_id, step.pk]),
            subject=child_subject(step.child), since=step.requested_on, detail=step.get_direction_display(),
        )
        for step in steps
    ]
    closed = selectors.awaiting_panel_step_downs(children).select_related("child").order_by("closure_date", "id")
    items += [
        WorkItem(
            label="Record the panel's decision",
            url=reverse("earlyhelp:step_down_decision", args=[episode.child_id, episode.pk]),
            subject=child_subject(episode.child), since=episode.step_down_date or episode.closure_date,
            detail=StepRequest.Direction.STEP_DOWN.label,
        )
        for episode in closed[:SHOWN]
    ]
    items.sort(key=lambda item: item.since)
    return items


register_queue(WorkQueue(
    code="earlyhelp_panel", label="Step-ups and step-downs waiting for the panel",
    permission=policy.may_record_panel_decision, items=steps_awaiting_panel, list_url_name="earlyhelp:dashboard",
    order=40, empty_text="No step-up or step-down is waiting for the panel.",
))
