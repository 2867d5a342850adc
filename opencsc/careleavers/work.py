"""The care leavers work queue (core.work): for a personal adviser, what is due for the young people they
hold (pathway plan reviews, needs assessments, adviser visits), from the timescales engine. A personal
adviser holds young people through an adviser allocation, not a casework allocation, so My work's due
list (the children allocated to them) does not show these."""

from __future__ import annotations

from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.core.work import WorkItem, WorkQueue, register_queue
from opencsc.people.access import children_for
from opencsc.timescales.selectors import due_items

from . import policy
from .models import AdviserAllocation

ADVISER_RULES = ("pathway_plan_review", "needs_assessment", "pa_visit")


def due_for_young_people(user) -> list[WorkItem]:
    held = AdviserAllocation.objects.filter(adviser=user, end_date__isnull=True).values("child_id")
    children = children_for(user).filter(pk__in=held)
    items = due_items(children=children, rules=ADVISER_RULES)
    if not items:
        return []
    by_id = {c.pk: c for c in children.only("id", "first_name", "last_name", "preferred_name", "la_child_id")}
    return [
        WorkItem(
            label=item.rule_name, url=reverse("careleavers:overview", args=[item.child_id]),
            subject=f"{by_id[item.child_id].full_name} ({by_id[item.child_id].la_child_id})",
            since=item.measured_from, due=item.due, due_text=f"Due {govuk_date(item.due)}: {item.timing_text}",
            overdue=item.is_overdue,
        )
        for item in items if item.child_id in by_id
    ]


def _is_adviser(user) -> bool:
    return policy.may_view_care_leavers(user) and user.role == Role.PERSONAL_ADVISER


register_queue(WorkQueue(
    code="careleavers_due", label="Due for your young people",
    permission=_is_adviser, items=due_for_young_people, list_url_name="careleavers:caseload", order=12,
    empty_text="Nothing is due for the young people you hold as personal adviser.",
    main_for=frozenset({Role.PERSONAL_ADVISER}),
))
