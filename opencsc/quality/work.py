"""The practice quality work queues (core.work): the case audits a person has started and not completed,
and the actions from audits they own that are not done."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import CASEWORK_ROLES, Role
from opencsc.core.work import WorkItem, WorkQueue, child_subject, deadline_text, register_queue

from . import policy, selectors
from .models import CaseAudit


def audits_to_complete(user) -> list[WorkItem]:
    audits = (selectors.audits_for(user).filter(auditor=user, status=CaseAudit.Status.IN_PROGRESS)
              .order_by("created_at", "id"))
    return [
        WorkItem(
            label="Complete the case audit",
            url=reverse("quality:audit_detail", args=[audit.child_id, audit.pk]),
            subject=child_subject(audit.child), since=audit.created_at,
            detail=f"Themed audit: {audit.themed_audit.title}" if audit.themed_audit_id else "",
        )
        for audit in audits
    ]


def actions_to_do(user) -> list[WorkItem]:
    today = timezone.localdate()
    actions = selectors.actions_for(user).filter(owner=user, completed_on__isnull=True).order_by("due_date", "id")
    return [
        WorkItem(
            label=action.action if len(action.action) <= 80 else action.action[:79] + "…",
            url=reverse("quality:child", args=[action.audit.child_id]),
            subject=child_subject(action.audit.child), since=action.created_at, due=action.due_date,
            due_text=deadline_text(action.due_date, action.due_date < today),
            overdue=action.due_date < today, detail="An action from a case audit",
        )
        for action in actions
    ]


def _may_own_actions(user) -> bool:
    """Actions from audits are given to practitioners, managers and auditors."""
    return policy.may_audit_case(user) or (getattr(user, "is_authenticated", False) and user.role in CASEWORK_ROLES
                                           and user.is_active)


register_queue(WorkQueue(
    code="quality_audits", label="Case audits to complete",
    permission=policy.may_audit_case, items=audits_to_complete, list_url_name="quality:audits", order=60,
    empty_text="You have no case audits in progress.",
    main_for=frozenset({Role.AUDITOR}),
))
register_queue(WorkQueue(
    code="quality_actions", label="Actions from case audits",
    permission=_may_own_actions, items=actions_to_do, list_url_name="quality:actions", order=65,
    empty_text="No actions from case audits are waiting for you.",
    main_for=frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER}),
))
