"""A stand-in return with the cin/ssda903 contract (base.py), for testing pages and commands alone.

Tests set ISSUES (a list of base.Issue) and may set FAIL to make the build raise.
"""

from __future__ import annotations

from opencsc.returns.base import CollectionYear, Issue, ReturnFile

ISSUES: list[Issue] = []
FAIL: Exception | None = None
CALLS: list[tuple[str, int]] = []


def build(year: CollectionYear, *, progress=None) -> list[ReturnFile]:
    CALLS.append(("build", year.ending))
    if FAIL is not None:
        raise FAIL
    if progress:
        progress(0, 1, "Building")
        progress(1, 1, "Built")
    return [ReturnFile(name=f"fake_{year.ending}.xml", content=b"<Message/>", content_type="application/xml")]


def validate(year: CollectionYear, *, progress=None) -> list[Issue]:
    CALLS.append(("validate", year.ending))
    if progress:
        progress(1, 1, "Validated")
    return list(ISSUES)
