"""Case notes: adding, reading, filtering and changing them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.casework.models import CaseNote
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory

from .factories import CaseNoteFactory


def note_data(day: dt.date | None = None, **overrides):
    day = day or dt.date(2026, 3, 2)
    data = {
        "note_type": "home_visit",
        "contact_date_0": str(day.day), "contact_date_1": str(day.month), "contact_date_2": str(day.year),
        "subject": "Home visit", "body": "Saw Amara in her bedroom. She showed me her drawings.",
        "child_seen": "on", "child_seen_alone": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=dt.date(2015, 6, 1))


def test_adding_a_case_note_saves_it_and_audits_it(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(reverse("casework:note_add", args=[child.pk]), note_data())

    note = CaseNote.objects.get(child=child)
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:note_detail", args=[child.pk, note.pk])
    assert (note.author, note.contact_date, note.child_seen, note.child_seen_alone) == (
        client.user, dt.date(2026, 3, 2), True, True)
    event = AuditEvent.objects.get(child=child, action=AuditEvent.Action.CREATED)
    assert event.actor == client.user
    assert event.changes["subject"] == [None, "Home visit"]


def test_added_note_is_shown_on_its_page(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)
    client.post(reverse("casework:note_add", args=[child.pk]), note_data())
    note = CaseNote.objects.get(child=child)

    html = client.get(reverse("casework:note_detail", args=[child.pk, note.pk])).content.decode()

    assert "She showed me her drawings." in html
    assert "Yes, alone" in html
    assert "2 Mar 2026" in html


TOMORROW = "tomorrow"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"contact_date": TOMORROW}, "contact_date", "Date of contact must be today or in the past"),
        ({"contact_date": dt.date(2015, 5, 31)}, "contact_date",
         "Date of contact must be on or after the child&#x27;s date of birth (1 Jun 2015)"),
        ({"child_seen": None}, "child_seen_alone", "Select &#x27;child seen&#x27; if the child was seen alone"),
        ({"subject": ""}, "subject", "Enter a subject"),
        ({"body": "  "}, "body", "Enter the note"),
        ({"contact_date_0": "", "contact_date_1": "", "contact_date_2": ""}, "contact_date",
         "Enter the date of contact"),
        ({"contact_date_0": "31", "contact_date_1": "2"}, "contact_date", "Date of contact must be a real date"),
        ({"note_type": "gossip"}, "note_type", "Select the type of note"),
    ],
)
def test_refused_case_notes_change_nothing(signed_in, child, overrides, field, message):
    client = signed_in(Role.SOCIAL_WORKER)
    day = overrides.pop("contact_date", None)
    if day == TOMORROW:
        day = timezone.localdate() + dt.timedelta(days=1)
    audits = AuditEvent.objects.count()

    response = client.post(reverse("casework:note_add", args=[child.pk]), note_data(day, **overrides))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html
    assert CaseNote.objects.count() == 0
    assert AuditEvent.objects.count() == audits


def test_a_note_about_an_unborn_child_can_be_dated_before_the_birth(signed_in):
    unborn = ChildFactory(date_of_birth=None, expected_date_of_birth=timezone.localdate() + dt.timedelta(days=40))
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(reverse("casework:note_add", args=[unborn.pk]), note_data(timezone.localdate()))

    assert response.status_code == 302
    assert CaseNote.objects.filter(child=unborn).count() == 1


def test_a_note_dated_today_is_accepted(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(reverse("casework:note_add", args=[child.pk]), note_data(timezone.localdate()))

    assert response.status_code == 302


def test_the_refused_form_keeps_what_was_typed(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(reverse("casework:note_add", args=[child.pk]), note_data(subject=""))

    assert "She showed me her drawings." in response.content.decode()


# --- Changing a note ---------------------------------------------------------------------


def edit_url(note):
    return reverse("casework:note_edit", args=[note.child_id, note.pk])


def test_the_author_changes_a_note_and_the_change_is_audited(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)
    note = CaseNoteFactory(child=child, author=client.user, subject="Home visit", child_seen=False)

    response = client.post(edit_url(note), note_data(version=1, subject="Home visit (amended)"))

    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.subject, note.version, note.child_seen) == ("Home visit (amended)", 2, True)
    event = AuditEvent.objects.get(child=child, action=AuditEvent.Action.UPDATED)
    assert event.changes["subject"] == ["Home visit", "Home visit (amended)"]
    assert event.actor == client.user


def test_the_edit_form_starts_with_the_note_as_it_is(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)
    note = CaseNoteFactory(child=child, author=client.user, subject="Original words", version=3)

    html = client.get(edit_url(note)).content.decode()

    assert 'value="Original words"' in html
    assert 'name="version" value="3"' in html


def test_an_edit_over_someone_elses_change_is_refused_and_keeps_the_input(signed_in, child, make_user):
    client = signed_in(Role.SOCIAL_WORKER)
    note = CaseNoteFactory(child=child, author=client.user, subject="First version")
    manager = make_user(Role.TEAM_MANAGER)
    from opencsc.casework.services import case_note_update

    case_note_update(note=CaseNote.objects.get(pk=note.pk), actor=manager, expected_version=1,
                     subject="Manager's version")
    audits = AuditEvent.objects.count()

    response = client.post(edit_url(note), note_data(version=1, subject="My late version"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record" in html
    assert 'value="My late version"' in html
    note.refresh_from_db()
    assert (note.subject, note.version) == ("Manager's version", 2)
    assert AuditEvent.objects.count() == audits


def test_a_refused_edit_changes_nothing(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)
    note = CaseNoteFactory(child=child, author=client.user, subject="Kept", child_seen=True)

    response = client.post(edit_url(note), note_data(version=1, subject="Lost", child_seen=None))

    assert response.status_code == 200
    assert "Select &#x27;child seen&#x27; if the child was seen alone" in response.content.decode()
    note.refresh_from_db()
    assert (note.subject, note.version, note.child_seen) == ("Kept", 1, True)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATED).exists()


def test_saving_without_changes_keeps_the_version(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)
    note = CaseNoteFactory(child=child, author=client.user, subject="Same", body="Body", child_seen=True,
                           child_seen_alone=True)

    response = client.post(edit_url(note), note_data(version=1, subject="Same", body="Body"))

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.version == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATED).exists()


def test_only_the_author_or_a_manager_is_offered_the_change_link(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)
    mine = CaseNoteFactory(child=child, author=client.user)
    theirs = CaseNoteFactory(child=child)

    mine_html = client.get(reverse("casework:note_detail", args=[child.pk, mine.pk])).content.decode()
    theirs_html = client.get(reverse("casework:note_detail", args=[child.pk, theirs.pk])).content.decode()

    assert edit_url(mine) in mine_html
    assert edit_url(theirs) not in theirs_html


# --- The list ----------------------------------------------------------------------------


def test_notes_list_filters_by_type_and_child_seen(signed_in, child):
    CaseNoteFactory(child=child, note_type="home_visit", child_seen=True, subject="Seen at home")
    CaseNoteFactory(child=child, note_type="home_visit", child_seen=False, subject="Nobody in")
    CaseNoteFactory(child=child, note_type="phone_call", child_seen=False, subject="Called school")
    client = signed_in(Role.SOCIAL_WORKER)
    url = reverse("casework:notes", args=[child.pk])

    everything = client.get(url).content.decode()
    visits = client.get(url, {"note_type": "home_visit"}).content.decode()
    seen = client.get(url, {"seen": "yes"}).content.decode()
    unseen_visits = client.get(url, {"note_type": "home_visit", "seen": "no"}).content.decode()
    none = client.get(url, {"note_type": "supervision"}).content.decode()

    assert all(s in everything for s in ("Seen at home", "Nobody in", "Called school"))
    assert "Called school" not in visits and "Seen at home" in visits and "Nobody in" in visits
    assert "Seen at home" in seen and "Nobody in" not in seen and "Called school" not in seen
    assert "Nobody in" in unseen_visits and "Seen at home" not in unseen_visits
    assert "No case notes match the filters" in none


def test_notes_list_is_paginated_newest_first(signed_in, child):
    for i in range(30):
        CaseNoteFactory(child=child, contact_date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
                        subject=f"Note number {i:02d}")
    client = signed_in(Role.SOCIAL_WORKER)
    url = reverse("casework:notes", args=[child.pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert "Note number 29" in first and "Note number 05" in first and "Note number 04" not in first
    assert "Note number 04" in second and "Note number 00" in second and "Note number 29" not in second
    assert first.index("Note number 29") < first.index("Note number 28")
    assert "1 of 2" in first


def test_an_empty_notes_list_says_so(signed_in, child):
    html = signed_in(Role.SOCIAL_WORKER).get(reverse("casework:notes", args=[child.pk])).content.decode()

    assert "No case notes yet" in html
