"""Writes for inspections and action plans: keyword-only, checked, in a transaction, audited.

The permission is checked here as well as in the views (policy.py); a refused write changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.core.templatetags.govuk import govuk_date

from . import policy
from .indicators import unknown_keys
from .models import Action, ActionUpdate, AreaForImprovement, Inspection, Judgement
from .parsing import MAX_LENGTH, parse_areas, too_long
from .rules import JUDGED_KINDS


def _strip(value) -> str:
    return (value or "").strip()


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def can_update(actor, action: Action) -> bool:
    """Record progress on this action: anyone who may change actions, or the action's owner."""
    return policy.may_change_inspection_actions(actor) or action.owner_id == getattr(actor, "pk", None)


# --- Inspections ---------------------------------------------------------------------------------


def _inspection_errors(values: dict) -> dict[str, str]:
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if values.get("kind") not in Inspection.Kind.values:
        errors["kind"] = "Select the kind of inspection"
    started, ended = values.get("started_on"), values.get("ended_on")
    for field, value, what in (("started_on", started, "first day of the inspection"),
                               ("ended_on", ended, "last day of the inspection")):
        if value is None:
            errors[field] = f"Enter the {what}"
        elif value > today:
            errors[field] = f"The {what} must be today or in the past"
    if started and ended and "ended_on" not in errors and ended < started:
        errors["ended_on"] = f"The last day must be on or after the first day ({govuk_date(started)})"
    for field, what in (("report_received_on", "date the final report was received"),
                        ("published_on", "date the report was published"),
                        ("plan_submitted_on", "date the action plan was sent")):
        value = values.get(field)
        if value is None:
            continue
        if value > today:
            errors[field] = f"The {what} must be today or in the past"
        elif ended and value < ended:
            errors[field] = f"The {what} must be on or after the last day of the inspection ({govuk_date(ended)})"
    received, submitted = values.get("report_received_on"), values.get("plan_submitted_on")
    if submitted is not None and "plan_submitted_on" not in errors:
        if received is None:
            errors["plan_submitted_on"] = "Enter the date the final report was received before the plan was sent"
        elif submitted < received:
            errors["plan_submitted_on"] = (
                f"The plan must be sent on or after the report was received ({govuk_date(received)})")
    judged = values.get("kind") in JUDGED_KINDS
    for field in Inspection.JUDGEMENT_FIELDS:
        value = values.get(field) or ""
        if value and value not in Judgement.values:
            errors[field] = "Select a judgement from the list"
        elif value and not judged and "kind" not in errors:
            errors[field] = "Only ILACS inspections give judgements: leave this blank"
    return errors


def inspection_create(
    *,
    actor,
    kind: str,
    started_on: dt.date,
    ended_on: dt.date,
    report_received_on: dt.date | None = None,
    published_on: dt.date | None = None,
    overall_judgement: str = "",
    leaders_judgement: str = "",
    help_and_protection_judgement: str = "",
    children_in_care_judgement: str = "",
    care_leavers_judgement: str = "",
    report_url: str = "",
) -> Inspection:
    policy.may_enter_inspections.require(actor)
    values = {
        "kind": kind, "started_on": started_on, "ended_on": ended_on, "report_received_on": report_received_on,
        "published_on": published_on, "overall_judgement": overall_judgement or "",
        "leaders_judgement": leaders_judgement or "",
        "help_and_protection_judgement": help_and_protection_judgement or "",
        "children_in_care_judgement": children_in_care_judgement or "",
        "care_leavers_judgement": care_leavers_judgement or "", "report_url": _strip(report_url),
    }
    errors = _inspection_errors(values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection = Inspection(created_by=actor, **values)
        inspection.full_clean()
        inspection.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=inspection, changes=_created(inspection),
              summary=f"{inspection.get_kind_display()} entered")
    return inspection


EDITABLE = ("kind", "started_on", "ended_on", "report_received_on", "published_on", *Inspection.JUDGEMENT_FIELDS,
            "report_url", "plan_submitted_on")


def inspection_update(*, actor, inspection: Inspection, expected_version: int, **values) -> dict:
    """Change an inspection's details (including the date the plan was sent). Returns the changes."""
    policy.may_enter_inspections.require(actor)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Cannot change {sorted(unknown)}")
    merged = {field: getattr(inspection, field) for field in EDITABLE}
    merged.update({k: (v if v is not None or k.endswith("_on") else "") for k, v in values.items()})
    merged["report_url"] = _strip(merged["report_url"])
    errors = _inspection_errors(merged)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return update_with_history(inspection, actor=actor, expected_version=expected_version, **merged)


# --- Areas for improvement -------------------------------------------------------------------------


def _clean_keys(keys) -> list[str]:
    out: list[str] = []
    for key in keys or ():
        key = _strip(key)
        if key and key not in out:
            out.append(key)
    return out


def areas_add_from_text(*, actor, inspection: Inspection, text: str, is_priority_action: bool = False
                        ) -> list[AreaForImprovement]:
    """One area for each item of the pasted list, after the inspection's existing areas."""
    policy.may_enter_inspections.require(actor)
    items = parse_areas(text).items
    if not items:
        raise ValidationError({"text": "Paste at least one area for improvement"})
    long = too_long(items)
    if long:
        raise ValidationError({"text": f"Area {long[0]} is longer than {MAX_LENGTH} characters: "
                                       "check the list is one area per line or bullet"})
    with transaction.atomic():
        start = (inspection.areas.aggregate(m=Max("order"))["m"] or 0) + 1
        areas = []
        for n, item in enumerate(items):
            area = AreaForImprovement(inspection=inspection, text=item, is_priority_action=bool(is_priority_action),
                                      order=start + n, created_by=actor)
            area.full_clean()
            area.save()
            audit(actor=actor, action=AuditEvent.Action.CREATED, instance=area, changes=_created(area),
                  summary="Area for improvement entered")
            areas.append(area)
    return areas


def area_update(*, actor, area: AreaForImprovement, expected_version: int, text: str, is_priority_action: bool,
                order: int, indicator_keys) -> dict:
    policy.may_enter_inspections.require(actor)
    errors: dict[str, str] = {}
    text = _strip(text)
    keys = _clean_keys(indicator_keys)
    if not text:
        errors["text"] = "Enter the area for improvement"
    elif len(text) > MAX_LENGTH:
        errors["text"] = f"The area for improvement must be {MAX_LENGTH} characters or fewer"
    if order is None or order < 1:
        errors["order"] = "Enter a number, 1 or more"
    unknown = unknown_keys(keys)
    if unknown:
        errors["indicator_keys"] = f"There is no performance indicator {', '.join(unknown)}"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return update_with_history(area, actor=actor, expected_version=expected_version, text=text,
                                   is_priority_action=bool(is_priority_action), order=order, indicator_keys=keys)


def area_remove(*, actor, area: AreaForImprovement) -> None:
    """Take out an area entered by mistake; refused once it has actions."""
    policy.may_enter_inspections.require(actor)
    if area.actions.exists():
        raise ValidationError("This area has actions, so it cannot be removed")
    with transaction.atomic():
        audit(actor=actor, action=AuditEvent.Action.DELETED, instance=area,
              changes={k: [v, None] for k, v in field_values(area).items() if v not in (None, "", [], {})},
              summary="Area for improvement removed")
        area.delete()


# --- Actions ---------------------------------------------------------------------------------------


def _action_errors(*, description: str, owner, due_on) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not _strip(description):
        errors["description"] = "Enter what will be done"
    if owner is None:
        errors["owner"] = "Select who owns the action"
    elif not policy.may_own_inspection_actions(owner):
        errors["owner"] = "Select a member of staff who can sign in"
    if due_on is None:
        errors["due_on"] = "Enter the due date"
    return errors


def action_create(*, actor, area: AreaForImprovement, description: str, owner, due_on: dt.date) -> Action:
    policy.may_change_inspection_actions.require(actor)
    errors = _action_errors(description=description, owner=owner, due_on=due_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = Action(area=area, description=_strip(description), owner=owner, due_on=due_on, created_by=actor)
        action.full_clean()
        action.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=action, changes=_created(action),
              summary="Inspection action added")
    return action


def action_edit(*, actor, action: Action, expected_version: int, description: str, owner, due_on: dt.date) -> dict:
    policy.may_change_inspection_actions.require(actor)
    errors = _action_errors(description=description, owner=owner, due_on=due_on)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return update_with_history(action, actor=actor, expected_version=expected_version,
                                   description=_strip(description), owner=owner, due_on=due_on)


def action_progress(
    *,
    actor,
    action: Action,
    expected_version: int,
    note: str,
    status: str,
    evidence_of_impact: str = "",
    completed_on: dt.date | None = None,
) -> ActionUpdate:
    """Record progress on an action (its owner, a manager or an analyst): a dated note kept in its history."""
    if not can_update(actor, action):
        raise PermissionDenied("Only the owner, managers and performance analysts can update this action")
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not _strip(note):
        errors["note"] = "Enter what has happened since the last update"
    if status not in Action.Status.values:
        errors["status"] = "Select the status"
    if status == Action.Status.DONE:
        if completed_on is None:
            errors["completed_on"] = "Enter the date the action was done"
        elif completed_on > today:
            errors["completed_on"] = "The date done must be today or in the past"
        elif completed_on < action.area.inspection.started_on:
            errors["completed_on"] = (
                f"The date done must be on or after the inspection began ({govuk_date(action.area.inspection.started_on)})")
    elif completed_on is not None:
        errors["completed_on"] = "Leave the date done blank unless the action is done"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update_with_history(action, actor=actor, expected_version=expected_version, status=status,
                            evidence_of_impact=_strip(evidence_of_impact), completed_on=completed_on)
        update = ActionUpdate(action=action, note=_strip(note), status=status, author=actor)
        update.full_clean()
        update.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=update, changes=_created(update),
              summary="Progress recorded on an inspection action")
    return update
