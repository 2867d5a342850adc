"""The children in care work queues (core.work): for an independent reviewing officer, the looked-after
reviews due for the children they review (from the timescales engine) and the escalations they raised
that are still open."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.core.work import WorkItem, WorkQueue, child_subject, deadline_text, register_queue

from . import policy, selectors

ANSWERING_ROLES = frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER})


def reviews_due(user) -> list[WorkItem]:
    return [
        WorkItem(
            label="Chair the looked-after review", url=reverse("care:overview", args=[item.child_id]),
            subject=child_subject(item.child), since=item.measured_from, due=item.due,
            due_text=f"Due {govuk_date(item.due)}: {item.timing_text}", overdue=item.is_overdue,
        )
        for item in selectors.iro_reviews_due(user=user, iro=user)
    ]


def escalations_open(user) -> list[WorkItem]:
    today = timezone.localdate()
    items = []
    for escalation in selectors.iro_escalations(user=user, iro=user):
        waiting = escalation.responded_on is None
        late = waiting and escalation.response_due_on < today
        items.append(WorkItem(
            label="Follow up your escalation" if waiting else "Decide on the response to your escalation",
            url=reverse("care:overview", args=[escalation.child_id]),
            subject=child_subject(escalation.child), since=escalation.raised_on,
            due=escalation.response_due_on if waiting else None,
            due_text=(f"Response due {govuk_date(escalation.response_due_on)}" if waiting
                      else f"Responded {govuk_date(escalation.responded_on)}"),
            overdue=late, detail=escalation.get_stage_display(),
        ))
    return items


def escalations_to_answer(user) -> list[WorkItem]:
    today = timezone.localdate()
    return [
        WorkItem(
            label="Respond to the IRO's escalation",
            url=reverse("care:escalation_respond", args=[escalation.child_id, escalation.pk]),
            subject=child_subject(escalation.child), since=escalation.raised_on, due=escalation.response_due_on,
            due_text=deadline_text(escalation.response_due_on, escalation.response_due_on < today),
            overdue=escalation.response_due_on < today,
            detail=f"{escalation.get_stage_display()}, raised by {escalation.raised_by.display_name}",
        )
        for escalation in selectors.escalations_to_answer(user=user)
    ]


def _answers_escalations(user) -> bool:
    """Those who hold children (the social worker, their team manager) answer an IRO's escalation."""
    return policy.may_view_children_in_care(user) and user.role in ANSWERING_ROLES


register_queue(WorkQueue(
    code="iro_reviews", label="Looked-after reviews due",
    permission=policy.may_view_iro_caseload, items=reviews_due, list_url_name="care:iro_caseload", order=15,
    empty_text="No looked-after reviews are due for the children you review.",
    main_for=frozenset({Role.IRO}),
))
register_queue(WorkQueue(
    code="iro_escalations", label="Your open escalations",
    permission=policy.may_view_iro_caseload, items=escalations_open, list_url_name="care:iro_caseload", order=16,
    empty_text="You have no open escalations.",
    main_for=frozenset({Role.IRO}),
))
register_queue(WorkQueue(
    code="care_escalations_to_answer", label="IRO escalations waiting for your response",
    permission=_answers_escalations, items=escalations_to_answer, list_url_name="care:escalations", order=25,
    empty_text="No IRO escalation is waiting for your response.",
    main_for=frozenset({Role.TEAM_MANAGER}),
))
