"""What a visit is evidence for: a small registry higher apps add to.

A visit to a child may count towards a record of a higher app (an assessment's "child seen" date, say),
which casework cannot import. That app registers an ``EvidenceTarget`` source here (from its own domain
module, imported by its AppConfig.ready()): ``targets(child)`` lists the open records a visit to this
child may evidence, the first being the default; ``apply(actor=, visit=, key=)`` updates the record the
key names, inside the transaction that records the visit.

``visit_record(..., evidence=key)`` (casework.services) calls ``apply`` for the key chosen on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from opencsc.people.models import Child


@dataclass(frozen=True)
class Target:
    key: str      # "assessment:12": the source's code, a colon, the record's id
    label: str    # "The assessment started 3 Nov 2026"


@dataclass(frozen=True)
class EvidenceSource:
    code: str                                     # "assessment"
    targets: Callable[[Child], list[Target]]      # the open records a visit to this child may evidence
    apply: Callable[..., None]                    # apply(actor=, visit=, key=): update the record


_SOURCES: dict[str, EvidenceSource] = {}


def register(source: EvidenceSource) -> None:
    _SOURCES.setdefault(source.code, source)


def targets_for(child: Child) -> list[Target]:
    """Every record a visit to this child may count towards, the default first (one query per source)."""
    return [target for source in _SOURCES.values() for target in source.targets(child)]


def source_for(key: str) -> EvidenceSource | None:
    return _SOURCES.get(key.partition(":")[0]) if key else None
