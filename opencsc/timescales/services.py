"""Changing the authority's timescale settings and recording why a timescale was missed.

Every change is checked first, written in a transaction and audited with old and new values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from opencsc.core.audit import StaleRecordError, audit
from opencsc.core.models import AuditEvent
from opencsc.people import access
from opencsc.people.models import Child

from . import authority, policy
from .core import RULES_BY_CODE, rule_override_errors
from .models import ClosureDay, LocalRuleSetting, MissedTimescaleReason


def _json_values(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "then":
            out[key] = [[int(length), unit] for length, unit in value]
        elif key == "amber_within":
            length, unit = value
            out[key] = [int(length), unit]
        else:
            out[key] = value
    return out


def _invalidate_after_commit() -> None:
    authority.invalidate()
    transaction.on_commit(authority.invalidate)


# --- Local rule settings -------------------------------------------------------------------


def rule_setting_update(
    *, rule_code: str, values: dict[str, Any], actor, expected_version: int | None = None
) -> LocalRuleSetting:
    """Set the authority's values for a rule (empty ``values``: back to the default): the timescale itself for
    a local-practice rule; for any rule counted in working days, whether the authority's closure days are
    skipped (``closures``) and whether the start day counts (``count_start_day``)."""
    policy.may_change_timescales.require(actor)
    rule = RULES_BY_CODE.get(rule_code)
    if rule is None:
        raise ValidationError({"rule_code": "Choose a timescale rule"})
    errors = rule_override_errors(rule, values)
    if errors:
        raise ValidationError(errors)
    values = _json_values(values)
    with transaction.atomic():
        setting, created = LocalRuleSetting.objects.select_for_update().get_or_create(
            rule_code=rule_code, defaults={"values": {}, "updated_by": actor, "version": 0}
        )
        if expected_version is not None and not created and setting.version != expected_version:
            raise StaleRecordError()
        old = dict(setting.values)
        if old == values and not created:
            return setting
        setting.values = values
        setting.updated_by = actor
        setting.full_clean()
        # The version check is in the UPDATE's WHERE clause (the check above only answers early).
        expected = setting.version if expected_version is None or created else expected_version
        if not LocalRuleSetting.objects.filter(pk=setting.pk, version=expected).update(
                values=values, updated_by=actor, updated_at=timezone.now(), version=F("version") + 1):
            raise StaleRecordError()
        setting.refresh_from_db(fields=["version", "updated_at"])
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=setting,
              changes={"values": [old, values]}, summary=f"{'Local timescale' if rule.configurable else 'How a timescale is counted'} changed: {rule.name}")
        _invalidate_after_commit()
    return setting


# --- Closure days ------------------------------------------------------------------------


def closure_day_add(*, date: dt.date, reason: str, actor) -> ClosureDay:
    policy.may_change_timescales.require(actor)
    reason = (reason or "").strip()
    errors = {}
    if date is None:
        errors["date"] = "Enter the date of the closure day"
    elif date.weekday() >= 5:
        errors["date"] = "The closure day must be a weekday"
    elif authority.calendar_for(()).is_bank_holiday(date):
        errors["date"] = "That day is already a bank holiday"
    elif ClosureDay.objects.filter(date=date).exists():
        errors["date"] = "That day is already a closure day"
    if not reason:
        errors["reason"] = "Enter why the offices are closed"
    if errors:
        raise ValidationError(errors)
    day = ClosureDay(date=date, reason=reason, created_by=actor)
    day.full_clean()
    with transaction.atomic():
        day.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=day,
              changes={"date": [None, date.isoformat()], "reason": [None, reason]},
              summary=f"Closure day added: {date.isoformat()}")
        _invalidate_after_commit()
    return day


def closure_day_remove(*, day: ClosureDay, actor) -> None:
    policy.may_change_timescales.require(actor)
    with transaction.atomic():
        changes = {"date": [day.date.isoformat(), None], "reason": [day.reason, None]}
        audit(actor=actor, action=AuditEvent.Action.DELETED, instance=day, changes=changes,
              summary=f"Closure day removed: {day.date.isoformat()}")
        day.delete()
        _invalidate_after_commit()


# --- Missed timescales -------------------------------------------------------------------


def missed_reason_record(
    *, child: Child, rule_code: str, scope: str = "", due_date: dt.date, reason: str, actor
) -> MissedTimescaleReason:
    """Record (or replace) why a timescale was missed for one clock of one rule."""
    access.require(actor, "record", child)
    reason = (reason or "").strip()
    if rule_code not in RULES_BY_CODE:
        raise ValidationError({"rule_code": "Choose a timescale rule"})
    errors = {}
    if due_date is None:
        errors["due_date"] = "Enter the date it was due"
    if not reason:
        errors["reason"] = "Enter why the timescale was missed"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = (
            MissedTimescaleReason.objects.select_for_update()
            .filter(child=child, rule_code=rule_code, scope=scope, due_date=due_date)
            .first()
        )
        old = existing.reason if existing else None
        record = existing or MissedTimescaleReason(child=child, rule_code=rule_code, scope=scope, due_date=due_date)
        record.reason = reason
        record.recorded_by = actor
        record.full_clean()
        record.save()
        audit(actor=actor, action=AuditEvent.Action.UPDATED if existing else AuditEvent.Action.CREATED,
              instance=record, child=child,
              changes={"reason": [old, reason]} if existing else {
                  "rule_code": [None, rule_code], "scope": [None, scope], "due_date": [None, due_date.isoformat()],
                  "reason": [None, reason]},
              summary=f"Reason recorded for a missed timescale: {RULES_BY_CODE[rule_code].name}")
    return record
