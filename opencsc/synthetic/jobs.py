"""Generating the synthetic authority as a background job (opencsc/jobs), with a step-by-step progress.

    from opencsc.jobs import services
    job = services.start("synthetic.generate", user=None, seed=2014, size=1.0)   # today: "2026-11-23" optional

A worker (`manage.py worker`) then runs it; `job.refresh_from_db()` shows its state and progress. The
generation writes everything in one transaction, so on SQLite (one writer at a time) the progress is seen
only when it ends; on PostgreSQL it is seen as each step starts. Not retried: it refuses a database that is
not empty, so a second attempt after a failure (rolled back) is the user's call.
"""

from __future__ import annotations

import datetime as dt

from opencsc.jobs.registry import JobError, JobResult, job

from .pipeline import STEPS
from .services import AuthorityNotEmptyError, authority_generate


def _title(params: dict) -> str:
    return f"Generate a synthetic authority (seed {params.get('seed')}, size {float(params.get('size', 1)):g})"


@job("synthetic.generate", title="Generate a synthetic authority", exclusive=True, max_attempts=1,
     describe=_title)
def generate(progress, *, seed: int, size: float = 1.0, today: str | None = None):
    total = len(STEPS)
    done = 0

    def on_step(step):
        nonlocal done
        progress(done, total, step.label)
        done += 1

    try:
        ctx = authority_generate(seed=int(seed), size=float(size), today=dt.date.fromisoformat(today) if today else None,
                                 actor=progress.user, on_step=on_step)
    except AuthorityNotEmptyError as error:
        raise JobError(str(error)) from error
    progress(total, total, f"{ctx.counts.get('children', 0):,} children")
    return JobResult("core:home", (), "Go to the service")
