"""The workforce work queue (core.work): for a team manager, the workers in their team whose supervision
is overdue or due within a week (how often: the authority's workforce settings)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.core.work import WorkItem, WorkQueue, register_queue

from . import policy, selectors

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
            due_text=(f"Was due by {govuk_date(row.supervision_due)}" if row.supervision_overdue
                      else f"Due by {govuk_date(row.supervision_due)}"),
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
