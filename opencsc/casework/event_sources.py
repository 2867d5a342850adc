"""This app's entries in the event registry."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from .events import ChronologyItem, EventSource, register
from .models import Allocation, CaseNote, ChronologyEntry, Document


def _case_notes(child, date_from=None, date_to=None):
    qs = CaseNote.objects.filter(child=child).select_related("author")
    if date_from:
        qs = qs.filter(contact_date__gte=date_from)
    if date_to:
        qs = qs.filter(contact_date__lte=date_to)
    for note in qs:
        seen = ""
        if note.child_seen:
            seen = "Child seen alone" if note.child_seen_alone else "Child seen"
        yield ChronologyItem(
            date=note.contact_date,
            source="case_note",
            category=note.get_note_type_display(),
            title=note.subject,
            detail=seen,
            url=reverse("casework:note_detail", args=[child.pk, note.pk]),
            significant=note.note_type == CaseNote.NoteType.MANAGEMENT_OVERSIGHT,
            author=note.author.display_name,
            sort_key=(note.pk,),
        )


def _manual_entries(child, date_from=None, date_to=None):
    qs = ChronologyEntry.objects.filter(child=child).select_related("author")
    if date_from:
        qs = qs.filter(event_date__gte=date_from)
    if date_to:
        qs = qs.filter(event_date__lte=date_to)
    for entry in qs:
        yield ChronologyItem(
            date=entry.event_date,
            source="manual",
            category="Significant event",
            title=entry.title,
            detail=entry.detail,
            significant=entry.significance == ChronologyEntry.Significance.HIGH,
            author=entry.author.display_name,
            sort_key=(entry.pk,),
        )


def _allocations(child, date_from=None, date_to=None):
    qs = Allocation.objects.filter(child=child).select_related("worker", "team")
    if date_from:
        qs = qs.filter(start_date__gte=date_from)
    if date_to:
        qs = qs.filter(start_date__lte=date_to)
    for allocation in qs:
        who = allocation.worker.display_name if allocation.worker else "unallocated"
        yield ChronologyItem(
            date=allocation.start_date,
            source="allocation",
            category="Allocation",
            title=f"Allocated to {who}, {allocation.team.name}",
            detail=allocation.reason,
            sort_key=(allocation.pk,),
        )


def _day_start(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _documents(child, date_from=None, date_to=None):
    qs = Document.objects.filter(child=child).select_related("uploaded_by")
    if date_from:
        qs = qs.filter(uploaded_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(uploaded_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    for doc in qs:
        yield ChronologyItem(
            date=timezone.localdate(doc.uploaded_at),
            source="document",
            category="Document",
            title=doc.title,
            url=reverse("casework:document_download", args=[child.pk, doc.pk]),
            author=doc.uploaded_by.display_name,
            sort_key=(doc.pk,),
        )


register(EventSource(key="case_note", label="Case notes and visits", fetch=_case_notes))
register(EventSource(key="manual", label="Significant events entered by hand", fetch=_manual_entries))
register(EventSource(key="allocation", label="Allocations", fetch=_allocations))
register(EventSource(key="document", label="Documents", fetch=_documents))
