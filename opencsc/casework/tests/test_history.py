"""The history page: every change to the child's record, with old and new values."""

import datetime as dt

import pytest
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.care.tests.factories import CareEpisodeFactory
from opencsc.casework.services import case_note_create, case_note_update
from opencsc.core.audit import audit
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=dt.date(2015, 1, 1))


def test_history_shows_each_field_change_with_who_and_when(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)
    client.user.first_name, client.user.last_name = "Jo", "Worker"
    client.user.save()
    note = case_note_create(child=child, actor=client.user, note_type="home_visit",
                            contact_date=dt.date(2026, 3, 2), subject="First words", body="Body")
    case_note_update(note=note, actor=client.user, expected_version=1, subject="Second words")

    html = client.get(reverse("casework:history", args=[child.pk])).content.decode()

    assert "Jo Worker" in html
    assert "Subject" in html and "First words" in html and "Second words" in html
    assert "Updated" in html and "Created" in html
    assert html.index("Second words") < html.index("Case note added")


def test_history_shows_only_this_childs_events(signed_in, child):
    other = ChildFactory()
    audit(actor=None, action=AuditEvent.Action.OTHER, child=other, summary="Something about another child")
    audit(actor=None, action=AuditEvent.Action.OTHER, child=child, summary="Something about this child")

    html = signed_in(Role.AUDITOR).get(reverse("casework:history", args=[child.pk])).content.decode()

    assert "Something about this child" in html
    assert "Something about another child" not in html
    assert "The system" in html


def test_history_is_paginated(signed_in, child):
    for i in range(30):
        audit(actor=None, action=AuditEvent.Action.OTHER, child=child, summary=f"Change number {i:02d}")

    client = signed_in(Role.SOCIAL_WORKER)
    first = client.get(reverse("casework:history", args=[child.pk])).content.decode()
    second = client.get(reverse("casework:history", args=[child.pk]), {"page": 2}).content.decode()

    assert "Change number 29" in first and "Change number 05" in first and "Change number 04" not in first
    assert "Change number 04" in second and "Change number 29" not in second


def test_empty_history_says_so(signed_in, child):
    html = signed_in(Role.SOCIAL_WORKER).get(reverse("casework:history", args=[child.pk])).content.decode()

    assert "No changes recorded yet" in html


def test_history_shows_coded_values_with_their_labels(signed_in, child):
    """A change of a coded field reads "Full care order (C2)", never a bare "C2"."""
    episode = CareEpisodeFactory(child=child)
    audit(actor=None, action=AuditEvent.Action.UPDATED, instance=episode, child=child,
          changes={"legal_status": ["V2", "C2"], "reason_ceased": ["", "X1"]}, summary="Episode changed")

    html = signed_in(Role.AUDITOR).get(reverse("casework:history", args=[child.pk])).content.decode()

    assert "Legal status (LS)" in html and "legal_status" not in html
    assert "Accommodated under section 20 (single period) (V2)" in html and "Full care order (C2)" in html
    assert "Episode ceased and a new one began the same day (X1)" in html
    assert ">C2<" not in html and ">X1<" not in html
