"""This app's entry in the event registry: completed case audits in the child's chronology (no clocks)."""

from __future__ import annotations

from django.urls import reverse

from opencsc.casework.events import ChronologyItem, EventSource, register, within
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
