"""Statutory returns run as background jobs (opencsc/jobs): the page queues the build, a worker makes it.

One build of each return at a time (exclusive per kind of return): two at once would only compete for
the same records, and the second click is shown the first build's progress instead.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from opencsc.jobs.registry import JobError, JobResult, job

from . import policy, registry, services


def _title(params: dict) -> str:
    try:
        title = registry.get(params["kind"]).title
    except (KeyError, registry.UnknownReturn):
        return "Make a statutory return"
    if params.get("year"):
        return f"Make the {title} for {int(params['year']) - 1} to {params['year']}"
    if params.get("start") and params.get("end"):
        start, end = dt.date.fromisoformat(params["start"]), dt.date.fromisoformat(params["end"])
        return f"Make the {title} for {start:%-d %b %Y} to {end:%-d %b %Y}"
    return f"Make the {title}"


@job("returns.build", title="Make a statutory return", exclusive=True, max_attempts=3,
     lock=lambda params: f"returns.build:{params.get('kind', '')}", permission=policy.may_make_returns, describe=_title)
def build(progress, *, kind: str, year: int | None = None, start: str | None = None, end: str | None = None):
    values = {"year": year} if year else {"start": dt.date.fromisoformat(start) if start else None,
                                          "end": dt.date.fromisoformat(end) if end else None}
    try:
        run = services.return_run(kind=kind, by=progress.user, progress=progress, **values)
    except registry.UnknownReturn as error:
        raise JobError(str(error)) from error
    except (ValidationError, PermissionDenied):
        raise  # shown as they are, and not tried again
    except Exception as error:  # the failed run is stored (the history shows it); say why, and try again
        raise JobError(f"The {registry.get(kind).title} could not be made: {error}", retry=True) from error
    if run.validated:
        return JobResult("returns:report", (run.pk,), "See the validation report")
    return JobResult("returns:history", (), "See the return and download its files")
