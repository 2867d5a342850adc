"""Changing the record-keeping periods, legal holds, and approving and confirming destruction.

Every write checks who is asking and its guards first, runs in a transaction and is audited. Nothing is
ever destroyed without two people: one approves (destruction_approve), a different one confirms
(destruction_confirm); no command or job deletes records.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.core.audit import audit, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.people import access
from opencsc.people.models import Child

from . import destruction, policy, rules, selectors
from .models import DestructionRecord, DestructionRequest, DestructionRequestItem, LegalHold, RetentionRule

logger = logging.getLogger(__name__)


# --- Periods ------------------------------------------------------------------------------------


def rule_update(*, actor, rule: RetentionRule, expected_version: int | None, years: int,
                after_death_years: int | None = None) -> dict:
    """Change a period's length: never below its floor (the law's minimum, or the local floor)."""
    policy.may_change_retention_rules.require(actor)
    if rule.minimum_after_death_years is None:
        after_death_years = rule.after_death_years  # only the care period has a death clause
    errors = rules.floor_errors(years=years, after_death_years=after_death_years, period=rule.as_period())
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return update_with_history(rule, actor=actor, expected_version=expected_version, years=years,
                                   after_death_years=after_death_years, updated_by=actor)


# --- Legal holds --------------------------------------------------------------------------------


def hold_place(*, actor, child: Child, reason: str) -> LegalHold:
    """Keep this child's records whatever their period, until the hold is released."""
    policy.may_hold_records.require(actor)
    access.require(actor, "view", child)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the records must be kept"})
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=child.pk)
        if LegalHold.objects.filter(child=child, released_at__isnull=True).exists():
            raise ValidationError({"child": "This child's records are already on legal hold"})
        hold = LegalHold.objects.create(child=child, reason=reason, placed_by=actor, placed_at=timezone.now())
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=hold, child=child,
              changes={"legal_hold": [None, "in force"], "reason": [None, reason]},
              summary=f"Put the records of {child.la_child_id} on legal hold")
    return hold


def hold_release(*, actor, hold: LegalHold, reason: str) -> LegalHold:
    policy.may_hold_records.require(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the hold can be released"})
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().select_related("child").get(pk=hold.pk)
        if not hold.in_force:
            raise ValidationError("This hold has already been released")
        hold.released_by, hold.released_at, hold.release_reason = actor, timezone.now(), reason
        hold.save(update_fields=["released_by", "released_at", "release_reason"])
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=hold, child=hold.child,
              changes={"legal_hold": ["in force", "released"], "release_reason": [None, reason]},
              summary=f"Released the legal hold on the records of {hold.child.la_child_id}")
    return hold


# --- Destruction: two people --------------------------------------------------------------------


def destruction_approve(*, actor, children, reason: str, today: dt.date | None = None) -> DestructionRequest:
    """The first person: these children's records are past their period and may be destroyed. Each must be
    offered by the report now (past its period, not restricted, no open work, no hold, not already
    waiting); nothing is deleted until a different person confirms."""
    policy.may_approve_destruction.require(actor)
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    ids = sorted({c.pk for c in children})
    if not ids:
        raise ValidationError({"children": "Select the records to approve for destruction"})
    if not reason:
        raise ValidationError({"reason": "Enter why these records may be destroyed"})
    with transaction.atomic():
        list(Child.objects.select_for_update().filter(pk__in=ids))
        offered = {p.child_id: p for p in selectors.report_for(actor, today=today).offered if p.child_id in ids}
        refused = [pk for pk in ids if pk not in offered]
        if refused:
            raise ValidationError({"children": "Some of the records selected can no longer be destroyed (the "
                                               "report has changed): check the list again"})
        request = DestructionRequest.objects.create(reason=reason, requested_by=actor, requested_at=timezone.now())
        DestructionRequestItem.objects.bulk_create([
            DestructionRequestItem(request=request, child_id=p.child_id, la_child_id=p.la_child_id,
                                   record_class=p.record_class, keep_until=p.keep_until)
            for p in offered.values()])
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=request,
              changes={"status": [None, request.get_status_display()],
                       "children": [None, sorted(p.la_child_id for p in offered.values())], "reason": [None, reason]},
              summary=f"Approved the records of {len(offered)} children for destruction (request {request.pk}), "
                      "waiting for a second person")
    return request


def destruction_refusal(*, actor, request: DestructionRequest) -> str:
    """Why this person may not confirm or decline this request ("" when they may)."""
    if not policy.may_approve_destruction(actor):
        return policy.may_approve_destruction.refusal
    if not request.is_pending:
        return "This request has already been decided"
    return ""


def destruction_confirm(*, actor, request: DestructionRequest, today: dt.date | None = None) -> DestructionRequest:
    """The second person: destroy the records approved in `request`. Each child is checked again (a hold,
    new work or a restriction since the approval keeps the records); what is destroyed leaves a
    DestructionRecord with the rows deleted from each table."""
    policy.may_approve_destruction.require(actor)
    today = today or timezone.localdate()
    with transaction.atomic():
        request = DestructionRequest.objects.select_for_update().get(pk=request.pk)
        refusal = destruction_refusal(actor=actor, request=request)
        if refusal:
            raise ValidationError(refusal)
        if request.requested_by_id == actor.pk:
            raise ValidationError("You approved these records for destruction: a different person must confirm it")
        items = list(request.items.select_for_update().order_by("id"))
        ids = [i.child_id for i in items if i.child_id]
        list(Child.objects.select_for_update().filter(pk__in=ids))
        now = timezone.now()
        table = selectors.periods()
        still = {p.child_id: p for p in selectors.past_period(
            today=today, children=Child.objects.filter(pk__in=ids), table=table)}
        visible = set(access.children_for(actor).filter(pk__in=ids).values_list("pk", flat=True))
        destroyed = 0
        for item in items:
            past = still.get(item.child_id)
            why = _kept_because(past, visible=item.child_id in visible, request=request)
            if why:
                item.outcome, item.outcome_reason = DestructionRequestItem.Outcome.KEPT, why
                item.save(update_fields=["outcome", "outcome_reason"])
                continue
            child_ids = {item.child_id}
            counts = destruction.destroy(child_ids)
            record = DestructionRecord.objects.create(
                la_child_id=item.la_child_id, record_class=past.record_class,
                period=table[past.record_class].describe()[:300], keep_until=past.keep_until, request=request,
                approved_by_id=request.requested_by_id, approved_at=request.requested_at,
                approval_reason=request.reason, confirmed_by=actor, confirmed_at=now, rows_destroyed=counts)
            DestructionRequestItem.objects.filter(pk=item.pk).update(
                outcome=DestructionRequestItem.Outcome.DESTROYED, child=None)
            gone = Child(pk=item.child_id, la_child_id=item.la_child_id)  # for the log's child columns only
            audit(actor=actor, action=AuditEvent.Action.DELETED, instance=record, child=gone,
                  changes={"rows_destroyed": [None, counts], "keep_until": [None, past.keep_until.isoformat()],
                           "period": [None, record.get_record_class_display()]},
                  summary=f"Destroyed the records of {item.la_child_id} (request {request.pk}, approved by "
                          f"{request.requested_by.username}, confirmed by {actor.username})")
            destroyed += 1
        request.status, request.decided_by, request.decided_at = DestructionRequest.Status.CONFIRMED, actor, now
        request.save(update_fields=["status", "decided_by", "decided_at"])
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=request,
              changes={"status": [DestructionRequest.Status.PENDING.label, request.get_status_display()],
                       "destroyed": [None, destroyed], "kept": [None, len(items) - destroyed]},
              summary=f"Confirmed request {request.pk}: destroyed the records of {destroyed} of {len(items)} children")
    return request


def _kept_because(past, *, visible: bool, request: DestructionRequest) -> str:
    if past is None:
        return "No longer past its period"
    if not visible or past.kept_because == selectors.KEPT_RESTRICTED:
        return "Restricted since the approval"
    if past.kept_because in (selectors.KEPT_HOLD, selectors.KEPT_OPEN):
        return selectors.KEPT_REASONS[past.kept_because]
    return ""


def destruction_decline(*, actor, request: DestructionRequest, reason: str) -> DestructionRequest:
    """Nothing is destroyed: anyone with the permission may decline, the approver too (to withdraw it)."""
    policy.may_approve_destruction.require(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are declining"})
    with transaction.atomic():
        request = DestructionRequest.objects.select_for_update().get(pk=request.pk)
        refusal = destruction_refusal(actor=actor, request=request)
        if refusal:
            raise ValidationError(refusal)
        now = timezone.now()
        request.status, request.decided_by, request.decided_at = DestructionRequest.Status.DECLINED, actor, now
        request.decision_reason = reason
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        request.items.update(outcome=DestructionRequestItem.Outcome.KEPT, outcome_reason="Declined")
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=request,
              changes={"status": [DestructionRequest.Status.PENDING.label, request.get_status_display()],
                       "reason": [None, reason]},
              summary=f"Declined request {request.pk}: nothing destroyed")
    return request


# --- The nightly count --------------------------------------------------------------------------


def refresh_report(*, today: dt.date | None = None) -> dict[str, int]:
    """How many children's records are past their period (for the nightly job): counts only, logged and
    returned. It never deletes anything and never approves anything."""
    today = today or timezone.localdate()
    counts = selectors.summary(today=today)
    logger.info("Records retention: %(past)s past their period, %(offered)s may be offered for destruction",
                counts, extra={"retention": counts})
    return counts
