"""The records retention work queue (core.work): destruction approved by one person, waiting for a second
person to confirm or decline it (never the person who approved it)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.core.work import WorkItem, WorkQueue, register_queue

from . import policy, selectors


def destruction_to_confirm(user) -> list[WorkItem]:
    pending = (selectors.requests_pending().exclude(requested_by=user).annotate(children=Count("items"))
               .order_by("requested_at", "id"))
    return [
        WorkItem(
            label="Confirm or decline the destruction of records",
            url=reverse("retention:request", args=[request.pk]),
            subject=f"{request.children} child{'' if request.children == 1 else 'ren'}'s records",
            since=request.requested_at,
            detail=f"Approved by {request.requested_by.display_name}",
        )
        for request in pending
    ]


register_queue(WorkQueue(
    code="retention_destruction", label="Destruction of records awaiting a second approver",
    permission=policy.may_approve_destruction, items=destruction_to_confirm,
    list_url_name="retention:requests", order=35,
    empty_text="No destruction of records is waiting for you to confirm.",
    main_for=frozenset({Role.SERVICE_MANAGER}),
))
