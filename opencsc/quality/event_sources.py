"""This app's entry in the event registry: completed case audits in the child's chronology (no clocks)."""

from __future__ import annotations

from django.urls import reverse

from opencsc.casework.events import ChronologyItem, EventSource, register, within
from opencsc.core import events
from opencsc.core.prepared import prepared

from .models import CaseAudit


@prepared
def _audit_rows(child_id):
    return (CaseAudit.objects.filter(child_id=child_id, status=CaseAudit.Status.COMPLETED)
            .select_related("auditor", "moderation"))


def _audits(child, date_from=None, date_to=None):
    for audit in _audit_rows(child.pk):
        # With no dates asked for, an audit without a date is shown too (as the SQL filter did).
        if (date_from or date_to) and not within(audit.audited_on, date_from, date_to):
            continue
        title = f"Case audit: {audit.get_grade_display().lower()}"
        moderation = getattr(audit, "moderation", None)
        if moderation is not None:
            title += f" (moderated: {moderation.get_grade_display().lower()})"
        yield ChronologyItem(
            date=audit.audited_on, source="case_audit", category="Quality assurance", title=title,
            detail=audit.summary[:300], url=reverse("quality:audit_detail", args=[child.pk, audit.pk]),
            author=audit.auditor.display_name, sort_key=(audit.pk,),
        )


register(EventSource(key="case_audit", label="Case audits", fetch=_audits))


# --- The event log (core/events.py): the same entries, as facts written by the services ------------


def _audit_facts(audit):
    # A completed audit has a date (audit_complete asks for one); one without could not be placed.
    if audit.status != CaseAudit.Status.COMPLETED or audit.audited_on is None:
        return
    title = f"Case audit: {audit.get_grade_display().lower()}"
    moderation = getattr(audit, "moderation", None)
    if moderation is not None:
        title += f" (moderated: {moderation.get_grade_display().lower()})"
    yield events.Fact(
        child_id=audit.child_id, on=audit.audited_on, title=title, category="Quality assurance",
        detail=audit.summary[:300], url=reverse("quality:audit_detail", args=[audit.child_id, audit.pk]),
        author_id=audit.auditor_id or None, recorded_at=audit.created_at,
    )


# A moderation changes the title of the audit it grades.
events.register(events.Source(key="case_audit", label="Case audits", model="quality.CaseAudit",
                              project=_audit_facts, related=("moderation",),
                              follows={"quality.Moderation": "moderation"}))
