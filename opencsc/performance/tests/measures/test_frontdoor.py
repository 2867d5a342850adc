import datetime as dt

import pytest

from opencsc.frontdoor.tests.factories import ContactFactory, at
from opencsc.people.tests.factories import ChildFactory
from opencsc.performance.measures.base import Row
from opencsc.performance.measures.common import in_words, year_to
from opencsc.performance.measures.frontdoor import contacts_decided_1wd

pytestmark = pytest.mark.django_db

AS_AT = dt.date(2026, 6, 30)


def contact(received: dt.date, decided: dt.date | None, child=None, hour=10):
    child = child or ChildFactory()
    ContactFactory(received_at=at(received, hour), decided_at=at(decided, 15) if decided else None, children=[child])
    return child


def test_dates_in_words_and_window():
    assert in_words(dt.date(2026, 3, 3)) == "3 Mar 2026"
    assert year_to(dt.date(2026, 3, 31)) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert year_to(dt.date(2024, 2, 29)) == (dt.date(2023, 3, 1), dt.date(2024, 2, 29))


@pytest.mark.parametrize(("received", "decided", "met"), [
    (dt.date(2026, 3, 2), dt.date(2026, 3, 2), True),  # same day
    (dt.date(2026, 3, 2), dt.date(2026, 3, 3), True),  # first working day after
    (dt.date(2026, 3, 2), dt.date(2026, 3, 4), False),  # second working day
    (dt.date(2026, 3, 6), dt.date(2026, 3, 9), True),  # Friday to Monday, across a weekend
    (dt.date(2026, 3, 6), dt.date(2026, 3, 10), False),  # Friday to Tuesday
    (dt.date(2026, 3, 7), dt.date(2026, 3, 9), True),  # received on a Saturday
    (dt.date(2026, 4, 2), dt.date(2026, 4, 7), True),  # across Good Friday and Easter Monday
    (dt.date(2026, 4, 2), dt.date(2026, 4, 8), False),
    (dt.date(2026, 5, 22), dt.date(2026, 5, 26), True),  # across the spring bank holiday
    (dt.date(2026, 5, 22), dt.date(2026, 5, 27), False),
])
def test_decided_within_one_working_day(received, decided, met):
    child = contact(received, decided)
    assert contacts_decided_1wd(AS_AT) == [Row(
        child_id=child.pk, met=met, on=received,
        ref=f"Contact received {in_words(received)}, decided {in_words(decided)}")]


@pytest.mark.parametrize(("as_at", "met"), [
    (dt.date(2026, 3, 6), None),  # received Friday, due Monday: not yet due
    (dt.date(2026, 3, 9), None),  # due today
    (dt.date(2026, 3, 10), False),  # overdue
])
def test_undecided(as_at, met):
    child = contact(dt.date(2026, 3, 6), None)
    [row] = contacts_decided_1wd(as_at)
    assert (row.child_id, row.met) == (child.pk, met)
    assert row.ref == "Contact received 6 Mar 2026, not yet decided (due 9 Mar 2026)"


def test_a_decision_after_the_date_does_not_count_yet():
    contact(dt.date(2026, 3, 6), dt.date(2026, 3, 9))
    assert [r.met for r in contacts_decided_1wd(dt.date(2026, 3, 6))] == [None]
    assert [r.met for r in contacts_decided_1wd(dt.date(2026, 3, 9))] == [True]


@pytest.mark.parametrize("skip_closures, met", [
    (None, False),  # a national rule: the closure day is a working day, as the DfE counts
    (True, True),  # the authority set the rule to skip its closure days
])
def test_authority_closure_days_count_as_the_rule_says(skip_closures, met):
    from opencsc.timescales.models import ClosureDay, LocalRuleSetting

    ClosureDay.objects.create(date=dt.date(2026, 3, 9), reason="Office move")
    if skip_closures is not None:
        LocalRuleSetting.objects.create(rule_code="contact_decision", values={"closures": skip_closures})
    contact(dt.date(2026, 3, 6), dt.date(2026, 3, 10))
    assert [r.met for r in contacts_decided_1wd(AS_AT)] == [met]


@pytest.mark.parametrize(("received", "counted"), [
    (dt.date(2025, 6, 30), False),  # 12 months and a day before
    (dt.date(2025, 7, 1), True),
    (AS_AT, True),
    (AS_AT + dt.timedelta(days=1), False),  # recorded after the date
])
def test_window(received, counted):
    contact(received, received)
    assert len(contacts_decided_1wd(AS_AT)) == int(counted)


def test_late_evening_contacts_count_on_their_local_day():
    child = contact(AS_AT, AS_AT, hour=23)
    assert [r.child_id for r in contacts_decided_1wd(AS_AT)] == [child.pk]


def test_one_row_per_child_named_and_restricted_children_count():
    a, b = ChildFactory(), ChildFactory(is_restricted=True)
    ContactFactory(received_at=at(dt.date(2026, 3, 2)), decided_at=at(dt.date(2026, 3, 2)), children=[a, b])
    assert sorted(r.child_id for r in contacts_decided_1wd(AS_AT)) == sorted([a.pk, b.pk])


def test_query_count_does_not_grow(django_assert_max_num_queries):
    for _ in range(2):
        contact(dt.date(2026, 3, 2), dt.date(2026, 3, 3))
    with django_assert_max_num_queries(3) as small:
        contacts_decided_1wd(AS_AT)
    for _ in range(20):
        contact(dt.date(2026, 3, 2), None)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(contacts_decided_1wd(AS_AT)) == 22
