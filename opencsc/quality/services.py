"""Writing quality assurance: questions, audits, moderation, themed audits and actions from audits."""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.casework.models import Allocation
from opencsc.core.audit import audit as audit_event
from opencsc.core.audit import field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.people.access import can
from opencsc.people.models import Child

from . import policy
from .models import AuditAction, AuditAnswer, AuditQuestion, CaseAudit, Grade, Moderation, ThemedAudit
from .selectors import active_questions, cohort

QUESTION_FIELDS = ["area", "text", "guidance", "order", "is_active"]


def _created(instance, fields=None) -> dict:
    return {k: [None, v] for k, v in field_values(instance, fields).items() if v not in (None, "")}


def _strip(value) -> str:
    return (value or "").strip()


# --- Questions -------------------------------------------------------------------------------

def question_create(*, actor, area: str, text: str, guidance: str = "", order: int = 10) -> AuditQuestion:
    policy.may_change_audit_questions.require(actor)
    question = AuditQuestion(area=area, text=_strip(text), guidance=_strip(guidance), order=order, created_by=actor)
    question.full_clean()
    with transaction.atomic():
        question.save()
        audit_event(actor=actor, action=AuditEvent.Action.CREATED, instance=question,
                    changes=_created(question, QUESTION_FIELDS), summary="Audit question added")
    return question


def question_update(*, actor, question: AuditQuestion, expected_version: int | None, **values) -> dict:
    policy.may_change_audit_questions.require(actor)
    if set(values) - set(QUESTION_FIELDS):
        raise ValueError(f"Not question fields: {sorted(set(values) - set(QUESTION_FIELDS))}")
    for key in ("text", "guidance"):
        if key in values:
            values[key] = _strip(values[key])
    with transaction.atomic():
        return update_with_history(question, actor=actor, expected_version=expected_version, **values)


# --- Audits ----------------------------------------------------------------------------------

def can_audit(user, child) -> bool:
    return policy.may_audit_case(user) and can(user, "view_casework", child)


def can_moderate(user, child) -> bool:
    return policy.may_moderate_audit(user) and can(user, "view_casework", child)


def _holders(child_ids) -> dict[int, dict]:
    """Who holds each child now (the latest open allocation), in one query."""
    out: dict[int, dict] = {}
    for row in (Allocation.objects.filter(child_id__in=child_ids, end_date__isnull=True)
                .order_by("start_date", "id").values("child_id", "team_id", "worker_id")):
        out[row["child_id"]] = row
    return out


def _new_audit(*, actor, child, themed_audit=None, holder=None) -> CaseAudit:
    holder = _holders([child.pk]).get(child.pk, {}) if holder is None else holder
    return CaseAudit(child=child, themed_audit=themed_audit, auditor=actor, team_id=holder.get("team_id"),
                     worker_id=holder.get("worker_id"))


def audit_start(*, actor, child, themed_audit: ThemedAudit | None = None) -> CaseAudit:
    """Start an audit of the child's case (refused while another audit of the child is in progress)."""
    if not can_audit(actor, child):
        raise PermissionDenied("Only auditors and managers can audit a case")
    if CaseAudit.objects.filter(child=child, status=CaseAudit.Status.IN_PROGRESS).exists():
        raise ValidationError({"child": "An audit of this child's case is already in progress"})
    if not active_questions():
        raise ValidationError({"child": "There are no audit questions in use: add some first"})
    case_audit = _new_audit(actor=actor, child=child, themed_audit=themed_audit)
    case_audit.full_clean()
    with transaction.atomic():
        case_audit.save()
        audit_event(actor=actor, action=AuditEvent.Action.CREATED, instance=case_audit, child=child,
                    changes=_created(case_audit, ["auditor", "team", "worker", "themed_audit"]),
                    summary="Case audit started")
    return case_audit


def audit_complete(
    *, actor, audit: CaseAudit, expected_version: int | None, audited_on: dt.date, grade: str, summary: str,
    answers: dict, actions=(),
) -> CaseAudit:
    """Complete an audit: an answer to every question in use, an overall grade, and actions for the worker.

    `answers`: {question id: {"grade": str, "comment": str}}; `actions`: [{"action", "owner", "due_date"}].
    """
    if not can_audit(actor, audit.child):
        raise PermissionDenied("Only auditors and managers can audit a case")
    errors: dict[str, list[str]] = {}

    def refuse(field, message):
        errors.setdefault(field, []).append(message)

    if audit.status != CaseAudit.Status.IN_PROGRESS:
        refuse("grade", "This audit has already been completed")
    if audited_on is None:
        refuse("audited_on", "Enter the date of the audit")
    elif audited_on > timezone.localdate():
        refuse("audited_on", "The date of the audit must be today or in the past")
    if grade not in Grade.values:
        refuse("grade", "Select the overall grade")
    if not _strip(summary):
        refuse("summary", "Describe what life is like for the child and what difference the work has made")
    questions = active_questions()
    for number, question in enumerate(questions, start=1):
        answer = answers.get(question.pk) or {}
        if not _strip(answer.get("comment")):
            refuse(f"q{question.pk}", f"Answer question {number}")
        if answer.get("grade") and answer["grade"] not in Grade.values:
            refuse(f"q{question.pk}", f"Select a grade for question {number}")
    rows = []
    for number, row in enumerate(actions, start=1):
        if not _strip(row.get("action")) or row.get("owner") is None or row.get("due_date") is None:
            refuse("actions", f"Enter what action {number} is, who will do it and by when")
        elif audited_on and row["due_date"] < audited_on:
            refuse("actions", f"The due date of action {number} must be on or after the audit")
        else:
            rows.append(row)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update_with_history(audit, actor=actor, expected_version=expected_version, child=audit.child,
                            audited_on=audited_on, grade=grade, summary=_strip(summary),
                            status=CaseAudit.Status.COMPLETED)
        AuditAnswer.objects.bulk_create([
            AuditAnswer(audit=audit, question=q, grade=answers[q.pk].get("grade") or "",
                        comment=_strip(answers[q.pk]["comment"])) for q in questions
        ])
        AuditAction.objects.bulk_create([
            AuditAction(audit=audit, action=_strip(r["action"]), owner=r["owner"], due_date=r["due_date"],
                        created_by=actor) for r in rows
        ])
        if rows:
            audit_event(actor=actor, action=AuditEvent.Action.CREATED, instance=audit, child=audit.child,
                        changes={"actions": [None, [f"{r['action'][:80]} – {r['owner']} by {r['due_date']}"
                                                    for r in rows]]},
                        summary=f"{len(rows)} action{'s' if len(rows) != 1 else ''} set at audit")
    return audit


def moderation_record(*, actor, audit: CaseAudit, moderated_on: dt.date, grade: str, comments: str = "") -> Moderation:
    """A second auditor grades a completed audit (not their own)."""
    if not can_moderate(actor, audit.child):
        raise PermissionDenied(policy.may_moderate_audit.refusal)
    errors = {}
    if audit.status != CaseAudit.Status.COMPLETED:
        errors["grade"] = "Only a completed audit can be moderated"
    elif audit.auditor_id == actor.pk:
        errors["grade"] = "You cannot moderate your own audit"
    elif Moderation.objects.filter(audit=audit).exists():
        errors["grade"] = "This audit has already been moderated"
    if grade not in Grade.values:
        errors["grade"] = errors.get("grade") or "Select the moderator's grade"
    if moderated_on is None:
        errors["moderated_on"] = "Enter the date of moderation"
    elif moderated_on > timezone.localdate():
        errors["moderated_on"] = "The date of moderation must be today or in the past"
    elif audit.audited_on and moderated_on < audit.audited_on:
        errors["moderated_on"] = "The date of moderation must be on or after the audit"
    if errors:
        raise ValidationError(errors)
    moderation = Moderation(audit=audit, moderator=actor, moderated_on=moderated_on, grade=grade,
                            comments=_strip(comments))
    moderation.full_clean()
    with transaction.atomic():
        moderation.save()
        audit_event(actor=actor, action=AuditEvent.Action.CREATED, instance=moderation, child=audit.child,
                    changes=_created(moderation, ["grade", "moderated_on", "comments"]),
                    summary=f"Audit moderated: {moderation.get_grade_display()} (auditor: {audit.get_grade_display()})")
    return moderation


def can_complete_action(user, action: AuditAction) -> bool:
    return action.owner_id == user.pk or policy.may_complete_audit_actions(user)


def audit_action_complete(*, actor, action: AuditAction, completed_on: dt.date | None = None) -> AuditAction:
    if not can_complete_action(actor, action):
        raise PermissionDenied(policy.may_complete_audit_actions.refusal)
    if action.completed_on is not None:
        raise ValidationError({"completed_on": "This action has already been marked as done"})
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The date the action was done must be today or in the past"})
    with transaction.atomic():
        update_with_history(action, actor=actor, expected_version=None, child=action.audit.child,
                            completed_on=completed_on)
    return action


# --- Themed audits ---------------------------------------------------------------------------

def themed_audit_create(
    *, actor, title: str, cohort_kind: str, team=None, sample_size: int, seed: int | None = None,
) -> ThemedAudit:
    """A themed audit: a random sample from a cohort, each child's audit started for the actor.

    Children already in an audit in progress are left out of the sample.
    """
    policy.may_start_themed_audit.require(actor)
    if not active_questions():
        raise ValidationError({"title": "There are no audit questions in use: add some first"})
    themed = ThemedAudit(title=_strip(title), cohort=cohort_kind, team=team, sample_size=sample_size or 0,
                         created_by=actor, created_on=timezone.localdate())
    themed.full_clean()
    busy = CaseAudit.objects.filter(status=CaseAudit.Status.IN_PROGRESS).values("child_id")
    candidates = list(cohort(user=actor, cohort=cohort_kind, team=team).exclude(pk__in=busy)
                      .order_by("pk").values_list("pk", flat=True))
    if not candidates:
        raise ValidationError({"cohort": "There are no children in this cohort to audit"})
    chosen = sorted(random.Random(seed).sample(candidates, min(sample_size, len(candidates))))

    children = Child.objects.in_bulk(chosen)
    holders = _holders(chosen)
    with transaction.atomic():
        themed.save()
        audits = CaseAudit.objects.bulk_create([
            _new_audit(actor=actor, child=children[pk], themed_audit=themed, holder=holders.get(pk, {}))
            for pk in chosen
        ])
        audit_event(actor=actor, action=AuditEvent.Action.CREATED, instance=themed,
                    changes={**_created(themed, ["title", "cohort", "team", "sample_size"]),
                             "audits": [None, len(audits)]},
                    summary=f"Themed audit started with {len(audits)} children")
    return themed
