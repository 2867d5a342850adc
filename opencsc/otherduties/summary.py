"""Adds "Privately fostered" and "Care proceedings" to the record's list of services now."""

from opencsc.casework.summary import register_service_source


@register_service_source
def other_duties_services(child) -> list[str]:
    from .models import CareProceedings, PrivateFostering

    labels = []
    if PrivateFostering.objects.filter(child=child, ended_on__isnull=True).exists():
        labels.append("Privately fostered")
    if CareProceedings.objects.filter(child=child, final_order_on__isnull=True).exists():
        labels.append("Care proceedings")
    return labels
