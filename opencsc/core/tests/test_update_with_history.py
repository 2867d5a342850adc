"""update_with_history: the version check is in the UPDATE's WHERE clause, not read-then-write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opencsc.core.audit import StaleRecordError, claim_version, update_with_history
from opencsc.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def note():
    from opencsc.accounts.tests.factories import UserFactory
    from opencsc.casework.models import CaseNote
    from opencsc.people.tests.factories import ChildFactory

    child = ChildFactory()
    return CaseNote.objects.create(child=child, contact_date=child.date_of_birth, subject="Home visit",
                                   body="Saw the family.", author=UserFactory())


def test_one_conditional_update_saves_the_changed_fields_and_moves_the_version_on(note):
    with CaptureQueriesContext(connection) as queries:
        changes = update_with_history(note, actor=None, expected_version=1, child=note.child, body="Saw them all.")
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1 and '"version" = ' in updates[0].split("WHERE")[1]
    assert '"subject"' not in updates[0]  # only what changed (and updated_at, version) is written
    assert not any("FOR UPDATE" in q["sql"] for q in queries)
    note.refresh_from_db()
    assert changes == {"body": ["Saw the family.", "Saw them all."]} and (note.body, note.version) == (
        "Saw them all.", 2)


def test_a_save_that_lost_the_race_changes_nothing(note):
    """The other save happened after this one read the row: only the WHERE clause can see it."""
    type(note).objects.filter(pk=note.pk).update(body="The other person's words", version=2)
    events = AuditEvent.objects.count()
    with pytest.raises(StaleRecordError):
        update_with_history(note, actor=None, expected_version=1, child=note.child, body="Mine")
    assert note.body == "Saw the family."  # the instance is as it was read
    note.refresh_from_db()
    assert (note.body, note.version) == ("The other person's words", 2) and AuditEvent.objects.count() == events


def test_no_version_from_the_page_is_refused_and_an_unchanged_stale_form_too(note):
    with pytest.raises(StaleRecordError):
        update_with_history(note, actor=None, expected_version=None, body="Mine")
    type(note).objects.filter(pk=note.pk).update(version=5)
    with pytest.raises(StaleRecordError):
        update_with_history(note, actor=None, expected_version=1, body=note.body)


def test_claim_version_for_services_that_save_the_model_themselves():
    from opencsc.accounts.tests.factories import TeamFactory

    team = TeamFactory()
    claim_version(team, 1)
    assert team.version == 2
    with pytest.raises(StaleRecordError):
        claim_version(team, 1)
    claim_version(team, None)  # a system write moves the version on without checking it
    team.refresh_from_db()
    assert team.version == 3
