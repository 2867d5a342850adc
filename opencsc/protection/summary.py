"""Adds "Child protection plan" and "Section 47 enquiry" to the record's list of services now."""

from opencsc.casework.summary import register_service_source


@register_service_source
def protection_services(child) -> list[str]:
    from .models import CPPlan, Section47

    labels = []
    if CPPlan.objects.filter(child=child, plan__end_date__isnull=True).exists():
        labels.append("Child protection plan")
    if Section47.objects.filter(child=child, outcome="").exclude(conferences__kind="initial").exists():
        labels.append("Section 47 enquiry")
    return labels
