"""Reads for inspections and action plans, with the permission checks (policy.py): a role that may not
read them is refused (403) before anything is looked up; a record that does not exist is 404, logged.

Pages run a fixed number of queries whatever the length of a plan: areas, actions and their owners
and latest updates are fetched in bulk.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from opencsc.accounts.policy import log_refusal
from opencsc.timescales.authority import national_calendar

from . import policy, rules
from .indicators import describe
from .models import Action, ActionUpdate, AreaForImprovement, Inspection
from .services import can_update


def _not_found(user, *, reference: str, request=None) -> Http404:
    """A record that does not exist: 404, with the refusal in the access log."""
    log_refusal(user, reference=reference, path=request.get_full_path() if request is not None else "")
    return Http404("Page not found")


def _has_priority(inspection: Inspection) -> bool:
    annotated = getattr(inspection, "has_priority", None)
    if annotated is not None:
        return annotated
    return inspection.areas.filter(is_priority_action=True).exists()


def deadline(inspection: Inspection, *, today: dt.date | None = None, calendar=None) -> rules.PlanDeadline:
    return rules.plan_deadline(
        kind=inspection.kind, has_priority_action=_has_priority(inspection),
        received_on=inspection.report_received_on, submitted_on=inspection.plan_submitted_on,
        today=today or timezone.localdate(), calendar=calendar or national_calendar(),
    )


def inspections_for(user):
    policy.may_view_inspections.require(user)
    today = timezone.localdate()
    return Inspection.objects.annotate(
        area_count=Count("areas", distinct=True),
        action_count=Count("areas__actions", distinct=True),
        overdue_count=Count("areas__actions", distinct=True,
                            filter=Q(areas__actions__due_on__lt=today) & ~Q(areas__actions__status=Action.Status.DONE)),
        has_priority=Exists(AreaForImprovement.objects.filter(inspection=OuterRef("pk"), is_priority_action=True)),
    ).order_by("-started_on", "-pk")


def inspection_for(user, inspection_id: int, *, request=None) -> Inspection:
    policy.may_view_inspections.require(user, request=request)
    inspection = Inspection.objects.filter(pk=inspection_id).annotate(
        has_priority=Exists(AreaForImprovement.objects.filter(inspection=OuterRef("pk"), is_priority_action=True)),
    ).first()
    if inspection is None:
        raise _not_found(user, reference=f"inspection:{inspection_id}", request=request)
    return inspection


def area_for(user, inspection: Inspection, area_id: int, *, request=None) -> AreaForImprovement:
    policy.may_view_inspections.require(user, request=request)
    area = AreaForImprovement.objects.filter(inspection=inspection, pk=area_id).first()
    if area is None:
        raise _not_found(user, reference=f"inspection_area:{area_id}", request=request)
    return area


def _actions():
    return Action.objects.select_related("owner", "area", "area__inspection")


def action_for(user, action_id: int, *, to_update: bool = False, request=None) -> Action:
    """One action, for readers of plans or its owner; `to_update` asks for the right to record progress.

    A role that can neither read plans nor own actions is refused (403) before the look-up; a missing
    action is 404 (logged); an action the user may not see or update is 403."""
    policy.may_own_inspection_actions.require(user, request=request)  # every role that may read plans too
    action = _actions().filter(pk=action_id).first()
    if action is None:
        raise _not_found(user, reference=f"inspection_action:{action_id}", request=request)
    allowed = can_update(user, action) if to_update else (
        policy.may_view_inspections(user) or action.owner_id == user.pk)
    if not allowed:
        raise PermissionDenied("You cannot see this action" if not to_update
                               else "Only the owner, managers and performance analysts can update this action")
    return action


def action_row(action: Action, today: dt.date) -> dict:
    rag = rules.action_rag(due_on=action.due_on, today=today, done=action.is_done, completed_on=action.completed_on)
    latest = getattr(action, "latest_updates", None)
    return {
        "action": action, "rag": rag, "rag_label": rules.RAG_LABELS[rag],
        "status_label": "Overdue" if rag == "red" else action.get_status_display(),
        "latest": latest[0] if latest else None,
    }


def _with_latest(queryset):
    return queryset.prefetch_related(
        Prefetch("updates", queryset=ActionUpdate.objects.select_related("author"), to_attr="latest_updates"))


def action_plan(inspection: Inspection, *, today: dt.date | None = None) -> dict:
    """The plan page: each area with its linked indicators and actions (with RAG), and the deadline."""
    today = today or timezone.localdate()
    areas = list(inspection.areas.prefetch_related(
        Prefetch("actions", queryset=_with_latest(Action.objects.select_related("owner")).order_by("due_on", "pk"))))
    rows = []
    totals = {key: 0 for key in rules.RAG_LABELS}
    for area in areas:
        actions = [action_row(a, today) for a in area.actions.all()]
        for row in actions:
            totals[row["rag"]] += 1
        rows.append({"area": area, "indicators": describe(area.indicator_keys), "actions": actions})
    return {
        "inspection": inspection, "areas": rows, "totals": totals,
        "action_count": sum(totals.values()),
        "deadline": deadline(inspection, today=today), "today": today,
    }


def action_history(action: Action) -> list[ActionUpdate]:
    return list(action.updates.select_related("author"))


def my_actions(user, *, show: str = "outstanding"):
    policy.may_own_inspection_actions.require(user)
    rows = _with_latest(_actions().filter(owner=user))
    if show != "all":
        rows = rows.exclude(status=Action.Status.DONE)
    return rows.order_by("due_on", "pk")


def overdue_actions(user, *, today: dt.date | None = None):
    policy.may_view_inspections.require(user)
    today = today or timezone.localdate()
    return _with_latest(_actions().filter(due_on__lt=today).exclude(status=Action.Status.DONE)).order_by(
        "due_on", "pk")


def owners():
    """Who may be named as an action's owner: active staff (not partner agency practitioners)."""
    return get_user_model().objects.filter(is_active=True, role__in=policy.may_own_inspection_actions.roles).order_by(
        "first_name", "last_name", "username")
