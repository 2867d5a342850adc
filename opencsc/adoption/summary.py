"""Adds the child's adoption stage to the record's list of services now."""

from opencsc.casework.summary import register_service_source


@register_service_source
def adoption_services(child) -> list[str]:
    """'Placed for adoption' or 'Plan for adoption' while a plan for adoption is open (one query)."""
    from .models import AdoptionPlan

    rows = list(AdoptionPlan.objects.filter(child=child, ended_on__isnull=True, adoption_order_on__isnull=True)
                .values_list("placed_on", flat=True)[:1])
    if not rows:
        return []
    return ["Placed for adoption"] if rows[0] else ["Plan for adoption"]
