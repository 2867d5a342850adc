"""A 72-hour clock on a page, across the clock change: elapsed time, and one label that never contradicts
the status (issue 18: an item overdue by minutes showed "Overdue" beside "Due today")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.casework.models import Allocation
from opencsc.core import events
from opencsc.missing.tests.factories import MissingEpisodeFactory
from opencsc.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# Back on Thursday 26 Mar 2026 at 13:00 (GMT); the clocks go forward at 01:00 on Sunday 29 Mar, so the
# interview is due 72 real hours later: 29 Mar at 13:00 UTC, which London calls 14:00.
RETURNED = dt.datetime(2026, 3, 26, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(("now", "label", "overdue"), [
    (dt.datetime(2026, 3, 29, 12, 55, tzinfo=UTC), "Due today", False),  # 13:55 in London: 5 minutes left
    (dt.datetime(2026, 3, 29, 13, 5, tzinfo=UTC), "Less than 1 hour overdue", True),  # 5 minutes past
    (dt.datetime(2026, 3, 29, 16, 10, tzinfo=UTC), "3 hours overdue", True),
    (dt.datetime(2026, 3, 28, 13, 0, tzinfo=UTC), "1 day left", False),
])
def test_a_72_hour_clock_says_one_thing_on_my_work(signed_in, monkeypatch, now, label, overdue):
    client = signed_in(Role.SOCIAL_WORKER)
    child = ChildFactory()
    events.announce(Allocation.objects.create(child=child, worker=client.user, team=client.user.team,
                                              start_date=dt.date(2026, 1, 5)))
    MissingEpisodeFactory(child=child, started_at=RETURNED - dt.timedelta(hours=20), ended_at=RETURNED)
    local = now.astimezone(timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: now)
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: local.date() if value is None
                        else value.astimezone(tz or timezone.get_default_timezone()).date())
    page = client.get(reverse("timescales:my_work")).content.decode()
    rows = [row for row in page.split("<tr") if "Return home interview" in row]
    assert len(rows) == 1
    row = rows[0]
    assert label in row
    assert ("overdue" in row.lower()) is overdue
    assert ("Due today" in row) is (label == "Due today")
