"""Adds "Child protection plan" and "Section 47 enquiry" to the record's list of services now."""

from django.db.models import Exists, OuterRef

from opencsc.casework.summary import register_service_check

from .models import CPPlan, Section47


def _expressions():
    return {
        "plan": Exists(CPPlan.objects.filter(child=OuterRef("pk"), plan__end_date__isnull=True)),
        "enquiry": Exists(
            Section47.objects.filter(child=OuterRef("pk"), outcome="").exclude(conferences__kind="initial")
        ),
    }


@register_service_check(_expressions, section="protection:overview")
def protection_services(values) -> list[str]:
    labels = []
    if values["plan"]:
        labels.append("Child protection plan")
    if values["enquiry"]:
        labels.append("Section 47 enquiry")
    return labels
