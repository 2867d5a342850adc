"""The inspection work queue (core.work): the actions of an inspection action plan a person owns and has
not done, soonest due first."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.core.work import WorkItem, WorkQueue, deadline_text, register_queue

from . import policy
from .models import Action


def actions_owned(user) -> list[WorkItem]:
    today = timezone.localdate()
    actions = (Action.objects.filter(owner=user).exclude(status=Action.Status.DONE)
               .select_related("area__inspection").order_by("due_on", "pk"))
    return [
        WorkItem(
            label=action.description if len(action.description) <= 80 else action.description[:79] + "…",
            url=reverse("inspection:action", args=[action.pk]), subject=str(action.area.inspection),
            since=action.created_at, due=action.due_on,
            due_text=deadline_text(action.due_on, action.due_on < today),
            overdue=action.due_on < today, detail=action.get_status_display(),
        )
        for action in actions
    ]


register_queue(WorkQueue(
    code="inspection_actions", label="Your actions from inspections",
    permission=policy.may_own_inspection_actions, items=actions_owned, list_url_name="inspection:my_actions",
    order=75, empty_text="You own no inspection actions that are still to do.",
    main_for=frozenset({Role.PERFORMANCE_ANALYST}),
))
