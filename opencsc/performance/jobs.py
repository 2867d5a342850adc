"""Scorecard snapshots as background jobs (opencsc/jobs).

`performance.snapshot` takes one now (from the scorecard page, or `jobs.start(...)`); the nightly
`performance.weekly_snapshot` takes this week's when the latest is a week old or there is none. Both hold
one lock: taking a snapshot replaces the figures for its date, so two at once would collide.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from opencsc.jobs.registry import JobResult, job

from . import policy
from .indicators import INDICATORS
from .models import Snapshot
from .services import snapshot_take, weeks_back

LOCK = "performance.snapshot"


def _title(params: dict) -> str:
    as_at = dt.date.fromisoformat(params["as_at"]) if params.get("as_at") else None
    return f"Take the scorecard snapshot as at {as_at:%-d %b %Y}" if as_at else "Take the scorecard snapshot"


def _take(progress, *, as_at: dt.date, weeks: int = 1) -> JobResult:
    dates = weeks_back(as_at, weeks)
    total = len(dates) * len(INDICATORS)
    done = 0
    progress(0, total, "Starting")
    for day in dates:
        def step(indicator, day=day):
            nonlocal done
            done += 1
            progress(done, total, f"Week to {day:%-d %b %Y}: {indicator.title}"[:200])

        snapshot_take(as_at=day, taken_by=progress.user, progress=step)
    return JobResult("performance:scorecard", (), "See the scorecard")


@job("performance.snapshot", title="Take the scorecard snapshot", exclusive=True, max_attempts=3,
     lock=lambda params: LOCK, permission=policy.may_take_snapshots, describe=_title)
def snapshot(progress, *, as_at: str | None = None, weeks: int = 1):
    return _take(progress, as_at=dt.date.fromisoformat(as_at) if as_at else timezone.localdate(), weeks=int(weeks))


@job("performance.weekly_snapshot", title="Take this week's scorecard snapshot", exclusive=True, max_attempts=3,
     nightly=True, lock=lambda params: LOCK)
def weekly_snapshot(progress):
    today = timezone.localdate()
    latest = Snapshot.objects.order_by("-as_at").values_list("as_at", flat=True).first()
    if latest is not None and (today - latest).days < 7:
        progress(1, 1, f"Not needed: the latest snapshot is as at {latest:%-d %b %Y}")
        return JobResult("performance:scorecard", (), "See the scorecard")
    return _take(progress, as_at=today)
