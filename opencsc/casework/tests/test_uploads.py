"""Uploads are checked by their content, not their name, and scanned by clamd when one is configured."""

from __future__ import annotations

import socket
import struct
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.casework import uploads
from opencsc.casework.models import Document
from opencsc.core.models import AuditEvent

from . import files
from .conftest import files_under


def upload(client, child, name, content, title="Letter"):
    return client.post(reverse("casework:documents", args=[child.pk]),
                       {"title": title, "file": SimpleUploadedFile(name, content)})


def assert_nothing_stored(media_root):
    assert Document.objects.count() == 0
    assert files_under(media_root) == []


@pytest.mark.parametrize("name", sorted(files.GOOD))
def test_each_allowed_type_is_recognised_and_stored_with_its_detected_type(signed_in, child, media_root, name):
    content, kind = files.GOOD[name]

    response = upload(signed_in(Role.SOCIAL_WORKER), child, name, content)

    assert response.status_code == 302
    document = Document.objects.get(child=child)
    assert document.detected_type == kind
    assert document.content_type == uploads.TYPES[kind].content_type
    assert len(files_under(media_root)) == 1


@pytest.mark.parametrize("what", sorted(files.BAD))
def test_files_that_are_not_what_they_say_are_refused_and_nothing_changes(signed_in, child, media_root, what):
    name, content = files.BAD[what]
    client = signed_in(Role.SOCIAL_WORKER)
    events = AuditEvent.objects.count()

    response = upload(client, child, name, content)

    assert response.status_code == 200
    html = response.content.decode()
    assert uploads.NOT_ALLOWED in html or "but its name ends in" in html
    assert_nothing_stored(media_root)
    assert AuditEvent.objects.count() == events


def test_a_windows_program_renamed_setup_pdf_gets_the_clear_message(signed_in, child, media_root):
    response = upload(signed_in(Role.SOCIAL_WORKER), child, "setup.pdf", files.EXE)

    assert ("The selected file must be a PDF, Word document, text file or image. "
            "The file you chose is not one of these.") in response.content.decode()
    assert_nothing_stored(media_root)


NAME_AND_CONTENT = [
    ("photo.pdf", files.image("PNG"), "The selected file is a PNG image, but its name ends in .pdf. "
                                      "Choose a PDF or rename the file."),
    ("report.docx", files.PDF, "The selected file is a PDF, but its name ends in .docx."),
    ("photo.png", files.image("JPEG"), "The selected file is a JPEG image, but its name ends in .png."),
    ("plan.pdf", files.odt(), "The selected file is an OpenDocument text, but its name ends in .pdf."),
    ("report.exe", files.PDF, uploads.NOT_ALLOWED),
    ("report", files.PDF, uploads.NOT_ALLOWED),
]


# Named by the file's name alone: the same test ids in every xdist worker, whatever the bytes.
@pytest.mark.parametrize(("name", "content", "message"), NAME_AND_CONTENT, ids=[c[0] for c in NAME_AND_CONTENT])
def test_the_name_must_agree_with_the_content(signed_in, child, media_root, name, content, message):
    response = upload(signed_in(Role.SOCIAL_WORKER), child, name, content)

    assert message in response.content.decode()
    assert_nothing_stored(media_root)


@pytest.mark.parametrize(("kind", "content_type"), [
    ("pdf", "application/pdf"), ("png", "image/png"), ("txt", "text/plain; charset=utf-8"),
    ("", "application/octet-stream"),  # uploaded before contents were checked
])
def test_downloads_are_served_as_the_detected_type_as_an_attachment_never_sniffed(signed_in, child, kind,
                                                                                   content_type):
    from .factories import DocumentFactory

    document = DocumentFactory(child=child, detected_type=kind, content_type="text/html")

    response = signed_in(Role.SOCIAL_WORKER).get(
        reverse("casework:document_download", args=[child.pk, document.pk]))

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- clamd ----------------------------------------------------------------------------------------

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    """A clamd on a loopback socket that answers INSTREAM: FOUND for files holding the EICAR test
    string, OK otherwise (or always `answer`), and remembers what it was sent."""

    def __init__(self, family=socket.AF_INET, address=("127.0.0.1", 0), answer=None):
        self.server = socket.socket(family, socket.SOCK_STREAM)
        self.server.bind(address)
        self.server.listen(4)
        self.address = self.server.getsockname()
        self.answer = answer
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read_exactly(self, conn, n):
        data = b""
        while len(data) < n:
            part = conn.recv(n - len(data))
            if not part:
                raise ConnectionError
            data += part
        return data

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                try:
                    assert self._read_exactly(conn, 10) == b"zINSTREAM\0"
                    body = b""
                    while size := struct.unpack("!L", self._read_exactly(conn, 4))[0]:
                        body += self._read_exactly(conn, size)
                except (ConnectionError, AssertionError):
                    continue
                self.received.append(body)
                answer = self.answer or (b"stream: Eicar-Test-Signature FOUND" if EICAR in body else b"stream: OK")
                conn.sendall(answer + b"\0")

    def close(self):
        self.server.close()


@pytest.fixture
def clamd(settings):
    server = FakeClamd()
    settings.OPENCSC_CLAMD_HOST, settings.OPENCSC_CLAMD_PORT = server.address
    settings.OPENCSC_CLAMD_TIMEOUT = 5
    yield server
    server.close()


def test_a_clean_file_is_scanned_whole_and_stored(signed_in, child, clamd):
    content = files.PDF + b"%" + b"x" * 200_000 + b"\n"  # more than one INSTREAM chunk

    response = upload(signed_in(Role.SOCIAL_WORKER), child, "report.pdf", content)

    assert response.status_code == 302
    assert clamd.received == [content]
    assert Document.objects.count() == 1


def test_an_infected_file_is_refused_and_the_refusal_audited(signed_in, child, media_root, clamd):
    client = signed_in(Role.SOCIAL_WORKER)

    response = upload(client, child, "note.txt", EICAR)

    assert "The selected file contains a virus. It has not been uploaded." in response.content.decode()
    assert_nothing_stored(media_root)
    event = AuditEvent.objects.get()
    assert (event.actor, event.child, event.action) == (client.user, child, AuditEvent.Action.OTHER)
    assert event.changes == {"original_name": [None, "note.txt"], "virus": [None, "Eicar-Test-Signature"]}


@pytest.mark.parametrize("answer", [b"INSTREAM size limit exceeded. ERROR", b"", b"nonsense"])
def test_a_file_clamd_cannot_check_is_refused(signed_in, child, media_root, settings, answer):
    server = FakeClamd(answer=answer or b" ")
    settings.OPENCSC_CLAMD_HOST, settings.OPENCSC_CLAMD_PORT = server.address
    try:
        response = upload(signed_in(Role.SOCIAL_WORKER), child, "report.pdf", files.PDF)
    finally:
        server.close()

    assert uploads.UNCHECKED in response.content.decode()
    assert_nothing_stored(media_root)
    assert AuditEvent.objects.count() == 0


def test_an_unreachable_clamd_refuses_the_upload(signed_in, child, media_root, settings):
    spare = socket.socket()
    spare.bind(("127.0.0.1", 0))
    settings.OPENCSC_CLAMD_HOST, settings.OPENCSC_CLAMD_PORT = spare.getsockname()
    spare.close()  # nothing listens there now

    response = upload(signed_in(Role.SOCIAL_WORKER), child, "report.pdf", files.PDF)

    assert "The selected file could not be checked for viruses" in response.content.decode()
    assert_nothing_stored(media_root)


def test_clamd_on_a_unix_socket(signed_in, child, settings, tmp_path):
    server = FakeClamd(socket.AF_UNIX, str(tmp_path / "clamd.sock"))
    settings.OPENCSC_CLAMD_SOCKET = server.address
    try:
        clean = upload(signed_in(Role.SOCIAL_WORKER), child, "report.pdf", files.PDF)
    finally:
        server.close()

    assert clean.status_code == 302
    assert server.received == [files.PDF]


def test_without_clamd_configured_nothing_is_scanned(signed_in, child, settings, monkeypatch):
    assert not settings.OPENCSC_CLAMD_SOCKET and not settings.OPENCSC_CLAMD_HOST

    def no_network(*args, **kwargs):
        raise AssertionError("no clamd is configured: nothing should connect")

    monkeypatch.setattr(uploads, "_connect", no_network)

    assert upload(signed_in(Role.SOCIAL_WORKER), child, "note.txt", EICAR).status_code == 302
