"""Writes to the child's record: case notes, chronology entries and documents.

Each service checks its rules, writes in a transaction and records an audit
event with the old and new values. Callers fetch the child through
`people.access.child_for(..., action="record")` first; the services check the
user's role again so that no path skips it.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.people.access import can
from opencsc.people.models import Child

from .models import CaseNote, ChronologyEntry, Document
from .selectors import can_edit_case_note

# Documents: file name endings accepted, with the type they are stored under.
ALLOWED_UPLOADS: dict[str, str] = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".rtf": "application/rtf",
    ".txt": "text/plain",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".heic": "image/heic",
}
WRONG_TYPE = "The selected file must be a PDF, Word document, text file or image"
EMPTY_FILE = "The selected file is empty"


def _too_big_message() -> str:
    megabytes = settings.OPENCSC_MAX_UPLOAD_BYTES / (1024 * 1024)
    size = f"{megabytes:g}MB" if megabytes >= 1 else f"{settings.OPENCSC_MAX_UPLOAD_BYTES // 1024}KB"
    return f"The selected file must be smaller than {size}"


def _require_record(actor, child: Child) -> None:
    if not can(actor, "record", child):
        raise PermissionDenied("You cannot add to this child's record")


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
    _require_record(actor, child)
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
        raise PermissionDenied("Only the author or a manager can change a case note")
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
    _require_record(actor, child)
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


# --- Documents ----------------------------------------------------------------------------


def document_check_file(upload) -> None:
    """Refuse files that are too big, empty or of a type not on the allow-list (nothing is saved)."""
    if upload is None:
        raise ValidationError({"file": "Select a file"})
    if upload.size > settings.OPENCSC_MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _too_big_message()})
    if upload.size == 0:
        raise ValidationError({"file": EMPTY_FILE})
    _, ext = os.path.splitext(upload.name or "")
    if ext.lower() not in ALLOWED_UPLOADS:
        raise ValidationError({"file": WRONG_TYPE})


def document_upload(*, child: Child, actor, title: str, file) -> Document:
    """Store an uploaded file on the child's record under a random name."""
    _require_record(actor, child)
    if not (title or "").strip():
        raise ValidationError({"title": "Enter a title for the document"})
    document_check_file(file)
    original = os.path.basename(file.name)[:255]
    ext = os.path.splitext(original)[1].lower()
    content_type = ALLOWED_UPLOADS.get(ext) or mimetypes.guess_type(original)[0] or "application/octet-stream"
    file.name = f"{uuid.uuid4().hex}{ext}"
    document = Document(
        child=child,
        title=title.strip(),
        file=file,
        original_name=original,
        size_bytes=file.size,
        content_type=content_type,
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
                         "size_bytes": [None, document.size_bytes]},
                summary=f"Document uploaded: {document.title}",
            )
    except Exception:
        if document.file.name and document.file.storage.exists(document.file.name):
            document.file.storage.delete(document.file.name)
        raise
    return document
