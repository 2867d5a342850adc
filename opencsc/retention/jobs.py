"""The nightly retention report (opencsc/jobs): how many children's records are past their period.

Counts only, for the managers who approve destruction on the Records retention page. It never deletes
or approves anything: destruction needs two people (docs/retention.md).
"""

from __future__ import annotations

from opencsc.jobs.registry import JobResult, job

from .services import refresh_report


@job("retention.report", title="Count the records past their retention period", exclusive=True,
     max_attempts=3, nightly=True)
def retention_report(progress):
    counts = refresh_report()
    progress(1, 1, f"{counts['past']:,} past their period, {counts['offered']:,} may be offered for destruction")
    return JobResult("retention:report", (), "See the records retention report")
