"""manage.py worker [--batch] [--interval 1] [--queue-name default] [--worker-id ID]

Runs background jobs: django-tasks-db's worker loop (several workers on several machines share the one
queue in the database; each task is claimed by one worker, with SELECT ... FOR UPDATE SKIP LOCKED on
PostgreSQL and an exclusive transaction on SQLite), plus:

- a heartbeat row every OPENCSC_WORKER_HEARTBEAT_SECONDS (default 30), which /readyz checks;
- the nightly scheduler: after OPENCSC_NIGHTLY_AT (default 02:00, Europe/London) it starts each nightly
  job once for the date, however many workers are running;
- recovery of jobs left running by a worker that stopped reporting in.

`--batch` runs what is ready, then exits (for tests, cron and CI). Stop it with SIGTERM or Ctrl+C: a job
in progress is finished first (press Ctrl+C again to stop at once; the job is then tried again).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker, valid_backend_name, valid_interval

from opencsc.jobs import services

logger = logging.getLogger("opencsc.jobs")


class Heartbeat(threading.Thread):
    """Reports in every few seconds, even while a long job runs in the main thread."""

    def __init__(self, worker_id: str, every: float):
        super().__init__(name="opencsc-heartbeat", daemon=True)
        self.worker_id, self.every = worker_id, every
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.wait(self.every):
                try:
                    services.heartbeat(self.worker_id)
                except Exception:  # e.g. SQLite busy while a long job writes: try again next time
                    logger.warning("Could not record the heartbeat of worker %s", self.worker_id, exc_info=True)
        finally:
            connections.close_all()

    def stop(self):
        self.stopping.set()


@contextlib.contextmanager
def _connections_kept_inside_a_transaction():
    """django-tasks-db's loop closes 'old' connections between tasks, and Django counts a connection inside
    a transaction as old. A worker run inside a caller's transaction (`--batch` from the demo command or a
    test, whose data is not committed) must keep it: closing it would lose that transaction. Outside one,
    nothing changes."""
    if not connection.in_atomic_block:
        yield
        return
    original = db_worker.close_old_connections
    db_worker.close_old_connections = lambda **kwargs: None
    try:
        yield
    finally:
        db_worker.close_old_connections = original


class Command(BaseCommand):
    help = "Run background jobs (and the nightly scheduler), reporting in for /readyz."

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default=DEFAULT_TASK_QUEUE_NAME,
                            help="Queues to process, comma-separated, or * for all (default: %(default)s).")
        parser.add_argument("--interval", type=valid_interval, default=1.0,
                            help="Seconds to wait when there is nothing to do (default: %(default)s).")
        parser.add_argument("--batch", action="store_true", help="Run what is ready, then exit.")
        parser.add_argument("--backend", type=valid_backend_name, default=DEFAULT_TASK_BACKEND_ALIAS,
                            dest="backend_name", help="The tasks backend (default: %(default)s).")
        parser.add_argument("--worker-id", default="", help="Unique across workers (default: host-pid-random).")
        parser.add_argument("--no-nightly", action="store_true", help="Do not schedule the nightly jobs.")

    def handle(self, *args, queue_name, interval, batch, backend_name, worker_id, no_nightly, **options):
        worker_id = worker_id or services.new_worker_id()
        if len(worker_id) > 64:
            raise CommandError("Give a --worker-id of 64 characters or fewer")
        every = getattr(settings, "OPENCSC_WORKER_HEARTBEAT_SECONDS", 30)
        verbose = options.get("verbosity", 1) > 0
        worker = Worker(queue_names=queue_name.split(","), interval=interval, batch=True, backend_name=backend_name,
                        startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[])
        services.heartbeat(worker_id)
        if verbose:
            self.stdout.write(f"Worker {worker_id} started (queues {queue_name}).")
        beating = None
        if not batch:
            worker.configure_signals()
            beating = Heartbeat(worker_id, every)
            beating.start()
        last_housekeeping = 0.0
        try:
            while worker.running:
                if time.monotonic() - last_housekeeping >= min(every, 60) or batch:
                    last_housekeeping = time.monotonic()
                    self._housekeeping(worker_id, nightly=not no_nightly, verbose=verbose)
                with _connections_kept_inside_a_transaction():
                    worker.run()  # every task that is ready, then back here
                if batch or not worker.running:
                    break
                time.sleep(interval)
        finally:
            if beating is not None:
                beating.stop()
                worker.reset_signals()
            if not batch:
                services.worker_stopped(worker_id)
            if verbose:
                self.stdout.write(f"Worker {worker_id} stopped.")

    def _housekeeping(self, worker_id: str, *, nightly: bool, verbose: bool) -> None:
        services.heartbeat(worker_id)
        recovered = services.recover_lost_jobs()
        if recovered and verbose:
            self.stdout.write(f"{recovered} job{'s' if recovered != 1 else ''} left by a stopped worker re-queued.")
        if nightly:
            for job in services.run_nightly():
                if verbose:
                    self.stdout.write(f"Started the nightly job: {job.title}.")
