"""Documents: uploads are checked before anything is stored, and downloads go through the access check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.casework.models import Document
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory

from . import files
from .conftest import files_under
from .factories import DocumentFactory


@pytest.fixture
def child(db):
    return ChildFactory()


def upload(client, child, name="report.pdf", content=b"%PDF-1.4 report", title="Initial assessment"):
    return client.post(reverse("casework:documents", args=[child.pk]),
                       {"title": title, "file": SimpleUploadedFile(name, content)})


def test_uploading_stores_the_file_under_a_random_name_and_audits_it(signed_in, child, media_root):
    client = signed_in(Role.SOCIAL_WORKER)

    response = upload(client, child, name="Amara's assessment.PDF")

    assert response.status_code == 302
    document = Document.objects.get(child=child)
    assert (document.title, document.original_name, document.size_bytes, document.content_type) == (
        "Initial assessment", "Amara's assessment.PDF", 15, "application/pdf")
    stored = files_under(media_root)
    assert len(stored) == 1
    assert "Amara" not in stored[0].name and stored[0].suffix == ".pdf"
    assert AuditEvent.objects.filter(child=child, action=AuditEvent.Action.CREATED).count() == 1


@pytest.mark.parametrize("name", sorted(files.GOOD))
def test_allowed_types(signed_in, child, name):
    response = upload(signed_in(Role.SOCIAL_WORKER), child, name=name, content=files.GOOD[name][0])

    assert response.status_code == 302
    assert Document.objects.filter(child=child).count() == 1


@pytest.mark.parametrize("name", ["a.exe", "a.html", "a.svg", "a.js", "a.zip", "a.pdf.exe", "noextension", "a."])
def test_other_types_are_refused_and_nothing_is_stored(signed_in, child, media_root, name):
    response = upload(signed_in(Role.SOCIAL_WORKER), child, name=name)

    assert response.status_code == 200
    assert "The selected file must be a PDF, Word document, text file or image" in response.content.decode()
    assert Document.objects.count() == 0
    assert files_under(media_root) == []
    assert AuditEvent.objects.count() == 0


def test_a_file_over_twenty_megabytes_is_refused_and_nothing_is_stored(signed_in, child, media_root, settings):
    assert settings.OPENCSC_MAX_UPLOAD_BYTES == 20 * 1024 * 1024

    response = upload(signed_in(Role.SOCIAL_WORKER), child, content=b"x" * (20 * 1024 * 1024 + 1))

    assert response.status_code == 200
    assert "The selected file must be smaller than 20MB" in response.content.decode()
    assert Document.objects.count() == 0
    assert files_under(media_root) == []


@override_settings(OPENCSC_MAX_UPLOAD_BYTES=100)
def test_the_size_limit_comes_from_settings(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)

    exactly = upload(client, child, content=b"%PDF-" + b"x" * 95)
    over = upload(client, child, content=b"%PDF-" + b"x" * 96)

    assert exactly.status_code == 302
    assert over.status_code == 200
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    ("title", "name", "content", "message"),
    [
        ("", "a.pdf", b"x", "Enter a title for the document"),
        ("Letter", "a.pdf", b"", "The selected file is empty"),
    ],
)
def test_other_refusals_store_nothing(signed_in, child, media_root, title, name, content, message):
    response = upload(signed_in(Role.SOCIAL_WORKER), child, name=name, content=content, title=title)

    assert message in response.content.decode()
    assert Document.objects.count() == 0
    assert files_under(media_root) == []


def test_no_file_chosen(signed_in, child):
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(reverse("casework:documents", args=[child.pk]), {"title": "Letter"})

    assert "Select a file" in response.content.decode()
    assert Document.objects.count() == 0


def test_a_failure_while_saving_leaves_no_file_behind(signed_in, child, media_root, monkeypatch):
    from opencsc.casework import services

    def broken_audit(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit", broken_audit)
    client = signed_in(Role.SOCIAL_WORKER)
    client.raise_request_exception = True

    with pytest.raises(RuntimeError):
        upload(client, child)

    assert Document.objects.count() == 0
    assert files_under(media_root) == []


def test_download_streams_the_file_as_an_attachment(signed_in, child):
    client = signed_in(Role.AUDITOR)
    document = DocumentFactory(child=child, original_name="minutes.pdf", content_type="application/pdf")

    response = client.get(reverse("casework:document_download", args=[child.pk, document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "minutes.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_download_of_another_childs_document_is_not_found(signed_in, child):
    other = DocumentFactory()
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.get(reverse("casework:document_download", args=[child.pk, other.pk]))

    assert response.status_code == 404


def test_download_of_a_restricted_childs_document_is_refused(signed_in):
    child = ChildFactory(is_restricted=True)
    document = DocumentFactory(child=child)
    client = signed_in(Role.SERVICE_MANAGER)

    response = client.get(reverse("casework:document_download", args=[child.pk, document.pk]))

    assert response.status_code == 404


def test_documents_are_never_linked_through_media_url(signed_in, child, settings):
    settings.MEDIA_URL = "/media/"
    document = DocumentFactory(child=child)

    html = signed_in(Role.SOCIAL_WORKER).get(reverse("casework:documents", args=[child.pk])).content.decode()

    assert reverse("casework:document_download", args=[child.pk, document.pk]) in html
    assert "/media/" not in html
    assert document.file.name not in html


def test_readers_who_cannot_record_see_no_upload_form(signed_in, child):
    html = signed_in(Role.AUDITOR).get(reverse("casework:documents", args=[child.pk])).content.decode()

    assert "Upload a document" not in html
    assert "No documents yet" in html
