"""The jobs app's own nightly job: prune the queue's finished task rows (the Job rows, which users see,
are kept)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .registry import job

KEEP_DAYS = 14


@job("jobs.prune_queue", title="Prune the job queue's finished tasks", exclusive=True, max_attempts=3,
     nightly=True)
def prune_queue(progress):
    cutoff = timezone.now() - dt.timedelta(days=KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    progress(1, 1, f"{deleted:,} finished task{'s' if deleted != 1 else ''} older than {KEEP_DAYS} days removed")
