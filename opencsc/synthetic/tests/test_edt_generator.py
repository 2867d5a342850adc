"""The out-of-hours step of the synthetic authority: entries at night and weekends, handovers to the
right day team, nearly all acknowledged, some still waiting and a few overdue."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from opencsc.accounts.roles import TeamKind
from opencsc.casework.models import Allocation
from opencsc.edt import rules
from opencsc.edt.models import OutOfHoursEntry
from opencsc.synthetic.generators.edt import DAYS, PER_NIGHT
from opencsc.synthetic.testing import SHARED
from opencsc.timescales.authority import authority_calendar

TODAY = dt.date(2026, 11, 23)  # a Monday
SIZE = SHARED["size"]
LONDON = ZoneInfo("Europe/London")


pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def test_about_five_a_night_out_of_hours(authority):
    entries = list(OutOfHoursEntry.objects.all())
    per_night = len(entries) / DAYS
    assert 0.7 * PER_NIGHT * SIZE <= per_night <= 3 * PER_NIGHT * SIZE + 3
    for e in entries:
        local = e.occurred_at.astimezone(LONDON)
        assert local.hour >= 17 or local.hour < 9 or not authority_calendar().is_working_day(local.date())
        assert e.occurred_at < dt.datetime.combine(TODAY, dt.time(9, 30), tzinfo=LONDON)


def test_handovers_go_to_the_allocated_team_or_the_mash(authority):
    allocated = dict(Allocation.objects.filter(end_date__isnull=True).values_list("child_id", "team_id"))
    for e in OutOfHoursEntry.objects.select_related("day_team"):
        if e.child_id in allocated:
            assert e.day_team_id == allocated[e.child_id]
        else:
            assert e.day_team.kind == TeamKind.MASH


def test_most_are_acknowledged_on_time_and_some_are_not(authority):
    calendar, now = authority_calendar(), dt.datetime.combine(TODAY, dt.time(12), tzinfo=LONDON)
    entries = list(OutOfHoursEntry.objects.select_related("acknowledged_by"))
    done = [e for e in entries if e.acknowledged_at]
    assert len(done) > 0.85 * len(entries)
    on_time = [e for e in done if not rules.is_overdue(e.occurred_at, e.acknowledged_at, now, calendar, LONDON)]
    assert 0.85 * len(done) < len(on_time) < len(done)
    for e in done:
        assert e.acknowledged_at > e.occurred_at and e.acknowledged_by.team_id == e.day_team_id
    waiting = [e for e in entries if not e.acknowledged_at]
    assert waiting
    assert any(rules.acknowledge_by(e.occurred_at, calendar, LONDON) < now for e in waiting)  # overdue by noon
