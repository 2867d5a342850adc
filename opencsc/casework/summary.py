"""Which services a child is receiving now: a small registry other apps add to.

A source is either

- a *check* (``register_service_check``): named SQL expressions over the child's row
  (``OuterRef("pk")`` is the child) and a function turning their values into labels. Every
  check is answered by ONE query for the whole record page, however many apps register one;
- or a plain function (``register_service_source``) that takes the child and returns a list of
  labels, running its own query (normally one). Prefer a check.

The record page shows the labels in the order the sources were registered, without duplicates.

Each label names a service the child receives now, read from the records of the area that provides it
(an open child protection plan, an open period of care...), so that the service is shown on that area's
tab of the record too: a check names that tab (``section``, a URL name taking the child's id) and the
record page links each label to it. The team that holds the child's allocation is not a service: the record shows it
under "Allocated to" (an allocation to a child protection team is not a child protection plan).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from opencsc.people.models import Child

ServiceSource = Callable[..., list[str]]


@dataclass(frozen=True, eq=False)
class ServiceCheck:
    """``expressions()`` -> {name: expression}; ``labels(values)`` -> labels, from those values by name;
    ``section``: the URL name of the record's tab that shows these services (it takes the child's id)."""

    expressions: Callable[[], Mapping[str, object]]
    labels: Callable[[Mapping[str, object]], list[str]]
    name: str = ""
    section: str = ""


@dataclass(frozen=True)
class Service:
    """A service the child receives now, and the URL name of the record's tab that shows it ("" if none)."""

    label: str
    section: str = ""

    def __str__(self):
        return self.label


_SOURCES: list[ServiceSource | ServiceCheck] = []


def register_service_source(fn: ServiceSource) -> ServiceSource:
    """Add a source of service labels (usable as a decorator). Registering twice is harmless."""
    if fn not in _SOURCES:
        _SOURCES.append(fn)
    return fn


def register_service_check(expressions: Callable[[], Mapping[str, object]], *, section: str = ""):
    """Decorator: ``labels(values)`` gives the labels from the values of ``expressions()``.

    ``expressions`` is called when the page is built (so it may import models and read today's
    date); its names need only be unique within the check. ``section``: the URL name of the record's
    tab that shows these services as current (``"protection:overview"``).
    """

    def decorator(labels: Callable[[Mapping[str, object]], list[str]]):
        name = f"{labels.__module__}.{labels.__qualname__}"
        if not any(isinstance(s, ServiceCheck) and s.name == name for s in _SOURCES):
            _SOURCES.append(ServiceCheck(expressions=expressions, labels=labels, name=name, section=section))
        return labels

    return decorator


def service_sources() -> list[ServiceSource | ServiceCheck]:
    return list(_SOURCES)


def check_expressions() -> dict[str, object]:
    """Every check's expressions over the child's row, named ``service_<check number>_<name>``: a page
    that reads the child's row anyway adds them to that query (the record page: casework.selectors)."""
    checks = [s for s in _SOURCES if isinstance(s, ServiceCheck)]
    return {f"service_{number}_{name}": expression
            for number, check in enumerate(checks) for name, expression in check.expressions().items()}


def _check_row(child_id) -> dict:
    renamed = check_expressions()
    if not renamed:
        return {}
    return Child.objects.filter(pk=child_id).annotate(**renamed).values(*renamed).first() or {}


def services_for(child, *, row: dict | None = None) -> list[str]:
    """The services the child receives now, from every registered source.

    ``row``: the values of ``check_expressions()`` for the child, if already read (else one query).
    """
    return [service.label for service in current_services(child, row=row)]


def current_services(child, *, row: dict | None = None) -> list[Service]:
    """As ``services_for``, each with the tab of the record that shows it (the record page links to it)."""
    checks = [s for s in _SOURCES if isinstance(s, ServiceCheck)]
    row = _check_row(child.pk) if row is None else row
    values: list[dict] = [defaultdict(lambda: None) for _ in checks]  # as row.get(): None if no row
    for alias, value in row.items():
        if alias.startswith("service_"):
            number, name = alias[len("service_"):].split("_", 1)
            values[int(number)][name] = value
    by_check = dict(zip((id(c) for c in checks), values, strict=True))
    services: list[Service] = []
    for source in _SOURCES:
        if isinstance(source, ServiceCheck):
            found, section = source.labels(by_check[id(source)]), source.section
        else:
            found, section = source(child), ""
        for label in found or []:
            if label and all(label != s.label for s in services):
                services.append(Service(label, section))
    return services

