"""Which services a child is receiving now: a small registry other apps add to.

Each registered function takes the child and returns a list of service labels
("Child protection", "Child in need", "Looked after"...). It must run a bounded
number of queries (normally one), whatever the length of the child's history.
The record page shows the labels, in order, without duplicates.
"""

from __future__ import annotations

from collections.abc import Callable

from opencsc.accounts.roles import TeamKind

ServiceSource = Callable[..., list[str]]

_SOURCES: list[ServiceSource] = []

# Team kinds that say nothing about the service the child receives.
_NOT_A_SERVICE = frozenset(
    {TeamKind.EDT, TeamKind.IRO_SERVICE, TeamKind.PERFORMANCE, TeamKind.QUALITY, TeamKind.ADMINISTRATION,
     TeamKind.PARTNER}
)


def register_service_source(fn: ServiceSource) -> ServiceSource:
    """Add a source of service labels (usable as a decorator). Registering twice is harmless."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def service_sources() -> list[ServiceSource]:
    return list(_SOURCES)


def services_for(child) -> list[str]:
    """The services the child receives now, from every registered source."""
    labels: list[str] = []
    for source in _SOURCES:
        for label in source(child) or []:
            if label and label not in labels:
                labels.append(label)
    return labels


@register_service_source
def allocated_team_services(child) -> list[str]:
    """For now: the kind of team that holds the child's open allocation (one query)."""
    from .models import Allocation

    kinds = (
        Allocation.objects.filter(child=child, end_date__isnull=True)
        .order_by("-start_date", "-id")
        .values_list("team__kind", flat=True)
    )
    return [TeamKind(kind).label for kind in kinds if kind in TeamKind.values and kind not in _NOT_A_SERVICE]
