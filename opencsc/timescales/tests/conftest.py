import datetime as dt

import pytest
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.timescales import authority

from opencsc.core import events

from .sources import SOURCES


@pytest.fixture(autouse=True)
def fresh_calendar():
    authority.invalidate()
    yield
    authority.invalidate()


@pytest.fixture
def casework_clocks(monkeypatch):
    """Only the test sources over plans, meetings and visits, whatever else is registered: records made
    after this (announced to the event log) have only their rows."""
    monkeypatch.setattr(events, "_REGISTRY", {source.key: source for source in SOURCES})
    events._by_model.cache_clear()
    yield SOURCES
    events._by_model.cache_clear()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def team(db):
    from opencsc.accounts.tests.factories import TeamFactory

    return TeamFactory()


@pytest.fixture
def worker(make_user, team):
    return make_user(role=Role.SOCIAL_WORKER, team=team)


@pytest.fixture
def allocate(db, team):
    from opencsc.casework.models import Allocation

    def allocate_(child, worker, *, to_team=None, start=dt.date(2025, 1, 6), end=None):
        allocation = Allocation.objects.create(child=child, worker=worker, team=to_team or team, start_date=start,
                                               end_date=end)
        events.announce(allocation)
        return allocation

    return allocate_


@pytest.fixture
def cp_plan(db, make_user):
    """A child protection plan started on `start` (and the visits given), for a new or given child."""
    from opencsc.casework.models import Plan, Visit
    from opencsc.people.tests.factories import ChildFactory

    author = make_user(role=Role.SOCIAL_WORKER, username="plan-author")

    def make(start, *, child=None, visits=(), ended=None, kind="cp"):
        child = child or ChildFactory()
        events.announce(Plan.objects.create(child=child, kind=kind, start_date=start, end_date=ended,
                                            created_by=author))
        for day in visits:
            events.announce(Visit.objects.create(child=child, kind=kind, visited_on=day, visitor=author))
        return child

    return make
