"""Which services a child is receiving now: a small registry other apps add to.

A source is either

- a *check* (``register_service_check``): named SQL expressions over the child's row
  (``OuterRef("pk")`` is the child) and a function turning their values into labels. Every
  check is answered by ONE query for the whole record page, however many apps register one;
- or a plain function (``register_service_source``) that takes the child and returns a list of
  labels, running its own query (normally one). Prefer a check.

The record page shows the labels in the order the sources were registered, without duplicates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from opencsc.accounts.roles import TeamKind
from opencsc.core.prepared import prepared
from opencsc.people.models import Child

from .models import Allocation

ServiceSource = Callable[..., list[str]]


@dataclass(frozen=True, eq=False)
class ServiceCheck:
    """``expressions()`` -> {name: expression}; ``labels(values)`` -> labels, from those values by name."""

    expressions: Callable[[], Mapping[str, object]]
    labels: Callable[[Mapping[str, object]], list[str]]
    name: str = ""


_SOURCES: list[ServiceSource | ServiceCheck] = []

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


def register_service_check(expressions: Callable[[], Mapping[str, object]]):
    """Decorator: ``labels(values)`` gives the labels from the values of ``expressions()``.

    ``expressions`` is called when the page is built (so it may import models and read today's
    date); its names need only be unique within the check.
    """

    def decorator(labels: Callable[[Mapping[str, object]], list[str]]):
        name = f"{labels.__module__}.{labels.__qualname__}"
        if not any(isinstance(s, ServiceCheck) and s.name == name for s in _SOURCES):
            _SOURCES.append(ServiceCheck(expressions=expressions, labels=labels, name=name))
        return labels

    return decorator


def service_sources() -> list[ServiceSource | ServiceCheck]:
    return list(_SOURCES)


@prepared
def _check_row(child_id, *, checks: tuple[ServiceCheck, ...]):
    """The child's row with every check's expressions, named ``service_<check number>_<name>``.

    Prepared (see opencsc.core.prepared): checks may read today's date, and prepared queries are
    made again each day.
    """
    renamed = {f"service_{number}_{name}": expression
               for number, check in enumerate(checks) for name, expression in check.expressions().items()}
    return Child.objects.filter(pk=child_id).annotate(**renamed).values(*renamed)


def _check_values(child, checks: list[ServiceCheck]) -> list[dict]:
    """The values of every check's expressions for this child, in one query."""
    if not checks:
        return []
    rows = _check_row(child.pk, checks=tuple(checks))
    values: list[dict] = [defaultdict(lambda: None) for _ in checks]  # as row.get(): None if no row
    for alias, value in (rows[0] if rows else {}).items():
        number, name = alias[len("service_"):].split("_", 1)
        values[int(number)][name] = value
    return values


def services_for(child, *, allocations=None) -> list[str]:
    """The services the child receives now, from every registered source.

    ``allocations``: the child's open allocations with their teams, newest first, if already read.
    """
    checks = [s for s in _SOURCES if isinstance(s, ServiceCheck)]
    values = dict(zip((id(c) for c in checks), _check_values(child, checks), strict=True))
    labels: list[str] = []
    for source in _SOURCES:
        if isinstance(source, ServiceCheck):
            found = source.labels(values[id(source)])
        elif source is allocated_team_services and allocations is not None:
            found = _team_labels(a.team.kind for a in allocations)
        else:
            found = source(child)
        for label in found or []:
            if label and label not in labels:
                labels.append(label)
    return labels


def _team_labels(kinds) -> list[str]:
    return [TeamKind(kind).label for kind in kinds if kind in TeamKind.values and kind not in _NOT_A_SERVICE]


@register_service_source
def allocated_team_services(child) -> list[str]:
    """For now: the kind of team that holds the child's open allocation (one query, none on the record
    page, which has read the allocations already)."""
    kinds = (
        Allocation.objects.filter(child=child, end_date__isnull=True)
        .order_by("-start_date", "-id")
        .values_list("team__kind", flat=True)
    )
    return _team_labels(kinds)
