"""The allocation queues (core.work): children waiting in a team for a worker, for the team's managers, and
children newly allocated to a worker, for that worker; and, for a team manager, the workers in their team whose
supervision is overdue or due within a week (how often: the authority's workforce settings). Registered from
WorkforceConfig.ready().

"Newly allocated to you" keeps a child until the worker takes the case up: opens the child's record (any page
of the record, written to the access log), records a visit or writes a case note, on or after the day the
allocation began (``casework.selectors.newly_allocated``). The visits and the assessment that follow are on
the child's due list (timescales), which the allocation already puts in the worker's My work.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.casework import policy as casework_policy
from opencsc.casework import selectors as casework_selectors
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.core.work import WorkItem, WorkQueue, child_subject, deadline_text, register_queue
from opencsc.people.access import children_for
from opencsc.timescales.selectors import due_items

from . import policy, selectors

ASSESSMENT_RULE = "assessment"  # the child and family assessment's clock, from the referral


def _assessment_clocks(user, allocations) -> dict:
    """The assessment clock of each waiting child (the timescales engine's due item), by child: one due list."""
    if not allocations:
        return {}
    clocks = {}
    children = children_for(user).filter(pk__in=[a.child_id for a in allocations])
    for item in due_items(children=children, rules=[ASSESSMENT_RULE]):  # most urgent first
        clocks.setdefault(item.child_id, item)
    return clocks


def awaiting_allocation_items(user) -> list[WorkItem]:
    """Children held in the manager's teams with no worker: allocate them (the form opens on their team). The
    child's assessment clock, which runs from the referral whether or not a worker holds it, is shown."""
    allocations = list(casework_selectors.awaiting_allocation(user=user))
    clocks = _assessment_clocks(user, allocations)
    items = []
    for a in allocations:
        clock = clocks.get(a.child_id)
        items.append(WorkItem(
            label="Allocate to a worker", subject=child_subject(a.child), since=a.start_date,
            url=f"{reverse('workforce:allocate', args=[a.child_id])}?team={a.team_id}",
            due=clock.due if clock else None, due_text=f"Assessment: {clock.timing_text}" if clock else "",
            overdue=clock.is_overdue if clock else False,
            detail=f"Waiting in {a.team.name}" + (f": {a.reason}" if a.reason else "")))
    return items


def newly_allocated_items(user) -> list[WorkItem]:
    """Children allocated to this worker whose record they have not opened since."""
    return [
        WorkItem(label="Open the record and plan your first visit", subject=child_subject(a.child), since=a.start_date,
                 url=reverse("casework:child_record", args=[a.child_id]),
                 detail=f"Allocated to you in {a.team.name}" + (f": {a.reason}" if a.reason else ""))
        for a in casework_selectors.newly_allocated(user=user)
    ]


AWAITING_ALLOCATION = WorkQueue(
    code="awaiting_allocation", label="Referrals awaiting allocation", permission=casework_policy.may_allocate,
    items=awaiting_allocation_items, list_url_name="workforce:awaiting_allocation", order=20,
    empty_text="No child is waiting in your teams for a worker.", main_for=frozenset({Role.TEAM_MANAGER}),
)
NEWLY_ALLOCATED = WorkQueue(
    code="newly_allocated", label="Newly allocated to you", permission=casework_policy.may_hold_cases,
    items=newly_allocated_items, list_url_name="workforce:newly_allocated", order=15,
    empty_text="No child has been allocated to you since you last looked.",
    main_for=casework_policy.CASE_HOLDING_ROLES,
)

register_queue(AWAITING_ALLOCATION)
register_queue(NEWLY_ALLOCATED)


DUE_WITHIN_DAYS = 7


def supervision_due(user) -> list[WorkItem]:
    today = timezone.localdate()
    rows = selectors.workloads(selectors.case_holders(selectors.teams_for(user)), today=today)
    soon = today + dt.timedelta(days=DUE_WITHIN_DAYS)
    rows = sorted((r for r in rows if r.supervision_due and r.supervision_due <= soon),
                  key=lambda r: (r.supervision_due, r.worker.pk))
    return [
        WorkItem(
            label="Supervise", url=reverse("workforce:worker", args=[row.worker.pk]),
            subject=row.worker.display_name, due=row.supervision_due,
            due_text=deadline_text(row.supervision_due, row.supervision_overdue),
            overdue=row.supervision_overdue,
            detail=(f"Last supervised {govuk_date(row.last_supervision)}" if row.last_supervision
                    else "Not supervised yet"),
        )
        for row in rows
    ]


def _is_team_manager(user) -> bool:
    return policy.may_view_workload(user) and user.role == Role.TEAM_MANAGER


register_queue(WorkQueue(
    code="workforce_supervision", label="Supervision due in your team",
    permission=_is_team_manager, items=supervision_due, list_url_name="workforce:supervision_list", order=45,
    empty_text="No one in your team is due supervision this week.",
    main_for=frozenset({Role.TEAM_MANAGER}),
))
