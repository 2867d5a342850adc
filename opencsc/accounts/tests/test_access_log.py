"""The access log page: managers only, filters, restricted records stay hidden."""

import datetime as dt

import pytest
from django.utils import timezone

from opencsc.accounts.models import AccessLog
from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import UserFactory
from opencsc.core import chain
from opencsc.people.models import RestrictedAccessGrant
from opencsc.people.tests.factories import ChildFactory

URL = "/accounts/access-log/"
MANAGERS = [Role.TEAM_MANAGER, Role.SERVICE_MANAGER]


def log(user, child, *, outcome=AccessLog.Outcome.VIEWED, at=None, path="/children/1/"):
    # the log is append-only: a row from the past is written with its time, through the log's one writer
    return chain.append(AccessLog, [AccessLog(user=user, child=child, path=path, outcome=outcome, at=at,
                                              child_reference=str(child.pk) if child else "999")])[0]


def ids(response):
    return [entry.pk for entry in response.context["page_obj"]]


@pytest.mark.parametrize("role", Role.values)
def test_only_team_and_service_managers_can_read_the_access_log(signed_in, role):
    client = signed_in(role)
    child = ChildFactory()
    log(client.user, child)
    before = AccessLog.objects.count()

    response = client.get(URL, {"child": child.la_child_id})

    assert response.status_code == (200 if role in MANAGERS else 403)
    # Reading the log adds nothing to it; a refusal is itself logged, and is all that is added.
    added = AccessLog.objects.count() - before
    assert added == (0 if role in MANAGERS else 1)
    if added:
        assert AccessLog.objects.latest("id").outcome == AccessLog.Outcome.REFUSED


@pytest.fixture
def manager(signed_in):
    return signed_in(Role.TEAM_MANAGER)


def test_entries_are_newest_first(manager):
    worker = UserFactory()
    child = ChildFactory()
    now = timezone.now()
    old = log(worker, child, at=now - dt.timedelta(days=2))
    new = log(worker, child, at=now - dt.timedelta(hours=1))
    middle = log(worker, child, at=now - dt.timedelta(days=1))

    assert ids(manager.get(URL)) == [new.pk, middle.pk, old.pk]


@pytest.mark.parametrize("reference", ["C900001", "c900001", " C900001 ", "pk"])
def test_filter_by_child_la_id_in_any_case_or_record_number(manager, reference):
    worker = UserFactory()
    child = ChildFactory(la_child_id="C900001")
    other = ChildFactory()
    mine = log(worker, child)
    log(worker, other)

    response = manager.get(URL, {"child": str(child.pk) if reference == "pk" else reference})

    assert ids(response) == [mine.pk]
    assert response.context["child"] == child


def test_an_unknown_child_gives_an_error_and_no_entries(manager):
    log(UserFactory(), ChildFactory())

    response = manager.get(URL, {"child": "NOPE"})

    assert ids(response) == []
    assert response.context["form"].errors["child"] == ["No child found with that LA child ID or record number"]


def test_a_restricted_child_the_manager_cannot_see_looks_like_a_missing_one(manager):
    # A name no generated user can have, so finding it on the page can only mean the child leaked.
    hidden = ChildFactory(la_child_id="C555555", first_name="Zephyrine", last_name="Quennell-Ashworth",
                          is_restricted=True, restriction_reason="Adoption")
    log(UserFactory(), hidden)
    log(UserFactory(), hidden, outcome=AccessLog.Outcome.REFUSED)

    by_la_id = manager.get(URL, {"child": "C555555"})
    by_pk = manager.get(URL, {"child": str(hidden.pk)})
    missing = manager.get(URL, {"child": "C000000"})
    unfiltered = manager.get(URL)

    assert ids(by_la_id) == ids(by_pk) == ids(missing) == []
    assert by_la_id.context["form"].errors == missing.context["form"].errors
    assert ids(unfiltered) == []
    assert hidden.last_name not in unfiltered.content.decode()
    assert hidden.first_name not in unfiltered.content.decode()


def test_a_restricted_child_is_visible_to_a_manager_with_a_grant(manager):
    hidden = ChildFactory(la_child_id="C555556", is_restricted=True)
    RestrictedAccessGrant.objects.create(child=hidden, user=manager.user)
    entry = log(UserFactory(), hidden)

    assert ids(manager.get(URL, {"child": "C555556"})) == [entry.pk]


def test_refused_attempts_at_missing_records_are_shown(manager):
    entry = log(UserFactory(), None, outcome=AccessLog.Outcome.REFUSED)

    response = manager.get(URL, {"outcome": "refused"})

    assert ids(response) == [entry.pk]
    assert "asked for 999" in response.content.decode()


@pytest.mark.parametrize("query", ["jdoe", "JDOE", "Jane", "doe", "jane doe"])
def test_filter_by_user_username_or_name(manager, query):
    jane = UserFactory(username="jdoe", first_name="Jane", last_name="Doe")
    other = UserFactory(username="other", first_name="Oliver", last_name="Twist")
    child = ChildFactory()
    mine = log(jane, child)
    log(other, child)

    assert ids(manager.get(URL, {"user": query})) == [mine.pk]


@pytest.mark.parametrize("outcome", ["viewed", "refused"])
def test_filter_by_outcome(manager, outcome):
    worker = UserFactory()
    child = ChildFactory()
    viewed = log(worker, child)
    refused = log(worker, child, outcome=AccessLog.Outcome.REFUSED)

    assert ids(manager.get(URL, {"outcome": outcome})) == [viewed.pk if outcome == "viewed" else refused.pk]


def _date_params(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_filter_by_date_range_includes_both_whole_days(manager):
    worker = UserFactory()
    child = ChildFactory()
    tz = timezone.get_current_timezone()

    def at(day, hour, minute=0):
        return dt.datetime(2026, 3, day, hour, minute, tzinfo=tz)

    before = log(worker, child, at=at(9, 23, 59))
    first = log(worker, child, at=at(10, 0, 0))
    last = log(worker, child, at=at(12, 23, 59))
    after = log(worker, child, at=at(13, 0, 0))

    response = manager.get(URL, {**_date_params("date_from", dt.date(2026, 3, 10)),
                                 **_date_params("date_to", dt.date(2026, 3, 12))})

    assert ids(response) == [last.pk, first.pk]
    assert before.pk not in ids(response) and after.pk not in ids(response)


def test_a_to_date_before_the_from_date_is_an_error(manager):
    log(UserFactory(), ChildFactory())

    response = manager.get(URL, {**_date_params("date_from", dt.date(2026, 3, 10)),
                                 **_date_params("date_to", dt.date(2026, 3, 9))})

    assert ids(response) == []
    assert response.context["form"].errors["date_to"] == [
        "The 'to' date must be the same as or after the 'from' date"
    ]


def test_filters_combine(manager):
    jane = UserFactory(username="jdoe")
    child = ChildFactory(la_child_id="C777777")
    wanted = log(jane, child, outcome=AccessLog.Outcome.REFUSED)
    log(jane, child)
    log(jane, ChildFactory(), outcome=AccessLog.Outcome.REFUSED)
    log(UserFactory(), child, outcome=AccessLog.Outcome.REFUSED)

    response = manager.get(URL, {"child": "C777777", "user": "jdoe", "outcome": "refused"})

    assert ids(response) == [wanted.pk]


def test_the_log_is_paginated_25_a_page(manager):
    worker = UserFactory()
    child = ChildFactory()
    for _ in range(30):
        log(worker, child)

    assert len(manager.get(URL).context["page_obj"]) == 25
    assert len(manager.get(URL, {"page": 2}).context["page_obj"]) == 5


def test_an_empty_log_says_so(manager):
    assert "No entries in the access log yet" in manager.get(URL).content.decode()
    assert "No entries match the search" in manager.get(URL, {"outcome": "refused"}).content.decode()


def test_the_access_log_query_count_does_not_grow_with_entries(manager, django_assert_max_num_queries):
    for _ in range(20):
        log(UserFactory(), ChildFactory())
    with django_assert_max_num_queries(12):
        manager.get(URL)
