"""The registry of background jobs. Each app registers its own in `opencsc/<app>/jobs.py`:

    from opencsc.jobs.registry import JobResult, job

    @job("returns.build", title="Make a statutory return", exclusive=True, max_attempts=3)
    def build(progress, *, kind, year=None):
        progress(0, 3, "Reading the records")
        ...
        return JobResult("returns:report", (run.pk,), "See the validation report")

The function is called `fn(progress, **params)` by a worker. `progress(done, total, message="")` records
how far it has got (written at most every OPENCSC_JOB_PROGRESS_SECONDS); `progress.user` is who started
the job (None for nightly jobs). It returns a JobResult (what it produced, linked from the job's page)
or None. Raise JobError("plain reason") to fail with a reason the user can act on (not retried unless
`retry=True`); any other exception is retried with back-off up to `max_attempts`, then shown as failed.

`exclusive=True`: a job that would corrupt data if it ran twice at once. While one is queued, running or
waiting to retry, starting it again returns that job (a unique constraint on its lock key holds across
processes and machines). `lock` gives the lock key from the params, to narrow it
(`lock=lambda p: f"returns.build:{p['kind']}"`) or to share it between kinds; by default it is the kind.
`nightly=True`: the worker's scheduler starts it once a night (OPENCSC_NIGHTLY_AT), with no params.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class JobError(Exception):
    """A failure with a reason the user can read (and act on). Not retried unless retry=True."""

    def __init__(self, message: str, *, retry: bool = False):
        super().__init__(message)
        self.retry = retry


class UnknownJob(LookupError):
    pass


@dataclass(frozen=True)
class JobResult:
    """What a job produced: a URL name and its args (pks), and the link's words."""

    url_name: str
    args: tuple = ()
    label: str = "See the result"


@dataclass(frozen=True)
class JobSpec:
    kind: str
    fn: Callable[..., Any]
    title: str
    exclusive: bool = False
    max_attempts: int = 3
    nightly: bool = False
    lock: Callable[[dict], str] | None = None
    permission: Any = None  # a policy Permission the starting user must have (None: the caller checks)
    describe: Callable[[dict], str] | None = field(default=None, compare=False)

    def lock_key(self, params: dict) -> str:
        if not self.exclusive:
            return ""
        return self.lock(params) if self.lock is not None else self.kind

    def title_for(self, params: dict) -> str:
        return self.describe(params) if self.describe is not None else self.title


JOBS: dict[str, JobSpec] = {}


def job(kind: str, *, title: str, exclusive: bool = False, max_attempts: int = 3, nightly: bool = False,
        lock: Callable[[dict], str] | None = None, permission=None,
        describe: Callable[[dict], str] | None = None) -> Callable:
    """Register `fn(progress, **params)` as the job `kind` (once: a second registration is an error)."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be 1 or more")

    def decorator(fn):
        existing = JOBS.get(kind)
        if existing is not None and existing.fn is not fn:
            # The same module imported twice under one name is harmless; two jobs of one kind are not.
            if f"{existing.fn.__module__}.{existing.fn.__qualname__}" != f"{fn.__module__}.{fn.__qualname__}":
                raise ValueError(f"The job {kind!r} is registered twice")
        JOBS[kind] = JobSpec(kind=kind, fn=fn, title=title, exclusive=exclusive, max_attempts=max_attempts,
                             nightly=nightly, lock=lock, permission=permission, describe=describe)
        return fn

    return decorator


def get(kind: str) -> JobSpec:
    try:
        return JOBS[kind]
    except KeyError:
        raise UnknownJob(f"There is no job called {kind!r}") from None


def nightly() -> list[JobSpec]:
    return sorted((spec for spec in JOBS.values() if spec.nightly), key=lambda s: s.kind)
