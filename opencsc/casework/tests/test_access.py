"""Who may open each page of a child's record: the permission matrix, role by role.

The rules are people/access.py's; these tables say the same thing independently,
so a change to either shows up here.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.models import AccessLog
from opencsc.accounts.roles import Role
from opencsc.casework.models import CaseNote, ChronologyEntry, Document
from opencsc.people.models import PartnerShare, RestrictedAccessGrant
from opencsc.people.tests.factories import ChildFactory

from .factories import CaseNoteFactory, DocumentFactory

# Roles that may read an unrestricted child's record, summary and casework.
READERS = {
    Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.IRO,
    Role.MASH_PRACTITIONER, Role.EDT_WORKER, Role.PERSONAL_ADVISER, Role.PERFORMANCE_ANALYST, Role.AUDITOR,
}
# Roles that may add case notes, chronology entries and documents.
RECORDERS = READERS - {Role.PERFORMANCE_ANALYST, Role.AUDITOR}
MANAGERS = {Role.TEAM_MANAGER, Role.SERVICE_MANAGER}

READ_PAGES = ["chronology", "notes", "documents", "history", "note_detail", "document_download"]
RECORD_PAGES = ["chronology_add", "note_add"]


def url_for(page, child, note=None, document=None):
    if page == "note_detail":
        return reverse("casework:note_detail", args=[child.pk, note.pk])
    if page == "note_edit":
        return reverse("casework:note_edit", args=[child.pk, note.pk])
    if page == "document_download":
        return reverse("casework:document_download", args=[child.pk, document.pk])
    return reverse(f"casework:{page}", args=[child.pk])


@pytest.fixture
def record(db):
    child = ChildFactory()
    note = CaseNoteFactory(child=child)
    document = DocumentFactory(child=child)
    return child, note, document


def test_the_roles_in_these_tables_are_every_role():
    assert READERS | {Role.PARTNER, Role.ADMINISTRATOR} == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_record_summary_page_by_role(signed_in, record, role):
    child, _, _ = record
    client = signed_in(role)

    response = client.get(reverse("casework:child_record", args=[child.pk]))

    # A partner may see shared children's summaries, so this (unshared) one is not found; an administrator
    # never sees children's records, so is refused the page before the child is looked up.
    expected = 200 if role in READERS else 404 if role == Role.PARTNER else 403
    assert response.status_code == expected
    outcome = AccessLog.Outcome.VIEWED if role in READERS else AccessLog.Outcome.REFUSED
    assert AccessLog.objects.filter(user=client.user, child_reference=str(child.pk), outcome=outcome).count() == 1


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_casework_pages_by_role(signed_in, record, role, page):
    child, note, document = record
    client = signed_in(role)

    response = client.get(url_for(page, child, note, document))

    assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.parametrize("page", READ_PAGES)
def test_partner_with_a_share_still_cannot_open_casework_pages(signed_in, record, page):
    child, note, document = record
    PartnerShare.objects.create(child=child, agency="police", reason="Joint investigation",
                                shared_on=timezone.localdate())
    client = signed_in(Role.PARTNER)

    assert client.get(reverse("casework:child_record", args=[child.pk])).status_code == 200
    response = client.get(url_for(page, child, note, document))

    assert response.status_code == 403
    assert AccessLog.objects.filter(user=client.user, child_reference=str(child.pk),
                                    outcome=AccessLog.Outcome.REFUSED).count() == 1


@pytest.mark.parametrize("page", RECORD_PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_record_forms_by_role(signed_in, record, role, page):
    child, _, _ = record
    client = signed_in(role)

    response = client.get(url_for(page, child))

    assert response.status_code == (200 if role in RECORDERS else 403)


@pytest.mark.parametrize("role", list(Role))
def test_adding_a_case_note_by_role(signed_in, record, role):
    child, _, _ = record
    client = signed_in(role)
    before = CaseNote.objects.count()

    response = client.post(reverse("casework:note_add", args=[child.pk]), {
        "note_type": "home_visit", "contact_date_0": "2", "contact_date_1": "3", "contact_date_2": "2026",
        "subject": "Visit", "body": "Seen at home.",
    })

    if role in RECORDERS:
        assert response.status_code == 302
        assert CaseNote.objects.count() == before + 1
    else:
        assert response.status_code == 403
        assert CaseNote.objects.count() == before


@pytest.mark.parametrize("role", list(Role))
def test_adding_a_chronology_entry_by_role(signed_in, record, role):
    child, _, _ = record
    client = signed_in(role)

    response = client.post(reverse("casework:chronology_add", args=[child.pk]), {
        "event_date_0": "1", "event_date_1": "2", "event_date_2": "2026", "title": "Mother arrested",
        "significance": "high",
    })

    assert response.status_code == (302 if role in RECORDERS else 403)
    assert ChronologyEntry.objects.filter(child=child).count() == (1 if role in RECORDERS else 0)


@pytest.mark.parametrize("role", list(Role))
def test_uploading_a_document_by_role(signed_in, record, role, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    child, _, _ = record
    client = signed_in(role)
    files_before = sorted(media_root.rglob("*"))

    response = client.post(reverse("casework:documents", args=[child.pk]), {
        "title": "School report", "file": SimpleUploadedFile("report.pdf", b"%PDF-1.4 report"),
    })

    assert response.status_code == (302 if role in RECORDERS else 403)
    assert Document.objects.filter(child=child).count() == (2 if role in RECORDERS else 1)
    if role not in RECORDERS:
        assert sorted(media_root.rglob("*")) == files_before


@pytest.mark.parametrize("role", sorted(RECORDERS))
@pytest.mark.parametrize("is_author", [True, False])
def test_changing_a_case_note_author_or_manager_only(signed_in, record, role, is_author):
    child, _, _ = record
    client = signed_in(role)
    note = CaseNoteFactory(child=child, author=client.user if is_author else CaseNoteFactory().author,
                           subject="Original subject")
    allowed = is_author or role in MANAGERS

    form = client.get(url_for("note_edit", child, note))
    response = client.post(url_for("note_edit", child, note), {
        "version": note.version, "note_type": note.note_type, "contact_date_0": "2", "contact_date_1": "3",
        "contact_date_2": "2026", "subject": "Changed subject", "body": note.body,
    })

    assert form.status_code == (200 if allowed else 403)
    assert response.status_code == (302 if allowed else 403)
    note.refresh_from_db()
    assert note.subject == ("Changed subject" if allowed else "Original subject")
    assert note.version == (2 if allowed else 1)


@pytest.mark.parametrize("role", sorted(READERS - RECORDERS))
def test_readers_who_cannot_record_cannot_change_even_their_own_note(signed_in, record, role):
    child, _, _ = record
    client = signed_in(role)
    note = CaseNoteFactory(child=child, author=client.user, subject="Original")

    response = client.post(url_for("note_edit", child, note), {
        "version": 1, "note_type": note.note_type, "contact_date_0": "2", "contact_date_1": "3",
        "contact_date_2": "2026", "subject": "Changed", "body": "x",
    })

    assert response.status_code == 403
    note.refresh_from_db()
    assert (note.subject, note.version) == ("Original", 1)


PAGES = ["child_record", *READ_PAGES, *RECORD_PAGES, "note_edit"]


@pytest.mark.parametrize("page", PAGES)
def test_restricted_child_is_invisible_without_a_grant(signed_in, record, page):
    child, note, document = record
    child.is_restricted = True
    child.save()
    client = signed_in(Role.SERVICE_MANAGER)

    response = client.get(url_for(page, child, note, document))

    assert response.status_code == 404
    assert AccessLog.objects.filter(user=client.user, child=child, outcome=AccessLog.Outcome.REFUSED).count() == 1
    assert not AccessLog.objects.filter(user=client.user, outcome=AccessLog.Outcome.VIEWED).exists()


@pytest.mark.parametrize("page", PAGES)
def test_restricted_child_is_visible_with_a_grant(signed_in, record, page):
    child, note, document = record
    child.is_restricted = True
    child.save()
    client = signed_in(Role.SERVICE_MANAGER)
    RestrictedAccessGrant.objects.create(child=child, user=client.user)

    response = client.get(url_for(page, child, note, document))

    assert response.status_code == 200


def test_restricted_child_refuses_writes_and_changes_nothing(signed_in, record):
    child, note, _ = record
    child.is_restricted = True
    child.save()
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(reverse("casework:note_add", args=[child.pk]), {
        "note_type": "home_visit", "contact_date_0": "2", "contact_date_1": "3", "contact_date_2": "2026",
        "subject": "Visit", "body": "Seen at home.",
    })

    assert response.status_code == 404
    assert CaseNote.objects.filter(child=child).count() == 1


def test_a_missing_child_and_a_forbidden_child_look_the_same(signed_in, record):
    child, _, _ = record
    child.is_restricted = True
    child.save()
    client = signed_in(Role.SOCIAL_WORKER)

    forbidden = client.get(reverse("casework:child_record", args=[child.pk]))
    missing = client.get(reverse("casework:child_record", args=[child.pk + 1000]))

    assert forbidden.status_code == missing.status_code == 404
    assert _without_csrf(forbidden) == _without_csrf(missing)


def _without_csrf(response) -> str:
    """The page with its per-request CSRF token blanked (the only part that may differ)."""
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_a_note_of_another_child_is_not_found_through_this_child(signed_in, record):
    child, _, _ = record
    other_note = CaseNoteFactory(contact_date=dt.date(2026, 1, 1))
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.get(reverse("casework:note_detail", args=[child.pk, other_note.pk]))

    assert response.status_code == 404
