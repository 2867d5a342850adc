"""The accounts area's work queue (core.work): requests that need a second person to approve them."""

from __future__ import annotations

from django.urls import reverse

from opencsc.core.work import WorkItem, WorkQueue, register_queue

from . import permissions, selectors, services
from .roles import Role


def approvals_awaiting(user) -> list[WorkItem]:
    """Pending requests this user may decide (not their own, nor about themselves), oldest first."""
    return [
        WorkItem(
            label=f"Approve or decline: {approval.get_kind_display().lower()}",
            url=reverse("accounts:approval_detail", args=[approval.pk]),
            subject=approval.subject.display_name,
            since=approval.requested_at,
            detail=f"Asked for by {approval.requested_by.display_name}" if approval.requested_by else "",
        )
        for approval in selectors.approvals_pending()
        if not services.approval_refusal(actor=user, approval=approval)
    ]


register_queue(WorkQueue(
    code="account_approvals", label="Account changes awaiting your approval",
    permission=permissions.may_view_approvals, items=approvals_awaiting,
    list_url_name="accounts:approval_list", order=30,
    empty_text="No account changes are waiting for your approval.",
    main_for=frozenset({Role.SERVICE_MANAGER, Role.ADMINISTRATOR}),
))
