"""Adds "Leaving care" to the record's list of services now, while support continues."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from opencsc.casework.summary import register_service_check
from opencsc.people.models import Child

from .selectors import care_leavers


def _expressions():

    return {"leaving_care": Exists(care_leavers(Child.objects.filter(pk=OuterRef("pk")), timezone.localdate()))}


@register_service_check(_expressions, section="careleavers:overview")
def leaving_care_services(values) -> list[str]:
    return ["Leaving care"] if values["leaving_care"] else []
