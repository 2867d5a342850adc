"""Adds "Leaving care" to the record's list of services now, while support continues."""

from django.utils import timezone

from opencsc.casework.summary import register_service_source


@register_service_source
def leaving_care_services(child) -> list[str]:
    from opencsc.people.models import Child

    from .selectors import care_leavers

    on = timezone.localdate()
    return ["Leaving care"] if care_leavers(Child.objects.filter(pk=child.pk), on).exists() else []
