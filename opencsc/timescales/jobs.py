"""The nightly due-list reminder (opencsc/jobs): each worker's overdue and due-soon counts, for My work.

Set-based: one due list for every allocated child, then counted per worker; no loop of queries per
worker. Stored as DueReminder rows (counts only), replaced each night.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opencsc.casework.models import Allocation
from opencsc.jobs.registry import JobResult, job
from opencsc.people.models import Child

from .authority import authority_calendar
from .core import RED
from .models import DueReminder
from .selectors import due_items


def reminders_compute(*, today=None, progress=None) -> int:
    """Work out every worker's counts as at `today` and store them. Returns how many workers have any."""
    today = today or timezone.localdate()
    days = getattr(settings, "OPENCSC_REMINDER_WORKING_DAYS", 5)
    due_by = authority_calendar().add_working_days(today, days)
    allocations = list(Allocation.objects.filter(end_date__isnull=True, worker__isnull=False)
                       .values_list("child_id", "worker_id"))
    workers_of: dict[int, set[int]] = {}
    for child_id, worker_id in allocations:
        workers_of.setdefault(child_id, set()).add(worker_id)
    if progress:
        progress(1, 3, "Working out the due list")
    items = due_items(children=Child.objects.filter(pk__in=list(workers_of)), today=today)
    overdue, soon = Counter(), Counter()
    for item in items:
        for worker_id in workers_of.get(item.child_id, ()):
            if item.rag == RED:
                overdue[worker_id] += 1
            elif item.due_date <= due_by:
                soon[worker_id] += 1
    if progress:
        progress(2, 3, "Storing each worker's counts")
    now = timezone.now()
    workers = set(overdue) | set(soon)
    with transaction.atomic():
        DueReminder.objects.exclude(worker_id__in=workers).delete()
        existing = {r.worker_id: r for r in DueReminder.objects.filter(worker_id__in=workers)}
        for worker_id in workers:
            row = existing.get(worker_id) or DueReminder(worker_id=worker_id)
            row.as_at, row.due_by, row.computed_at = today, due_by, now
            row.overdue, row.due_soon = overdue[worker_id], soon[worker_id]
            existing[worker_id] = row
        DueReminder.objects.bulk_create([r for r in existing.values() if r.pk is None])
        DueReminder.objects.bulk_update([r for r in existing.values() if r.pk is not None],
                                        ["as_at", "due_by", "computed_at", "overdue", "due_soon"])
    if progress:
        progress(3, 3, f"{len(workers):,} workers with work due")
    return len(workers)


@job("timescales.due_reminders", title="Work out each worker's due-list reminder", exclusive=True,
     max_attempts=3, nightly=True)
def due_reminders(progress):
    reminders_compute(progress=progress)
    return JobResult("timescales:my_work", (), "See My work")
