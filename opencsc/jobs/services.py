"""Starting, running, retrying and scheduling background jobs; the workers' heartbeats.

`start(kind, user=..., **params)` is the only way to ask for a job. It stores the Job and enqueues its
django-tasks task in one transaction: with the database backend the queue row is written in the same
transaction, so a worker sees the job only once it is committed (with any other backend the task is
enqueued on commit). A worker (`manage.py worker`) runs the task, which calls `run(job_id)`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import traceback

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import task, task_backends
from django_tasks_db import DatabaseBackend

from . import registry
from .models import Job, NightlyRun, WorkerHeartbeat
from .registry import JobError, JobResult

logger = logging.getLogger("opencsc.jobs")

State = Job.State


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- Starting a job -------------------------------------------------------------------------------


def _active(lock_key: str) -> Job | None:
    return Job.objects.filter(lock_key=lock_key, state__in=Job.ACTIVE).first() if lock_key else None


def _uses_database_backend() -> bool:
    return isinstance(task_backends[run_job.backend], DatabaseBackend)


def _enqueue(job: Job, *, run_after: dt.datetime | None = None) -> None:
    """Queue the job's task (in the caller's transaction with the database backend, else on commit)."""
    def enqueue():
        queued = run_job if run_after is None else run_job.using(run_after=run_after)
        result = queued.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
        job.task_result_id = str(result.id)

    if _uses_database_backend():
        enqueue()
    else:
        transaction.on_commit(enqueue)


def start(kind: str, /, *, user, **params) -> Job:
    """Ask for the job `kind` with these params (ids and dates only: no personal data). Returns its Job.

    An exclusive job already queued, running or waiting to retry is returned instead of a second one
    (`job.already_active` is then True). Raises registry.UnknownJob for a kind nobody registered, and
    PermissionDenied when the job has a permission the user lacks (nothing is stored then).
    """
    spec = registry.get(kind)
    if spec.permission is not None and user is not None:
        spec.permission.require(user)
    lock_key = spec.lock_key(params)
    existing = _active(lock_key)
    if existing is not None:
        existing.already_active = True
        return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, title=spec.title_for(params)[:200], started_by=user,
                                     params=params, lock_key=lock_key, max_attempts=spec.max_attempts)
            _enqueue(job)
    except IntegrityError:
        # Another request or worker started the same exclusive job between our check and our insert.
        existing = _active(lock_key)
        if existing is None:
            raise
        existing.already_active = True
        return existing
    job.already_active = False
    return job


# --- Running a job (in a worker) --------------------------------------------------------------------


class Progress:
    """`progress(done, total, message="")`: how far the job has got, written at most every few seconds.

    Inside a transaction (a job that writes everything at once) the write goes through another
    connection on PostgreSQL, so the user sees it; SQLite allows one writer, so there it waits for the end.
    """

    def __init__(self, job: Job, *, every: float | None = None):
        self.job = job
        self.user = job.started_by
        self.every = _setting("OPENCSC_JOB_PROGRESS_SECONDS", 1.0) if every is None else every
        self._last = 0.0
        self._live = True
        self._depth = len(connection.atomic_blocks)  # transactions opened by the job itself are deeper
        self.done, self.total, self.message = job.progress_done, job.progress_total, job.progress_message

    def __call__(self, done: int, total: int, message: str = "") -> None:
        self.done, self.total, self.message = max(0, int(done)), max(0, int(total)), str(message or "")[:200]
        now = time.monotonic()
        if now - self._last >= self.every or (self.total and self.done >= self.total):
            self._last = now
            self.write()

    def __repr__(self):
        return f"<Progress of job {self.job.pk}: {self.done} of {self.total}>"

    def _values(self) -> dict:
        return {"progress_done": self.done, "progress_total": self.total, "progress_message": self.message}

    def write(self) -> None:
        values = self._values()
        if len(connection.atomic_blocks) <= self._depth:
            Job.objects.filter(pk=self.job.pk).update(**values)
        elif connection.vendor == "postgresql" and self._live:
            outcome: list[bool] = []
            thread = threading.Thread(target=_write_elsewhere, args=(self.job.pk, values, outcome), daemon=True)
            thread.start()
            thread.join(timeout=5)
            self._live = bool(outcome and outcome[0])  # one failure (the row locked): wait for the end


def _write_elsewhere(job_id: int, values: dict, outcome: list) -> None:
    """Write progress on this thread's own connection, giving up at once if the row is locked."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '500ms'")  # PostgreSQL only (see Progress.write)
            Job.objects.filter(pk=job_id).update(**values)
        outcome.append(True)
    except Exception:  # progress is a courtesy; never let it stop the job
        logger.info("Could not record the progress of job %s yet", job_id, exc_info=True)
        outcome.append(False)
    finally:
        connections.close_all()


def plain_reason(error: BaseException) -> str:
    """Why a job failed, in words the user can read (the technical detail is kept for administrators)."""
    if isinstance(error, JobError):
        return str(error)
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    if isinstance(error, PermissionDenied):
        return str(error) or "You do not have permission to do this"
    return (f"Something went wrong in the system ({type(error).__name__}). Try again later; if it keeps "
            "failing, ask an administrator, who can see the details.")


def _retryable(error: BaseException) -> bool:
    if isinstance(error, JobError):
        return error.retry
    return not isinstance(error, ValidationError | PermissionDenied)


def retry_delay(attempt: int) -> dt.timedelta:
    """Back-off before attempt `attempt + 1`: OPENCSC_JOB_RETRY_SECONDS, doubling each time."""
    base = _setting("OPENCSC_JOB_RETRY_SECONDS", 30)
    return dt.timedelta(seconds=base * 2 ** max(0, attempt - 1))


def _claim(job_id: int, *, task_result_id: str, worker_id: str) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()  # no outer join: PostgreSQL refuses FOR UPDATE on one
        if job is None or job.state not in (State.QUEUED, State.RETRYING):
            return None  # already run, or given up on
        if task_result_id and job.task_result_id and job.task_result_id != task_result_id:
            return None  # a stale task for this job: the job was re-queued under another
        job.state = State.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.next_attempt_at = None
        job.worker_id = worker_id[:64]
        job.save(update_fields=["state", "attempts", "started_at", "next_attempt_at", "worker_id"])
    return job


def _failed(job: Job, error: BaseException, *, detail: str) -> None:
    """Record a failed attempt: try again later (with back-off), or give up and say why."""
    reason = plain_reason(error)
    with transaction.atomic():
        if _retryable(error) and job.attempts < job.max_attempts:
            job.state = State.RETRYING
            job.next_attempt_at = timezone.now() + retry_delay(job.attempts)
            job.error = reason
            job.error_detail = detail
            job.worker_id = ""
            job.save(update_fields=["state", "next_attempt_at", "error", "error_detail", "worker_id"])
            _enqueue(job, run_after=job.next_attempt_at)
        else:
            job.state = State.FAILED
            job.finished_at = timezone.now()
            job.error = reason
            job.error_detail = detail
            job.worker_id = ""
            job.save(update_fields=["state", "finished_at", "error", "error_detail", "worker_id"])


def run(job_id: int, *, task_result_id: str = "", worker_id: str = "") -> str:
    """Run the job (called by its task in a worker). Returns its state; raises again when an attempt failed,
    so the queue's own record of the task keeps the traceback too."""
    job = _claim(job_id, task_result_id=task_result_id, worker_id=worker_id)
    if job is None:
        return "skipped"
    progress = Progress(job)
    try:
        spec = registry.get(job.kind)
        result = spec.fn(progress, **job.params)
    except Exception as error:
        logger.warning("Job %s (%s) attempt %s failed", job.pk, job.kind, job.attempts, exc_info=True)
        _failed(job, error, detail="".join(traceback.format_exception(error))[-20000:])
        raise
    except BaseException as error:  # the worker was stopped mid-job: let another worker try it again
        _failed(job, JobError("The worker running this job was stopped before it finished", retry=True),
                detail=repr(error))
        raise
    job.state = State.SUCCEEDED
    job.finished_at = timezone.now()
    job.error = ""
    job.worker_id = ""
    job.progress_done, job.progress_total = progress.done, progress.total
    job.progress_message = progress.message
    if job.progress_total and job.progress_done < job.progress_total:
        job.progress_done = job.progress_total
    fields = ["state", "finished_at", "error", "worker_id", "progress_done", "progress_total", "progress_message"]
    if isinstance(result, JobResult):
        job.result_url_name, job.result_args, job.result_label = result.url_name, list(result.args), result.label
        fields += ["result_url_name", "result_args", "result_label"]
    job.save(update_fields=fields)
    return job.state


@task(takes_context=True)
def run_job(context, job_id: int) -> str:
    """The one django-tasks task: run a Job. Every job kind goes through it (it sits here, beside `run`,
    because a failed attempt enqueues it again)."""
    task_result = context.task_result
    worker_ids = list(getattr(task_result, "worker_ids", None) or [])
    return run(job_id, task_result_id=str(task_result.id), worker_id=worker_ids[-1] if worker_ids else "")


# --- Workers: heartbeats, lost jobs and the nightly scheduler ------------------------------------------


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


def heartbeat(worker_id: str, *, now: dt.datetime | None = None) -> None:
    """This worker is alive (a row per worker, updated in place)."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "last_seen": now},
            create_defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "last_seen": now,
                             "started_at": now})


def worker_stopped(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def stale_after() -> dt.timedelta:
    return dt.timedelta(seconds=_setting("OPENCSC_WORKER_STALE_SECONDS", 300))


def live_workers(*, now: dt.datetime | None = None):
    return WorkerHeartbeat.objects.filter(last_seen__gte=(now or timezone.now()) - stale_after())


def recover_lost_jobs(*, now: dt.datetime | None = None) -> int:
    """Jobs left running by a worker that stopped reporting in (killed, machine lost) are failed attempts:
    tried again, or failed with the reason. Returns how many."""
    now = now or timezone.now()
    alive = set(live_workers(now=now).values_list("worker_id", flat=True))
    lost = Job.objects.filter(state=State.RUNNING, started_at__lt=now - stale_after()).exclude(worker_id__in=alive)
    count = 0
    for job in lost:
        with transaction.atomic():
            current = Job.objects.select_for_update().filter(pk=job.pk, state=State.RUNNING).first()
            if current is None or current.worker_id in alive:
                continue
            _failed(current, JobError("The worker running this job stopped before it finished", retry=True),
                    detail=f"Worker {current.worker_id or '(unknown)'} stopped reporting in")
            count += 1
    return count


def nightly_time() -> dt.time:
    value = _setting("OPENCSC_NIGHTLY_AT", "02:00")
    return dt.time.fromisoformat(value) if isinstance(value, str) else value


def run_nightly(*, now: dt.datetime | None = None) -> list[Job]:
    """Start each nightly job once for tonight, if it is past OPENCSC_NIGHTLY_AT (local time).

    However many workers call this, each nightly job starts at most once a date (a unique row per
    kind and date). Returns the jobs this call started.
    """
    local = timezone.localtime(now or timezone.now())
    if local.time() < nightly_time():
        return []
    started = []
    for spec in registry.nightly():
        if NightlyRun.objects.filter(kind=spec.kind, run_date=local.date()).exists():
            continue
        try:
            with transaction.atomic():
                night = NightlyRun.objects.create(kind=spec.kind, run_date=local.date())
                job = start(spec.kind, user=None)
                night.job = job
                night.save(update_fields=["job"])
        except IntegrityError:
            continue  # another worker scheduled it first
        started.append(job)
    return started
