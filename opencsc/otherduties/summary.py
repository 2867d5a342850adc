"""Adds "Privately fostered" and "Care proceedings" to the record's list of services now."""

from django.db.models import Exists, OuterRef

from opencsc.casework.summary import register_service_check

from .models import CareProceedings, PrivateFostering


def _expressions():
    return {
        "fostered": Exists(PrivateFostering.objects.filter(child=OuterRef("pk"), ended_on__isnull=True)),
        "proceedings": Exists(CareProceedings.objects.filter(child=OuterRef("pk"), final_order_on__isnull=True)),
    }


@register_service_check(_expressions, section="otherduties:overview")
def other_duties_services(values) -> list[str]:
    labels = []
    if values["fostered"]:
        labels.append("Privately fostered")
    if values["proceedings"]:
        labels.append("Care proceedings")
    return labels
