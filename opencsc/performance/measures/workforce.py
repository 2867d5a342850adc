"""Workforce measures: caseloads."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from opencsc.casework.models import Allocation
from opencsc.workforce.policy import CASE_HOLDING_ROLES

from .base import Row
from .common import in_words


def average_caseload(as_at: dt.date) -> list[Row]:
    """Average caseload of case-holding workers.

    One row for each child allocated on the date (allocation started on or before it, not ended by it)
    to an active case-holding worker: a social worker, senior practitioner or personal adviser
    (`workforce.policy.CASE_HOLDING_ROLES`, the roles the workload pages count). A child allocated
    twice to the same worker counts once. The figure is the rows per worker: children per worker,
    restricted children included, as the workload pages count them. Source: casework allocations.
    """
    rows, seen = [], set()
    for child_id, worker_id, start in (
        Allocation.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=as_at), start_date__lte=as_at,
                                  worker__role__in=CASE_HOLDING_ROLES, worker__is_active=True)
        .values_list("child_id", "worker_id", "start_date").order_by("worker_id", "start_date", "id")
    ):
        if (child_id, worker_id) in seen:
            continue
        seen.add((child_id, worker_id))
        rows.append(Row(child_id=child_id, worker_id=worker_id, on=start,
                        ref=f"Allocated since {in_words(start)}"))
    return rows
