"""Making a statutory return: build it, run its validation rules, store the files and issues, audit it.

`return_run` is synchronous (a return for a large authority takes seconds, not minutes). The build
and the validation read the records outside any transaction; the run, its files and its issues are
then saved together with the audit event. A build that fails is saved as a failed run, with what went
wrong, so the history shows it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.casework.models import Allocation
from opencsc.core.audit import audit
from opencsc.core.db_router import reading_from_replica
from opencsc.core.models import AuditEvent
from opencsc.people.models import Child

from . import policy, registry
from .annexa import default_period
from .base import CollectionYear, Issue
from .models import ReturnRun, ReturnRunFile, ValidationIssue

FIRST_YEAR = 2015  # the oldest collection year offered; the CIN census XSDs we hold start much later


def latest_year(today: dt.date | None = None) -> int:
    """The most recent collection year that has ended (or ends today)."""
    today = today or timezone.localdate()
    current = CollectionYear.containing(today)
    return current.ending if today >= current.end else current.ending - 1


def check_year(year) -> CollectionYear:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "Enter a collection year as 4 digits, like 2026"}) from None
    current = CollectionYear.containing(timezone.localdate()).ending
    if not FIRST_YEAR <= year <= current:
        raise ValidationError({"year": f"Collection year must be between {FIRST_YEAR} and {current}"})
    return CollectionYear(year)


def check_period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    default_start, default_end = default_period()
    start, end = start or default_start, end or default_end
    if start > end:
        raise ValidationError({"end": "The end of the period must be on or after its start"})
    if end > timezone.localdate():
        raise ValidationError({"end": "The end of the period must be today or in the past"})
    if (end - start).days > 366 * 2:
        raise ValidationError({"start": "The period must be 2 years or shorter"})
    return start, end


def _teams_now(child_ids: set[int]) -> dict[int, int]:
    """The team holding each child today (open allocations, latest first), in one query."""
    teams: dict[int, int] = {}
    for child_id, team_id in (Allocation.objects.filter(child__in=child_ids, end_date__isnull=True)
                              .order_by("child_id", "-start_date", "-id").values_list("child_id", "team_id")):
        teams.setdefault(child_id, team_id)
    return teams


def return_request_check(*, kind: str, by, year: int | None = None, start: dt.date | None = None,
                         end: dt.date | None = None) -> dict:
    """Check a request for a return before it is queued as a background job (returns.build), so bad input
    is shown on the form at once. Returns the job's params (ISO dates, no personal data).

    Refused (PermissionDenied) without a returns role; ValidationError or registry.UnknownReturn for bad input.
    """
    if by is None:
        raise PermissionDenied(policy.may_make_returns.refusal)
    policy.may_make_returns.require(by)
    spec = registry.get(kind)
    if spec.load() is None:
        raise ValidationError(f"The {spec.title} is not available yet")
    if spec.by_year:
        return {"kind": kind, "year": check_year(year).ending}
    start, end = check_period(start, end)
    return {"kind": kind, "start": start.isoformat(), "end": end.isoformat()}


def return_run(*, kind: str, year: int | None = None, start: dt.date | None = None, end: dt.date | None = None,
               by, progress=None) -> ReturnRun:
    """Build (and, where the return has rules, validate) a return, and store the run. Returns the run.

    Refused (PermissionDenied) for anyone without a returns role; nothing is stored then. Bad input
    (unknown kind, year or period) raises ValidationError or registry.UnknownReturn, storing nothing.
    """
    if by is None:
        raise PermissionDenied(policy.may_make_returns.refusal)
    policy.may_make_returns.require(by)
    spec = registry.get(kind)
    module = spec.load()
    if module is None:
        raise ValidationError(f"The {spec.title} is not available yet")
    if spec.by_year:
        collection_year = check_year(year)
        values = {"year": collection_year.ending}
    else:
        start, end = check_period(start, end)
        values = {"start": start, "end": end}

    run = ReturnRun.objects.create(kind=kind, requested_by=by, **values)
    try:
        with reading_from_replica():  # the build reads whole tables: the replica's work when there is one
            if spec.by_year:
                files = module.build(collection_year, progress=progress)
                issues: list[Issue] = module.validate(collection_year, progress=progress) if spec.validates else []
            else:
                files = module.build(start=start, end=end, progress=progress)
                issues = []
    except Exception as error:  # stored, shown in the history, and raised again for the caller to report
        ReturnRun.objects.filter(pk=run.pk).update(status=ReturnRun.Status.FAILED, finished_at=timezone.now(),
                                                   failure=f"{type(error).__name__}: {error}"[:2000])
        run.refresh_from_db()
        audit(actor=by, action=AuditEvent.Action.OTHER, instance=run, summary=f"Return failed: {run}")
        raise

    with reading_from_replica():
        known = set(Child.objects.filter(pk__in={i.child_id for i in issues if i.child_id}).values_list("pk", flat=True))
        teams = _teams_now(known)
    with transaction.atomic():
        ReturnRunFile.objects.bulk_create([
            ReturnRunFile(run=run, name=f.name, content_type=f.content_type, size=len(f.content), content=f.content)
            for f in files
        ])
        ValidationIssue.objects.bulk_create([
            ValidationIssue(run=run, rule=i.rule[:20], message=i.message, severity=i.severity,
                            child_id=i.child_id if i.child_id in known else None, child_reference=i.child_reference[:64], field=i.field[:60],
                            table=i.table[:60], team_id=teams.get(i.child_id))
            for i in issues
        ], batch_size=1000)
        run.status = ReturnRun.Status.SUCCEEDED
        run.finished_at = timezone.now()
        run.validated = spec.validates
        run.error_count = sum(1 for i in issues if i.severity == ValidationIssue.Severity.ERROR)
        run.query_count = len(issues) - run.error_count
        run.save(update_fields=["status", "finished_at", "validated", "error_count", "query_count"])
        audit(actor=by, action=AuditEvent.Action.CREATED, instance=run,
              changes={"kind": [None, kind], **{k: [None, str(v)] for k, v in values.items()},
                       "files": [None, [f.name for f in files]], "errors": [None, run.error_count],
                       "queries": [None, run.query_count]},
              summary=f"Made the {spec.title} for {run.describe_period()}")
    return run
