"""The authority's calendar and local rule values, read for every due list."""

from __future__ import annotations

import datetime as dt

import pytest

from opencsc.accounts.roles import Role
from opencsc.timescales import authority
from opencsc.timescales.models import ClosureDay
from opencsc.timescales.services import rule_setting_update


@pytest.mark.django_db
def test_the_calendar_and_the_local_settings_come_from_one_query(make_user, django_assert_num_queries):
    rule_setting_update(rule_code="cin_visit", values={"then": [(2, "weeks"), (8, "weeks")]},
                        actor=make_user(role=Role.SERVICE_MANAGER))
    ClosureDay.objects.create(date=dt.date(2026, 12, 29), reason="Council closed")
    with django_assert_num_queries(1):
        calendar, settings = authority.authority_timescales()
    assert calendar is authority.authority_calendar()
    assert settings == authority.authority_settings()
    assert settings["cin_visit"]["then"] == [(2, "weeks"), (8, "weeks")]
    assert not calendar.is_working_day(dt.date(2026, 12, 29))
    assert calendar.is_working_day(dt.date(2026, 12, 30))
