"""Reads for out-of-hours entries and the handover list, always through the access selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.timescales.authority import authority_calendar

from . import rules
from .models import OutOfHoursEntry


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def entries_for(*, user, child: Child) -> QuerySet[OutOfHoursEntry]:
    return (
        OutOfHoursEntry.objects.filter(child__in=children_for(user), child=child)
        .select_related("recorded_by", "acknowledged_by", "day_team")
        .order_by("-occurred_at", "-id")
    )


def entry_for(*, user, child: Child, entry_id) -> OutOfHoursEntry:
    try:
        return entries_for(user=user, child=child).select_related("child").get(pk=int(entry_id))
    except (OutOfHoursEntry.DoesNotExist, ValueError, TypeError):
        raise Http404("No out-of-hours entry found") from None


@dataclass(frozen=True)
class Handover:
    entry: OutOfHoursEntry
    due: dt.datetime
    overdue: bool

    @property
    def status(self) -> tuple[str, str]:
        if self.entry.acknowledged_at:
            if self.overdue:
                return "Acknowledged late", "govuk-tag--orange"
            return "Acknowledged", "govuk-tag--green"
        return ("Overdue", "govuk-tag--red") if self.overdue else ("To acknowledge", "govuk-tag--yellow")


def with_status(entries, now: dt.datetime | None = None) -> list[Handover]:
    now = now or timezone.now()
    calendar, tz = authority_calendar(), _tz()
    return [
        Handover(entry=e, due=rules.acknowledge_by(e.occurred_at, calendar, tz),
                 overdue=rules.is_overdue(e.occurred_at, e.acknowledged_at, now, calendar, tz))
        for e in entries
    ]


def handovers(*, user, team=None, show: str = "open", query: str = "") -> QuerySet[OutOfHoursEntry]:
    """The handover list: entries on children the user may see, oldest unacknowledged first.

    `show` is "open" (not yet acknowledged) or "all"; `team` limits it to one day team.
    """
    qs = OutOfHoursEntry.objects.filter(child__in=children_for(user)).select_related(
        "child", "recorded_by", "acknowledged_by", "day_team")
    if team is not None:
        qs = qs.filter(day_team=team)
    if show == "open":
        qs = qs.filter(acknowledged_at__isnull=True).order_by("occurred_at", "id")
    else:
        qs = qs.order_by("-occurred_at", "-id")
    if query:
        qs = qs.filter(Q(child__last_name__icontains=query) | Q(child__first_name__icontains=query))
    return qs


def overdue_count(*, user, team=None, now: dt.datetime | None = None) -> int:
    """How many handovers are not acknowledged and past 10:00 on their working morning."""
    return sum(1 for h in with_status(handovers(user=user, team=team), now) if h.overdue)
