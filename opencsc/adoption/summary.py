"""Adds the child's adoption stage to the record's list of services now."""

from django.db.models import Exists, OuterRef, Subquery

from opencsc.casework.summary import register_service_check

from .models import AdoptionPlan


def _open_plans():
    return AdoptionPlan.objects.filter(child=OuterRef("pk"), ended_on__isnull=True, adoption_order_on__isnull=True)


def _expressions():
    return {
        "open": Exists(_open_plans()),
        "placed_on": Subquery(_open_plans().order_by("-should_be_placed_on", "-id").values("placed_on")[:1]),
    }


@register_service_check(_expressions, section="adoption:overview")
def adoption_services(values) -> list[str]:
    """'Placed for adoption' or 'Plan for adoption' while a plan for adoption is open."""
    if not values["open"]:
        return []
    return ["Placed for adoption"] if values["placed_on"] else ["Plan for adoption"]
