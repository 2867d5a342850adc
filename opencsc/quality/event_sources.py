"""This app's entry in the event registry: completed case audits in the child's chronology (no clocks)."""

from __future__ import annotations

from django.urls import reverse

from opencsc.core import events

from .models import CaseAudit


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
