"""Writes to the child's record: case notes, chronology entries and documents.

Each service checks its rules, writes in a transaction and records an audit
event with the old and new values. Callers fetch the child through
`people.access.child_for(..., action="record")` first; the services check the
user's role again so that no path skips it.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from opencsc.accounts.policy import refuse
from opencsc.core.audit import StaleRecordError, audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.people import access
from opencsc.people.access import can
from opencsc.people.models import Child

from . import evidence as visit_evidence
from . import policy, uploads
from .models import (
    ActionProgress,
    Allocation,
    CaseNote,
    ChronologyAnalysis,
    ChronologyEntry,
    Document,
    Meeting,
    MeetingAttendance,
    OversightAction,
    OversightRecord,
    Plan,
    PlanAction,
    Visit,
)
from .selectors import can_edit_case_note, team_holds_cases, worker_holds_cases

# Documents: file name endings accepted, with the type they are stored under (the content decides: uploads.py).
ALLOWED_UPLOADS: dict[str, str] = {ext: t.content_type for ext, t in uploads.EXTENSIONS.items()}
WRONG_TYPE = uploads.NOT_ALLOWED
EMPTY_FILE = "The selected file is empty"


def _too_big_message() -> str:
    megabytes = settings.OPENCSC_MAX_UPLOAD_BYTES / (1024 * 1024)
    size = f"{megabytes:g}MB" if megabytes >= 1 else f"{settings.OPENCSC_MAX_UPLOAD_BYTES // 1024}KB"
    return f"The selected file must be smaller than {size}"


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


# --- Case notes ---------------------------------------------------------------------------


def _check_case_note(*, child: Child, contact_date: dt.date | None, child_seen: bool, child_seen_alone: bool):
    errors: dict[str, str] = {}
    if contact_date is not None:
        if contact_date > timezone.localdate():
            errors["contact_date"] = "Date of contact must be today or in the past"
        elif child.date_of_birth and contact_date < child.date_of_birth:
            errors["contact_date"] = (
                f"Date of contact must be on or after the child's date of birth "
                f"({date_format(child.date_of_birth, 'j M Y')})"
            )
    if child_seen_alone and not child_seen:
        errors["child_seen_alone"] = "Select 'child seen' if the child was seen alone"
    if errors:
        raise ValidationError(errors)


def case_note_create(
    *,
    child: Child,
    actor,
    note_type: str,
    contact_date: dt.date,
    subject: str,
    body: str,
    child_seen: bool = False,
    child_seen_alone: bool = False,
) -> CaseNote:
    access.require(actor, "record", child)
    _check_case_note(child=child, contact_date=contact_date, child_seen=child_seen, child_seen_alone=child_seen_alone)
    note = CaseNote(
        child=child,
        author=actor,
        note_type=note_type,
        contact_date=contact_date,
        subject=subject.strip(),
        body=body.strip(),
        child_seen=child_seen,
        child_seen_alone=child_seen_alone,
    )
    note.full_clean()
    with transaction.atomic():
        note.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=note, child=child, changes=_created(note),
              summary=f"Case note added: {note.subject}")
    return note


def case_note_update(*, note: CaseNote, actor, expected_version: int | None, **values) -> dict:
    """Change a case note (author or manager only). Raises StaleRecordError if someone else changed it."""
    if not can_edit_case_note(actor, note):
        refuse(policy.may_edit_others_case_notes.refusal, permission=policy.may_edit_others_case_notes, user=actor,
               reference=str(note.child_id))
    allowed = {"note_type", "contact_date", "subject", "body", "child_seen", "child_seen_alone"}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))}")
    for key in ("subject", "body"):
        if isinstance(values.get(key), str):
            values[key] = values[key].strip()
    merged = {k: values.get(k, getattr(note, k)) for k in allowed}
    _check_case_note(
        child=note.child,
        contact_date=merged["contact_date"],
        child_seen=merged["child_seen"],
        child_seen_alone=merged["child_seen_alone"],
    )
    with transaction.atomic():
        return update_with_history(note, actor=actor, expected_version=expected_version, child=note.child, **values)


# --- Chronology ---------------------------------------------------------------------------


def chronology_entry_create(
    *,
    child: Child,
    actor,
    event_date: dt.date,
    title: str,
    detail: str = "",
    significance: str = ChronologyEntry.Significance.NORMAL,
) -> ChronologyEntry:
    access.require(actor, "record", child)
    if event_date is not None and event_date > timezone.localdate():
        raise ValidationError({"event_date": "Date of event must be today or in the past"})
    if not (title or "").strip():
        raise ValidationError({"title": "Enter a title"})
    entry = ChronologyEntry(
        child=child, author=actor, event_date=event_date, title=title.strip(), detail=(detail or "").strip(),
        significance=significance,
    )
    entry.full_clean()
    with transaction.atomic():
        entry.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=entry, child=child, changes=_created(entry),
              summary=f"Chronology entry added: {entry.title}")
    return entry


ANALYSIS_MAX_CHARS = 5000


def chronology_analysis_set(
    *, child: Child, actor, kind: str, source_id: int, seq: int, text: str, expected_version: int | None
) -> ChronologyAnalysis:
    """Write the worker's analysis of one chronology entry, or change it (then audited with the old and new
    text; refused as stale if someone saved it after the form was opened).

    ``expected_version`` is the version the form was opened at: 0 when there was no analysis then (so two
    workers adding one at once cannot both win). The caller has found the entry in the chronology the actor
    may read (chronology_export.entry_for).
    """
    access.require(actor, "record", child)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter your analysis"})
    if len(text) > ANALYSIS_MAX_CHARS:
        raise ValidationError({"text": f"Analysis must be {ANALYSIS_MAX_CHARS:,} characters or fewer"})
    with transaction.atomic():
        existing = (ChronologyAnalysis.objects.select_for_update()
                    .filter(child=child, kind=kind, source_id=source_id, seq=seq).first())
        if existing is not None:
            update_with_history(existing, actor=actor, expected_version=expected_version, child=child,
                                text=text, author=actor)
            return existing
        if expected_version:  # it was there when the form was opened: it cannot have gone
            raise StaleRecordError()
        analysis = ChronologyAnalysis(child=child, kind=kind, source_id=source_id, seq=seq, text=text, author=actor)
        analysis.full_clean()
        analysis.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=analysis, child=child,
              changes=_created(analysis), summary="Analysis added to a chronology entry")
    return analysis


def chronology_exported(*, child: Child, actor, audience: str, fmt: str, kinds: list[str], date_from, date_to,
                        significant_only: bool, entries: int, file_name: str) -> None:
    """Audit a chronology downloaded for court or for the family: what was chosen, and how many entries it
    held (the download is also in the access log, as a view of the record)."""
    access.require(actor, "view_casework", child)
    chosen = {"audience": audience, "format": fmt, "kinds": sorted(kinds), "date_from": date_from,
              "date_to": date_to, "significant_only": significant_only, "entries": entries, "file_name": file_name}
    who = "for court" if audience == "court" else "for the family"
    with transaction.atomic():
        audit(actor=actor, action=AuditEvent.Action.OTHER, child=child,
              changes={k: [None, v.isoformat() if isinstance(v, dt.date) else v] for k, v in chosen.items()},
              summary=f"Chronology exported {who} ({fmt.upper() if fmt == 'pdf' else 'Word'}, {entries} "
                      f"entr{'y' if entries == 1 else 'ies'})")


# --- Documents ----------------------------------------------------------------------------


def document_check_file(upload) -> uploads.FileType:
    """Refuse files that are too big, empty, or not one of the allowed types by their content (a name
    that does not match the content is refused too): nothing is saved. Returns the type found."""
    if upload is None:
        raise ValidationError({"file": "Select a file"})
    if upload.size > settings.OPENCSC_MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _too_big_message()})
    if upload.size == 0:
        raise ValidationError({"file": EMPTY_FILE})
    try:
        return uploads.check(upload)
    except uploads.NotAllowed as refusal:
        raise ValidationError({"file": str(refusal)}) from None


def _document_scan(*, child: Child, actor, upload) -> None:
    """clamd's verdict, when it is configured: an infected file is refused and the refusal audited (the
    event is kept although nothing is stored); a file that could not be checked is refused."""
    try:
        uploads.scan(upload)
    except uploads.ScanFailed:
        raise ValidationError({"file": uploads.UNCHECKED}) from None
    except uploads.VirusFound as found:
        name = os.path.basename(upload.name or "")[:255]
        audit(actor=actor, action=AuditEvent.Action.OTHER, child=child,
              changes={"original_name": [None, name], "virus": [None, found.signature]},
              summary=f"Upload refused, virus found: {found.signature}")
        raise ValidationError({"file": uploads.INFECTED}) from None


def document_upload(*, child: Child, actor, title: str, file) -> Document:
    """Store an uploaded file on the child's record under a random name, with the type its content is."""
    access.require(actor, "record", child)
    if not (title or "").strip():
        raise ValidationError({"title": "Enter a title for the document"})
    kind = document_check_file(file)
    _document_scan(child=child, actor=actor, upload=file)
    original = os.path.basename(file.name)[:255]
    ext = os.path.splitext(original)[1].lower()
    file.name = f"{uuid.uuid4().hex}{ext}"
    document = Document(
        child=child,
        title=title.strip(),
        file=file,
        original_name=original,
        size_bytes=file.size,
        content_type=kind.content_type,
        detected_type=kind.code,
        uploaded_by=actor,
    )
    document.full_clean()
    try:
        with transaction.atomic():
            document.save()
            audit(
                actor=actor,
                action=AuditEvent.Action.CREATED,
                instance=document,
                child=child,
                changes={"title": [None, document.title], "original_name": [None, original],
                         "size_bytes": [None, document.size_bytes], "detected_type": [None, kind.code]},
                summary=f"Document uploaded: {document.title}",
            )
    except Exception:
        if document.file.name and document.file.storage.exists(document.file.name):
            document.file.storage.delete(document.file.name)
        raise
    return document


# --- Plans --------------------------------------------------------------------------------
# Shared by the child in need, child protection, care and pathway plan pages: each owning
# app creates its plan through plan_create and links its own record to the Plan.

PLAN_END_BEFORE_START = "The end date must be the same as or after the plan's start date"
PLAN_ACTION_FIELDS = ("what_must_change", "action", "responsible", "responsible_agency", "due_date", "measure",
                      "status", "order")
_ACTION_REQUIRED = {
    "what_must_change": "Enter what must change for the child",
    "action": "Enter what will be done",
    "responsible": "Enter who will do this",
    "due_date": "Enter the date this will be done by",
    "measure": "Enter how you will know it has worked",
}


def _strip(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else value


def plan_create(
    *,
    actor,
    child: Child,
    kind: str,
    start_date: dt.date,
    summary: str = "",
    contingency: str = "",
    child_friendly_summary: str = "",
    review_due: dt.date | None = None,
) -> Plan:
    """Start a plan for the child. The start date cannot be in the future."""
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    if kind not in Plan.Kind.values:
        errors["kind"] = "Select the kind of plan"
    if start_date is None:
        errors["start_date"] = "Enter the date the plan started"
    elif start_date > timezone.localdate():
        errors["start_date"] = "The plan's start date must be today or in the past"
    if review_due is not None and start_date is not None and review_due < start_date:
        errors["review_due"] = "The review date must be the same as or after the plan's start date"
    if errors:
        raise ValidationError(errors)
    plan = Plan(
        child=child, kind=kind, start_date=start_date, review_due=review_due, summary=_strip(summary),
        contingency=_strip(contingency), child_friendly_summary=_strip(child_friendly_summary), created_by=actor,
    )
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=plan, child=child, changes=_created(plan),
              summary=f"{plan.get_kind_display()} started")
    return plan


def plan_end(*, actor, plan: Plan, end_date: dt.date) -> Plan:
    """End a plan: not before it started, not in the future, and only once."""
    access.require(actor, "record", plan.child)
    if plan.end_date is not None:
        raise ValidationError({"end_date": f"This plan has already ended ({_format_day(plan.end_date)})"})
    if end_date is None:
        raise ValidationError({"end_date": "Enter the date the plan ended"})
    if end_date > timezone.localdate():
        raise ValidationError({"end_date": "The end date must be today or in the past"})
    if end_date < plan.start_date:
        raise ValidationError({"end_date": PLAN_END_BEFORE_START})
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.end_date is not None:
            raise ValidationError({"end_date": f"This plan has already ended ({_format_day(locked.end_date)})"})
        locked.end_date = end_date
        locked.version += 1
        locked.full_clean()
        locked.save(update_fields=["end_date", "version"])
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=locked, child=locked.child,
              changes={"end_date": [None, end_date.isoformat()]}, summary=f"{locked.get_kind_display()} ended")
    plan.end_date, plan.version = locked.end_date, locked.version
    return plan


def _format_day(day: dt.date) -> str:
    return date_format(day, "j M Y")


def _check_action(values: dict) -> None:
    errors = {}
    for name, message in _ACTION_REQUIRED.items():
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[name] = message
    if values.get("status") is not None and values["status"] not in PlanAction.Status.values:
        errors["status"] = "Select the progress of this action"
    if errors:
        raise ValidationError(errors)


def plan_action_add(
    *,
    actor,
    plan: Plan,
    what_must_change: str,
    action: str,
    responsible: str,
    due_date: dt.date,
    measure: str,
    responsible_agency: str = "",
) -> PlanAction:
    """Add a SMART action to an open plan: what must change, who, by when, and how progress is judged."""
    access.require(actor, "record", plan.child)
    if plan.end_date is not None:
        raise ValidationError("You cannot add actions to a plan that has ended")
    values = {
        "what_must_change": _strip(what_must_change), "action": _strip(action), "responsible": _strip(responsible),
        "responsible_agency": _strip(responsible_agency), "due_date": due_date, "measure": _strip(measure),
    }
    _check_action(values)
    with transaction.atomic():
        last = plan.actions.order_by("-order").values_list("order", flat=True).first()
        item = PlanAction(plan=plan, order=(last or 0) + 1, **values)
        item.full_clean()
        item.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=item, child=plan.child,
              changes=_created(item), summary=f"Action added to the {plan.get_kind_display().lower()}")
    return item


def plan_action_update(*, actor, action: PlanAction, **fields) -> dict:
    """Change a plan action's fields. Returns the {field: [old, new]} changes."""
    plan = action.plan
    access.require(actor, "record", plan.child)
    unknown = set(fields) - set(PLAN_ACTION_FIELDS)
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))}")
    fields = {k: _strip(v) if isinstance(v, str) else v for k, v in fields.items()}
    merged = {k: fields.get(k, getattr(action, k)) for k in PLAN_ACTION_FIELDS}
    _check_action(merged)
    with transaction.atomic():
        return update_with_history(action, actor=actor, expected_version=None, child=plan.child, **fields)


# --- Meetings -----------------------------------------------------------------------------


def _check_attendance(rows) -> list[dict]:
    clean = []
    for number, row in enumerate(rows, start=1):
        name = _strip(row.get("name"))
        agency = _strip(row.get("agency"))
        status = row.get("status") or MeetingAttendance.Status.ATTENDED
        if not name:
            raise ValidationError({"attendance": f"Enter the name of attendee {number}"})
        if not agency:
            raise ValidationError({"attendance": f"Enter the agency of {name}"})
        if status not in MeetingAttendance.Status.values:
            raise ValidationError({"attendance": f"Select whether {name} attended"})
        clean.append({"name": name, "agency": agency, "role": _strip(row.get("role")), "status": status})
    return clean


def _check_progress(rows, plan: Plan | None) -> list[dict]:
    clean = []
    seen: set[int] = set()
    for row in rows:
        item = row.get("action")
        if plan is None or item is None or item.plan_id != plan.pk:
            raise ValidationError({"progress": "Progress can only be recorded against actions in this plan"})
        if item.pk in seen:
            raise ValidationError({"progress": "Record progress on each action once"})
        seen.add(item.pk)
        status = row.get("status")
        if status not in PlanAction.Status.values:
            raise ValidationError({"progress": f"Select the progress of the action: {item.action[:60]}"})
        comment = _strip(row.get("comment"))
        if not comment:
            raise ValidationError({"progress": f"Enter a comment on the progress of: {item.action[:60]}"})
        clean.append({"action": item, "status": status, "comment": comment})
    return clean


def meeting_record(
    *,
    actor,
    child: Child,
    kind: str,
    held_on: dt.date,
    plan: Plan | None = None,
    chair: str = "",
    child_attended: bool = False,
    child_contributed: bool = False,
    summary: str = "",
    attendance=(),
    progress=(),
) -> Meeting:
    """Record a meeting, who came from which agency, and progress on the plan's actions.

    Progress updates each action's status too.
    """
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    if kind not in Meeting.Kind.values:
        errors["kind"] = "Select the kind of meeting"
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    elif held_on > timezone.localdate():
        errors["held_on"] = "The date of the meeting must be today or in the past"
    if plan is not None and plan.child_id != child.pk:
        errors["plan"] = "This plan is not for this child"
    if errors:
        raise ValidationError(errors)
    attendees = _check_attendance(attendance)
    updates = _check_progress(progress, plan)
    meeting = Meeting(
        child=child, plan=plan, kind=kind, held_on=held_on, chair=_strip(chair), child_attended=child_attended,
        child_contributed=child_contributed, summary=_strip(summary), recorded_by=actor,
    )
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        MeetingAttendance.objects.bulk_create([MeetingAttendance(meeting=meeting, **row) for row in attendees])
        ActionProgress.objects.bulk_create([ActionProgress(meeting=meeting, **row) for row in updates])
        for row in updates:
            item = row["action"]
            if item.status != row["status"]:
                old = item.status
                PlanAction.objects.filter(pk=item.pk).update(status=row["status"])
                item.status = row["status"]
                audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=item, child=child,
                      changes={"status": [old, row["status"]]}, summary="Action progress recorded at a meeting")
        changes = _created(meeting)
        changes["attendance"] = [None, [f"{a['name']} ({a['agency']}): {a['status']}" for a in attendees]]
        changes["progress"] = [None, [f"{u['action'].pk}: {u['status']}" for u in updates]]
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=meeting, child=child, changes=changes,
              summary=f"{meeting.get_kind_display()} recorded")
    return meeting


# --- Visits -------------------------------------------------------------------------------


def visit_record(
    *,
    actor,
    child: Child,
    kind: str,
    visited_on: dt.date,
    child_seen: bool,
    child_seen_alone: bool,
    summary: str = "",
    bedroom_seen: bool = False,
    evidence: str = "",
) -> Visit:
    """Record a visit to the child. Seen alone needs seen; the date is not in the future or before birth.

    ``evidence``: the key of an open record the visit counts towards (``casework.evidence``: an assessment's
    "child seen", say), updated in the same transaction; only one of the child's own open records.
    """
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    source = visit_evidence.source_for(evidence)
    if evidence and (source is None or evidence not in {t.key for t in source.targets(child)}):
        errors["evidence"] = "Select what the visit counts towards from the list"
    if kind not in Visit.Kind.values:
        errors["kind"] = "Select the kind of visit"
    if visited_on is None:
        errors["visited_on"] = "Enter the date of the visit"
    elif visited_on > timezone.localdate():
        errors["visited_on"] = "The date of the visit must be today or in the past"
    elif child.date_of_birth and visited_on < child.date_of_birth:
        errors["visited_on"] = (
            f"The date of the visit must be on or after the child's date of birth ({_format_day(child.date_of_birth)})"
        )
    if child_seen_alone and not child_seen:
        errors["child_seen_alone"] = "Select 'child seen' if the child was seen alone"
    if errors:
        raise ValidationError(errors)
    visit = Visit(
        child=child, kind=kind, visited_on=visited_on, child_seen=child_seen, child_seen_alone=child_seen_alone,
        bedroom_seen=bedroom_seen, summary=_strip(summary), visitor=actor,
    )
    visit.full_clean()
    with transaction.atomic():
        visit.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=visit, child=child, changes=_created(visit),
              summary=f"{visit.get_kind_display()} recorded")
        if source is not None:
            source.apply(actor=actor, visit=visit, key=evidence)
    return visit


# --- Management oversight and supervision -------------------------------------------------


def can_record_oversight(user, child: Child) -> bool:
    """Only team and service managers and senior practitioners record oversight."""
    return policy.may_record_oversight(user) and can(user, "record", child)


def oversight_record(
    *,
    actor,
    child: Child,
    held_on: dt.date,
    decisions: str,
    kind: str = OversightRecord.Kind.MANAGEMENT_OVERSIGHT,
    actions=(),
) -> OversightRecord:
    """Record management oversight (decisions, and actions each with an owner and a due date)."""
    if not can_record_oversight(actor, child):
        refuse(policy.may_record_oversight.refusal, permission=policy.may_record_oversight, user=actor,
               reference=str(child.pk))
    errors: dict[str, str] = {}
    if kind not in OversightRecord.Kind.values:
        errors["kind"] = "Select management oversight or supervision"
    if held_on is None:
        errors["held_on"] = "Enter the date of the oversight"
    elif held_on > timezone.localdate():
        errors["held_on"] = "The date of the oversight must be today or in the past"
    if not _strip(decisions):
        errors["decisions"] = "Enter the decisions made"
    if errors:
        raise ValidationError(errors)
    rows = []
    for number, row in enumerate(actions, start=1):
        text, owner, due = _strip(row.get("action")), _strip(row.get("owner")), row.get("due_date")
        if not text:
            raise ValidationError({"actions": f"Enter action {number}"})
        if not owner:
            raise ValidationError({"actions": f"Enter who will do action {number}"})
        if due is None:
            raise ValidationError({"actions": f"Enter the date action {number} must be done by"})
        if held_on and due < held_on:
            raise ValidationError({"actions": f"The due date of action {number} must be on or after the oversight"})
        rows.append({"action": text, "owner": owner, "due_date": due})
    record = OversightRecord(child=child, kind=kind, held_on=held_on, decisions=_strip(decisions), recorded_by=actor)
    record.full_clean()
    with transaction.atomic():
        record.save()
        OversightAction.objects.bulk_create([OversightAction(record=record, **row) for row in rows])
        changes = _created(record)
        changes["actions"] = [None, [f"{r['action'][:80]} – {r['owner']} by {r['due_date'].isoformat()}"
                                     for r in rows]]
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=record, child=child, changes=changes,
              summary=f"{record.get_kind_display()} recorded")
    return record


# --- Allocation and transfer ---------------------------------------------------------------

def can_allocate(user, child: Child) -> bool:
    """Team and service managers allocate children to workers and teams, and transfer them."""
    return policy.may_allocate(user) and can(user, "edit", child)


def allocation_transfer(*, actor, child: Child, team, worker=None, start_date: dt.date, reason: str = "") -> Allocation:
    """Allocate the child to a team (and worker), ending every open allocation on `start_date`.

    An allocation to the same team and worker as the open one is refused: nothing would change.
    """
    if not can_allocate(actor, child):
        refuse(policy.may_allocate.refusal, permission=policy.may_allocate, user=actor, reference=str(child.pk))
    errors: dict[str, str] = {}
    if team is None:
        errors["team"] = "Select the team"
    elif not team_holds_cases(team):
        errors["team"] = f"{team.name} does not hold children's cases: select a team that does"
    if worker is not None and not worker.is_active:
        errors["worker"] = "The worker's account is not active"
    elif worker is not None and not worker_holds_cases(worker):
        errors["worker"] = (f"{worker.display_name} cannot be allocated children: select a social worker, senior "
                            "practitioner or personal adviser in a team that holds children's cases")
    elif worker is not None and team is not None and worker.team_id != team.pk:
        errors["worker"] = (f"{worker.display_name} is in {worker.team.name if worker.team else 'no team'}: "
                            f"select a worker in {team.name}, or select their team")
    if start_date is None:
        errors["start_date"] = "Enter the date of the allocation"
    elif start_date > timezone.localdate():
        errors["start_date"] = "The date of the allocation must be today or in the past"
    if errors:
        raise ValidationError(errors)
    open_allocations = list(Allocation.objects.filter(child=child, end_date__isnull=True))
    for current in open_allocations:
        if current.team_id == team.pk and current.worker_id == getattr(worker, "pk", None):
            raise ValidationError({"worker": "The child is already allocated to this worker and team"})
        if start_date < current.start_date:
            raise ValidationError({"start_date": "The date must be on or after the current allocation started "
                                                 f"({_format_day(current.start_date)})"})
    allocation = Allocation(child=child, team=team, worker=worker, start_date=start_date, reason=_strip(reason))
    allocation.full_clean()
    with transaction.atomic():
        for current in open_allocations:
            update_with_history(current, actor=actor, expected_version=None, child=child,
                                end_date=start_date)
        allocation.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=allocation, child=child,
              changes=_created(allocation),
              summary=f"Allocated to {worker.get_full_name() if worker else 'the team'} ({team.name})")
    return allocation
