"""This app's entry in the event registry: completed case audits in the child's chronology (no clocks)."""

from __future__ import annotations

from django.urls import reverse

from opencsc.casework.events import ChronologyItem, EventSource, register

from .models import CaseAudit


def _audits(child, date_from=None, date_to=None):
    qs = (CaseAudit.objects.filter(child=child, status=CaseAudit.Status.COMPLETED)
          .select_related("auditor", "moderation"))
    if date_from:
        qs = qs.filter(audited_on__gte=date_from)
    if date_to:
        qs = qs.filter(audited_on__lte=date_to)
    for audit in qs:
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
