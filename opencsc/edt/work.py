"""The out-of-hours work queues (core.work): handovers the day team must acknowledge, and, for the
emergency duty team, the handovers it made that the day team has not yet picked up."""

from __future__ import annotations

from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.core.work import WorkItem, WorkQueue, deadline_text, register_queue

from . import policy, selectors

# A queue is a short list to act on, not a report: the full list is the handovers page.
SHOWN = 50


def _items(user, entries) -> list[WorkItem]:
    items = []
    for handover in selectors.with_status(entries):
        entry = handover.entry
        items.append(WorkItem(
            label="Acknowledge the out-of-hours handover",
            url=reverse("edt:entry_detail", args=[entry.child_id, entry.pk]),
            subject=f"{entry.child.full_name} ({entry.child.la_child_id})",
            since=entry.occurred_at,
            due=handover.due,
            due_text=deadline_text(handover.due, handover.overdue, with_time=True),
            overdue=handover.overdue,
            detail=f"For {entry.day_team.name}, from {entry.recorded_by.display_name}",
        ))
    return items


def handovers_to_acknowledge(user) -> list[WorkItem]:
    """Open handovers to the user's team (a service manager: to every team), oldest first."""
    if user.role == Role.SERVICE_MANAGER:
        team = None
    elif user.team_id:
        team = user.team
    else:
        return []
    return _items(user, selectors.handovers(user=user, team=team)[:SHOWN])


def handovers_not_picked_up(user) -> list[WorkItem]:
    """For the emergency duty team: every handover the day teams have not acknowledged yet."""
    return _items(user, selectors.handovers(user=user)[:SHOWN])


def _is_edt(user) -> bool:
    return policy.may_record_out_of_hours(user) and user.role == Role.EDT_WORKER


register_queue(WorkQueue(
    code="edt_handovers", label="Out-of-hours handovers to acknowledge",
    permission=policy.may_acknowledge_handover, items=handovers_to_acknowledge,
    list_url_name="edt:handovers", order=20,
    empty_text="No out-of-hours handovers are waiting for your team.",
    main_for=frozenset({Role.TEAM_MANAGER}),
))
register_queue(WorkQueue(
    code="edt_handovers_open", label="Handovers the day teams have not acknowledged yet",
    permission=_is_edt, items=handovers_not_picked_up, list_url_name="edt:handovers", order=20,
    empty_text="Every out-of-hours handover has been acknowledged.",
    main_for=frozenset({Role.EDT_WORKER}),
))
