"""The chronology: every event source merged, newest first, filtered and paginated."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.casework.models import ChronologyEntry
from opencsc.casework.selectors import chronology_for
from opencsc.core import events
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory

from .factories import AllocationFactory, CaseNoteFactory, ChronologyEntryFactory, DocumentFactory


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=dt.date(2015, 6, 1))


@pytest.fixture
def history(child):
    CaseNoteFactory(child=child, contact_date=dt.date(2026, 3, 2), subject="Home visit",
                    note_type="management_oversight")
    ChronologyEntryFactory(child=child, event_date=dt.date(2026, 2, 1), title="Police called to the home",
                           significance="high")
    ChronologyEntryFactory(child=child, event_date=dt.date(2025, 12, 24), title="Moved school")
    AllocationFactory(child=child, start_date=dt.date(2026, 1, 5))
    DocumentFactory(child=child, title="Strategy minutes")
    return child


def titles(items):
    return [item.title for item in items]


def test_chronology_merges_every_source_newest_first(make_user, history):
    user = make_user(Role.SOCIAL_WORKER)

    items = chronology_for(user=user, child=history)

    assert [i.source for i in items] == ["document", "case_note", "manual", "allocation", "manual"]
    assert [i.date for i in items] == sorted((i.date for i in items), reverse=True)
    assert items[0].date == timezone.localdate()


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"sources": ["manual"]}, ["Police called to the home", "Moved school"]),
        ({"sources": ["manual", "case_note"]}, ["Home visit", "Police called to the home", "Moved school"]),
        ({"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 2, 28)},
         ["Police called to the home", "allocation"]),
        ({"date_to": dt.date(2025, 12, 31)}, ["Moved school"]),
        ({"date_from": dt.date(2026, 2, 1), "date_to": dt.date(2026, 2, 1)}, ["Police called to the home"]),
        ({"significant_only": True}, ["Home visit", "Police called to the home"]),
        ({"significant_only": True, "sources": ["manual"]}, ["Police called to the home"]),
    ],
)
def test_chronology_filters(make_user, history, criteria, expected):
    user = make_user(Role.SOCIAL_WORKER)

    items = chronology_for(user=user, child=history, **criteria)

    assert [i.title if i.source != "allocation" else "allocation" for i in items] == expected


def test_chronology_selector_refuses_a_user_who_cannot_read_casework(make_user, history):
    partner = make_user(Role.PARTNER)

    with pytest.raises(Http404):
        chronology_for(user=partner, child=history)


def test_other_apps_add_to_the_chronology_through_the_registry(signed_in, child):
    def project(entry):
        yield events.Fact(child_id=entry.child_id, on=dt.date(2026, 4, 1), category="Conference",
                          title="Initial child protection conference", significant=True)

    source = events.register(events.Source(key="test_icpc", label="Conferences", model="casework.ChronologyEntry",
                                           project=project))
    try:
        ChronologyEntryFactory(child=child, event_date=dt.date(2026, 3, 1), title="Moved school")
        html = signed_in(Role.SOCIAL_WORKER).get(reverse("casework:chronology", args=[child.pk])).content.decode()
    finally:
        events._REGISTRY.pop(source.key)
        events._by_model.cache_clear()

    assert "Initial child protection conference" in html
    assert 'value="test_icpc"' in html


@pytest.mark.parametrize(("role", "shown"), [(Role.SERVICE_MANAGER, True), (Role.PERFORMANCE_ANALYST, False)])
def test_entries_a_source_restricts_are_left_out_for_readers_who_may_not_see_them(signed_in, child, role, shown):
    """A source's `visible_to` (an action of people.access.can) hides its entries from the page, the record
    page and the export of a reader who may read the casework but not do that action."""
    def project(entry):
        yield events.Fact(child_id=entry.child_id, on=dt.date(2026, 4, 1), title="Sealed adoption record")

    source = events.register(events.Source(key="test_sealed", label="Sealed records", model="casework.ChronologyEntry",
                                           project=project, visible_to="edit"))
    try:
        ChronologyEntryFactory(child=child, event_date=dt.date(2026, 3, 1), title="Moved school")
        client = signed_in(role)
        pages = [client.get(reverse(name, args=[child.pk])).content.decode()
                 for name in ("casework:chronology", "casework:child_record")]
        export = client.get(reverse("casework:chronology_export", args=[child.pk]))
    finally:
        events._REGISTRY.pop(source.key)
        events._by_model.cache_clear()

    for html in pages:
        assert "Moved school" in html
        assert ("Sealed adoption record" in html) is shown
    assert ('value="test_sealed"' in export.content.decode()) is shown


def test_the_page_filters_by_source_dates_and_significance(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER)
    url = reverse("casework:chronology", args=[history.pk])

    html = client.get(url, {"source": "manual", "date_from_0": "1", "date_from_1": "1", "date_from_2": "2026",
                            "significant": "on"}).content.decode()

    assert "Police called to the home" in html
    assert "Moved school" not in html and "Home visit" not in html
    assert "1 event match the filters" in html


def test_the_page_refuses_a_to_date_before_the_from_date(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER)
    url = reverse("casework:chronology", args=[history.pk])

    response = client.get(url, {"date_from_0": "1", "date_from_1": "3", "date_from_2": "2026",
                                "date_to_0": "1", "date_to_1": "1", "date_to_2": "2026"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date" in html
    assert "There is a problem" in html
    assert "Moved school" in html  # the unfiltered chronology is still shown


def test_the_page_says_when_no_events_match(signed_in, history):
    html = signed_in(Role.SOCIAL_WORKER).get(
        reverse("casework:chronology", args=[history.pk]),
        {"date_to_0": "1", "date_to_1": "1", "date_to_2": "2000"}).content.decode()

    assert "No events match the filters" in html


def test_an_empty_chronology_says_so(signed_in, child):
    html = signed_in(Role.SOCIAL_WORKER).get(reverse("casework:chronology", args=[child.pk])).content.decode()

    assert "No events yet" in html


def test_the_chronology_is_paginated_fifty_a_page(signed_in, child):
    for i in range(60):
        ChronologyEntryFactory(child=child, event_date=dt.date(2025, 1, 1) + dt.timedelta(days=i),
                               title=f"Entry {i:02d}")
    client = signed_in(Role.SOCIAL_WORKER)
    url = reverse("casework:chronology", args=[child.pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()

    assert "Entry 59" in first and "Entry 10" in first and "Entry 09" not in first
    assert "Entry 09" in second and "Entry 00" in second and "Entry 10" not in second
    assert "1 of 2" in first and "60 events" in first


# --- Adding an entry ---------------------------------------------------------------------


def entry_data(day, **overrides):
    data = {"event_date_0": str(day.day), "event_date_1": str(day.month), "event_date_2": str(day.year),
            "title": "Mother admitted to hospital", "detail": "Children stayed with grandmother.",
            "significance": "high"}
    data.update(overrides)
    return data


def test_adding_an_entry_puts_it_in_the_chronology_and_audits_it(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(reverse("casework:chronology_add", args=[child.pk]), entry_data(dt.date(2026, 2, 3)))

    assert response.status_code == 302
    entry = ChronologyEntry.objects.get(child=child)
    assert (entry.event_date, entry.significance, entry.author) == (dt.date(2026, 2, 3), "high", client.user)
    assert AuditEvent.objects.filter(child=child, action=AuditEvent.Action.CREATED).count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "Mother admitted to hospital" in html


@pytest.mark.parametrize(
    ("day", "overrides", "message"),
    [
        ("tomorrow", {}, "Date of event must be today or in the past"),
        (dt.date(2026, 1, 1), {"title": ""}, "Enter a title"),
        (dt.date(2026, 1, 1), {"title": "   "}, "Enter a title"),
        (dt.date(2026, 1, 1), {"significance": ""}, "Select how significant the event is"),
        (dt.date(2026, 1, 1), {"event_date_2": "26"}, "Year must include 4 numbers"),
    ],
)
def test_refused_entries_change_nothing(signed_in, child, day, overrides, message):
    if day == "tomorrow":
        day = timezone.localdate() + dt.timedelta(days=1)
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(reverse("casework:chronology_add", args=[child.pk]), entry_data(day, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert ChronologyEntry.objects.count() == 0
    assert AuditEvent.objects.count() == 0
