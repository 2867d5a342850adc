"""Writes for out-of-hours entries and their acknowledgement by the day team.

Callers fetch the child through `people.access.child_for(..., action="record")`; the
services check the role again. Each write is audited.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.accounts.models import Team
from opencsc.accounts.roles import TeamKind
from opencsc.casework.models import Allocation
from opencsc.core.audit import audit, field_values
from opencsc.core.models import AuditEvent
from opencsc.people.access import can, require
from opencsc.people.models import Child

from . import policy
from .models import OutOfHoursEntry

NO_MASH_TEAM = "There is no active MASH team to hand unallocated children over to"
TEXT_FIELDS = ("what_happened", "action_taken", "decision", "follow_up", "placement_details")
REQUIRED = {
    "what_happened": "Enter what happened",
    "action_taken": "Enter the action taken",
    "decision": "Enter the decision made",
    "follow_up": "Enter what the day team needs to do",
}


def can_record(user, child: Child) -> bool:
    """May this user record out-of-hours work on this child (their role, and the child's record)?"""
    return policy.may_record_out_of_hours(user) and can(user, "record", child)


def can_acknowledge(user, child: Child) -> bool:
    """May this user acknowledge a handover on this child (their role, and the child's record)?"""
    return policy.may_acknowledge_handover(user) and can(user, "record", child)


def day_team_for(child: Child) -> Team:
    """The team that picks the handover up: the team holding the child's open allocation, else the MASH."""
    allocation = (
        Allocation.objects.filter(child=child, end_date__isnull=True).select_related("team")
        .order_by("-start_date", "-id").first()
    )
    if allocation is not None:
        return allocation.team
    mash = Team.objects.filter(kind=TeamKind.MASH, is_active=True).order_by("id").first()
    if mash is None:
        raise ValidationError(NO_MASH_TEAM)
    return mash


def entry_record(
    *,
    actor,
    child: Child,
    occurred_at: dt.datetime,
    what_happened: str,
    action_taken: str,
    decision: str,
    follow_up: str,
    police_protection: bool = False,
    placement_made: bool = False,
    placement_details: str = "",
) -> OutOfHoursEntry:
    """Record what the emergency duty team did and decided; hands it over to the child's day team."""
    policy.may_record_out_of_hours.require(actor)
    require(actor, "record", child)
    values = {"what_happened": what_happened, "action_taken": action_taken, "decision": decision,
              "follow_up": follow_up, "placement_details": placement_details}
    values = {k: (v or "").strip() for k, v in values.items()}
    errors: dict[str, str] = {field: message for field, message in REQUIRED.items() if not values[field]}
    if occurred_at is None:
        errors["occurred_at"] = "Enter when it happened"
    elif timezone.is_naive(occurred_at):
        raise ValueError("occurred_at must be timezone-aware")
    elif occurred_at > timezone.now():
        errors["occurred_at"] = "When it happened must be now or in the past"
    if placement_made and not values["placement_details"]:
        errors["placement_details"] = "Enter where the child was placed"
    if errors:
        raise ValidationError(errors)
    if not placement_made:
        values["placement_details"] = ""
    with transaction.atomic():
        entry = OutOfHoursEntry(
            child=child, occurred_at=occurred_at, police_protection=bool(police_protection),
            placement_made=bool(placement_made), day_team=day_team_for(child), recorded_by=actor, **values,
        )
        entry.full_clean()
        entry.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=entry, child=child,
              changes={k: [None, v] for k, v in field_values(entry).items() if v not in (None, "")},
              summary=f"Out-of-hours work recorded, handed over to {entry.day_team}")
    return entry


def entry_acknowledge(*, actor, entry: OutOfHoursEntry) -> OutOfHoursEntry:
    """The day team confirms it has picked the handover up: records who and when."""
    policy.may_acknowledge_handover.require(actor)
    require(actor, "record", entry.child)
    with transaction.atomic():
        current = OutOfHoursEntry.objects.select_for_update().get(pk=entry.pk)
        if current.acknowledged_at is not None:
            raise ValidationError(
                f"{current.acknowledged_by.display_name} already acknowledged this handover on "
                f"{timezone.localtime(current.acknowledged_at):%-d %b %Y at %H:%M}"
            )
        now = timezone.now()
        OutOfHoursEntry.objects.filter(pk=entry.pk).update(acknowledged_at=now, acknowledged_by=actor)
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=current, child=current.child,
              changes={"acknowledged_at": [None, now.isoformat()], "acknowledged_by": [None, str(actor)]},
              summary="Out-of-hours handover acknowledged")
    entry.refresh_from_db()
    return entry
