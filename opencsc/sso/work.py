"""The single sign-on work queue (core.work): links of council accounts waiting for a service manager's
approval (never one they asked for, nor one to their own account)."""

from __future__ import annotations

from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.core.work import WorkItem, WorkQueue, register_queue

from . import config, policy, selectors, services


def links_to_approve(user) -> list[WorkItem]:
    return [
        WorkItem(
            label="Approve or decline a single sign-on link",
            url=reverse("sso:approval", args=[link.pk]),
            subject=link.user.display_name,
            since=link.linked_at,
            detail=f"Linked by {link.linked_by.display_name}" if link.linked_by_id else "",
        )
        for link in selectors.links_awaiting_approval()
        if not services.link_decision_refusal(actor=user, identity=link)
    ]


def _may_approve(user) -> bool:
    return config.enabled() and policy.may_approve_sso_links(user)


register_queue(WorkQueue(
    code="sso_links", label="Single sign-on links awaiting your approval",
    permission=_may_approve, items=links_to_approve, list_url_name="sso:approvals", order=36,
    empty_text="No single sign-on links are waiting for your approval.",
    main_for=frozenset({Role.SERVICE_MANAGER}),
))
