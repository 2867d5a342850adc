"""What every statutory return shares: its collection year, its files and its validation issues.

Each return lives in its own package (cin/, ssda903/, annexa/) and offers:

    build(year: CollectionYear, *, progress=None) -> list[ReturnFile]
    validate(year: CollectionYear, *, progress=None) -> list[Issue]

`progress` is None or a callable `progress(done: int, total: int, label: str)`, which the command
line uses to draw a progress bar. Returns read every child, restricted records included (the
duties to return data do not stop at a restriction); pages that name children go through
people.access.children_for, so a restricted child appears in a validation report as a reference
only to those without a grant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class CollectionYear:
    """A collection year, named by the year it ends: 2026 is 1 Apr 2025 to 31 Mar 2026."""

    ending: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.ending - 1, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.ending, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.ending - 1} to {self.ending}"

    @classmethod
    def containing(cls, day: dt.date) -> CollectionYear:
        return cls(day.year + 1 if day.month >= 4 else day.year)


@dataclass(frozen=True)
class ReturnFile:
    name: str  # e.g. "cin_census_2026.xml", "episodes.csv", "annex_a.xlsx"
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Issue:
    """One failed rule for one record, as the DfE would report it."""

    rule: str  # the DfE rule code, e.g. "8840" or "103"; local checks start with "L"
    message: str  # the rule's text from the DfE rule list, in plain words
    child_id: int | None  # our Child.pk, to link to the record; None for header-level issues
    child_reference: str = ""  # LA child ID as it appears in the return
    field: str = ""  # the return's field, e.g. "CPPstartDate" or "DECOM"
    severity: str = "error"  # "error" or "query" (DfE "Q" rules)
    table: str = ""  # 903 file or CIN module, e.g. "Episodes", "ChildProtectionPlans"
