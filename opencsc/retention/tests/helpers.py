"""Children in each situation the rules know about, for the retention tests."""

from __future__ import annotations

import datetime as dt

from opencsc.adoption.tests.factories import AdoptionPlanFactory
from opencsc.care.tests.factories import PeriodOfCareFactory
from opencsc.people.tests.factories import ChildFactory

TODAY = dt.date(2026, 6, 15)


def child(born, *, died=None, **fields):
    return ChildFactory(date_of_birth=born, date_of_death=died, **fields)


def looked_after(kid, *, start=None, end=...):
    """A period of care, ended a year later unless `end` is given (None: still looked after)."""
    start = start or kid.date_of_birth.replace(year=kid.date_of_birth.year + 5)
    end = start.replace(year=start.year + 1) if end is ... else end
    return PeriodOfCareFactory(child=kid, start_date=start, end_date=end)


def adopted(kid, order_on):
    return AdoptionPlanFactory(child=kid, entered_care_on=order_on.replace(year=order_on.year - 1),
                               should_be_placed_on=order_on.replace(year=order_on.year - 1),
                               adoption_order_on=order_on)


def load_default_periods():
    """The rows the data migration loads (the tests run without migrations)."""
    from dataclasses import asdict

    from opencsc.retention.models import RetentionRule
    from opencsc.retention.rules import DEFAULTS

    for period in DEFAULTS:
        RetentionRule.objects.get_or_create(record_class=period.record_class, defaults=asdict(period))
