"""The chronology for court and for the family (PDF and Word), and the worker's analysis of an entry."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument

from opencsc.accounts.models import AccessLog
from opencsc.accounts.roles import Role
from opencsc.casework.models import ChronologyAnalysis
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory

from .factories import CaseNoteFactory, ChronologyEntryFactory


@pytest.fixture
def child(db):
    return ChildFactory(first_name="Amira", last_name="Hussain", la_child_id="LA-0042",
                        date_of_birth=dt.date(2015, 6, 1))


@pytest.fixture
def history(child, make_user):
    author = make_user(Role.SOCIAL_WORKER, first_name="Priya", last_name="Shah")
    ChronologyEntryFactory(child=child, author=author, event_date=dt.date(2026, 2, 1),
                           title="Police called to the home", detail="Neighbours heard shouting.",
                           significance="high")
    ChronologyEntryFactory(child=child, author=author, event_date=dt.date(2025, 12, 24), title="Moved school")
    CaseNoteFactory(child=child, author=author, contact_date=dt.date(2026, 3, 2), subject="Home visit in March")
    return child


def export_url(child, **params):
    query = {"audience": "court", "format": "docx", "significant": "no", "kinds": ["manual", "case_note"]}
    query.update(params)
    return reverse("casework:chronology_export", args=[child.pk]), query


def download(client, child, **params):
    url, query = export_url(child, **params)
    return client.get(url, query)


def word_rows(content: bytes) -> list[list[str]]:
    document = WordDocument(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for row in document.tables[1].rows]


def word_text(content: bytes) -> str:
    document = WordDocument(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_pages(content: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", content))


def pdf_text(content: bytes) -> str:
    """The text drawn on the PDF's pages (reportlab's page streams are ASCII85 and Flate encoded)."""
    drawn = []
    for body in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = body.strip()
        data = base64.a85decode(data.removesuffix(b"~>").removeprefix(b"<~"))
        drawn += re.findall(rb"\((.*?)\) Tj", zlib.decompress(data))
    return "\n".join(d.decode("latin-1") for d in drawn)


def analysis_url(child, kind, source_id, seq=0):
    return reverse("casework:chronology_analysis", args=[child.pk, kind, source_id, seq])


def note_key(child):
    note = child.case_notes.get()
    return "case_note", note.pk, 0


# --- The form -----------------------------------------------------------------------------------


def test_the_form_offers_every_kind_the_reader_may_see_all_chosen(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.get(reverse("casework:chronology_export", args=[history.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields["kinds"].initial) == {k for k, _ in form.fields["kinds"].choices}
    assert {"manual", "case_note"} <= set(form.fields["kinds"].initial)
    assert b"Export the chronology" in response.content


def test_the_chronology_page_links_to_the_export(signed_in, history):
    response = signed_in(Role.AUDITOR).get(reverse("casework:chronology", args=[history.pk]))

    assert reverse("casework:chronology_export", args=[history.pk]).encode() in response.content
    assert b"Add analysis" not in response.content  # an auditor may not record


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from_0": "2", "date_from_1": "3", "date_from_2": "2026",
          "date_to_0": "1", "date_to_1": "3", "date_to_2": "2026"},
         "date_to", "Date to must be the same as or after date from"),
        ({"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"}, "date_from", "Date from must be a real date"),
        ({"date_to_0": "1", "date_to_1": "", "date_to_2": "2026"}, "date_to", "Date to must include a month"),
        ({"date_from_0": "1", "date_from_1": "1", "date_from_2": "2999"}, "date_from",
         "Date from must be today or in the past"),
        ({"kinds": []}, "kinds", "Select at least one kind of event"),
        ({"kinds": ["not_a_kind"]}, "kinds", "Select kinds of event from the list"),
        ({"format": ""}, "format", "Select a format"),
        ({"format": "xls"}, "format", "Select a format"),
        ({"audience": ""}, "audience", "Select who the chronology is for"),
        ({"significant": ""}, "significant", "Select whether to include all events or significant events only"),
    ],
)
def test_the_form_explains_what_is_wrong(signed_in, history, params, field, message):
    client = signed_in(Role.SOCIAL_WORKER)
    before = AuditEvent.objects.count()

    response = download(client, history, **params)

    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert message in response.context["form"].errors[field][0]
    assert AuditEvent.objects.count() == before


# --- Word ---------------------------------------------------------------------------------------


def test_word_for_court_in_the_care_proceedings_layout(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER, first_name="Sam", last_name="Okafor")
    ChronologyAnalysis.objects.create(child=history, kind="case_note", source_id=note_key(history)[1], seq=0,
                                      text="Shows the home is calmer since the plan began.", author=client.user)

    response = download(client, history)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert response["Content-Disposition"] == f'attachment; filename="chronology-LA-0042-{timezone.localdate():%Y-%m-%d}.docx"'
    assert "no-store" in response["Cache-Control"]
    rows = word_rows(response.content)
    assert rows[0] == ["Date", "Event", "Source", "Significance for the child", "Analysis"]
    body = [row for row in rows[1:] if row[1] != ""]
    by_title = {row[1]: row for row in body}
    assert [row[0] for row in body][:3] == ["24 Dec 2025", "1 Feb 2026", "2 Mar 2026"]  # oldest first
    assert by_title["Police called to the home"][3] == "Significant\nNeighbours heard shouting."
    assert "Priya Shah" in by_title["Police called to the home"][2]
    assert by_title["Home visit in March"][4] == "Shows the home is calmer since the plan began."
    text = word_text(response.content)
    assert "Social work chronology" in text
    assert "Amira Hussain" in text and "1 Jun 2015" in text and "LA-0042" in text
    assert f"Produced by Sam Okafor on {timezone.localdate():%-d %b %Y}" in text


def test_the_date_range_and_kinds_choose_the_entries(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER)

    response = download(client, history, kinds=["manual"], date_from_0="1", date_from_1="1", date_from_2="2026",
                        date_to_0="28", date_to_1="2", date_to_2="2026")

    text = word_text(response.content)
    assert "Police called to the home" in text
    assert "Moved school" not in text  # before the period
    assert "Home visit in March" not in text  # after it, and not a chosen kind
    assert "1 Jan 2026 to 28 Feb 2026" in text


def test_significant_only(signed_in, history):
    response = download(signed_in(Role.SOCIAL_WORKER), history, significant="yes")

    rows = word_rows(response.content)[1:]
    assert [row[1] for row in rows] == ["Police called to the home"]  # not the home visit, nor the school move
    assert all(row[3].startswith("Significant") for row in rows)
    assert "significant events only" in word_text(response.content)


def test_the_family_version_has_no_analysis_and_no_worker_names(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER, first_name="Sam", last_name="Okafor")
    ChronologyAnalysis.objects.create(child=history, kind="case_note", source_id=note_key(history)[1], seq=0,
                                      text="A private professional view.", author=client.user)

    response = download(client, history, audience="family")

    assert response["Content-Disposition"].startswith('attachment; filename="family-chronology-LA-0042-')
    rows = word_rows(response.content)
    assert rows[0] == ["Date", "What happened", "Type of record", "Why it matters"]
    text = word_text(response.content)
    assert "Your family's chronology" in text
    assert "Police called to the home" in text
    for hidden in ("A private professional view.", "Priya Shah", "Sam Okafor", "Analysis"):
        assert hidden not in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_pasted_control_characters_do_not_stop_the_download(signed_in, child, make_user, fmt):
    client = signed_in(Role.SOCIAL_WORKER)
    ChronologyEntryFactory(child=child, author=client.user, event_date=dt.date(2025, 1, 1), title="Pasted\x0bnote",
                           detail="Line one\r\nLine two\x1f")  # no NUL: PostgreSQL stores none

    response = download(client, child, format=fmt)

    assert response.status_code == 200
    if fmt == "docx":
        rows = word_rows(response.content)
        assert rows[1][1] == "Pastednote"
        assert rows[1][3] == "Line one\nLine two"


def test_an_empty_period_still_downloads(signed_in, history):
    response = download(signed_in(Role.SOCIAL_WORKER), history, date_to_0="1", date_to_1="1", date_to_2="2000")

    assert "No events in this period." in word_text(response.content)


def test_the_download_is_logged_and_audited(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER)

    download(client, history, format="pdf", kinds=["manual"])

    view = AccessLog.objects.filter(user=client.user, child=history, outcome="viewed").latest("id")
    assert view.path.startswith(reverse("casework:chronology_export", args=[history.pk]))
    assert "format=pdf" in view.path
    event = AuditEvent.objects.filter(child=history, action=AuditEvent.Action.OTHER).latest("id")
    assert event.actor == client.user
    assert event.summary == "Chronology exported for court (PDF, 2 entries)"
    assert event.changes["kinds"] == [None, ["manual"]]


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_for_court(signed_in, history):
    response = download(signed_in(Role.SOCIAL_WORKER), history, format="pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response.content.startswith(b"%PDF")
    assert pdf_pages(response.content) == 1
    text = pdf_text(response.content)
    for shown in ("Social work chronology", "Amira Hussain", "LA-0042", "Police called to the home",
                  "Moved school", "Home visit in March", "Significance for the child", "Page 1 of 1"):
        assert shown in text


def test_a_long_history_runs_over_several_pages(signed_in, child, make_user):
    author = make_user(Role.SOCIAL_WORKER)
    for n in range(60):
        ChronologyEntryFactory(child=child, author=author, event_date=dt.date(2025, 1, 1) + dt.timedelta(days=n),
                               title=f"Event {n}", detail="A paragraph of what happened. " * 4)

    response = download(signed_in(Role.SOCIAL_WORKER), child, format="pdf")

    pages = pdf_pages(response.content)
    assert pages > 1
    text = pdf_text(response.content)
    assert text.count("Significance for the child") == pages  # the header row on every page
    assert [f"Page {n} of {pages}" in text for n in range(1, pages + 1)] == [True] * pages
    rows = word_rows(download(signed_in(Role.SOCIAL_WORKER), child).content)
    assert len(rows) == 61


def test_an_entry_longer_than_a_page_runs_on_to_the_next(signed_in, child, make_user):
    client = signed_in(Role.SOCIAL_WORKER)
    ChronologyEntryFactory(child=child, author=client.user, event_date=dt.date(2025, 1, 1),
                           title="Strategy <discussion> & outcome", detail="What was said at the meeting. " * 300)
    note = CaseNoteFactory(child=child, author=client.user, contact_date=dt.date(2025, 1, 2))
    ChronologyAnalysis.objects.create(child=child, kind="case_note", source_id=note.pk, seq=0,
                                      text="A long analysis. " * 290, author=client.user)

    response = download(client, child, format="pdf")

    assert response.status_code == 200
    assert pdf_pages(response.content) > 2
    text = pdf_text(response.content)
    assert "Strategy <" in text and "> & outcome" in text  # shown as typed (drawn in pieces around the marks)
    assert "A long analysis." in text


# --- Who may export -----------------------------------------------------------------------------


def test_a_child_the_user_cannot_see_is_not_found(signed_in, history):
    history.is_restricted = True
    history.save()
    before = AuditEvent.objects.count()

    response = download(signed_in(Role.SOCIAL_WORKER), history)

    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_partner_is_refused(signed_in, history):
    assert download(signed_in(Role.PARTNER), history).status_code == 403


def test_a_read_only_role_may_export(signed_in, history):
    response = download(signed_in(Role.AUDITOR), history)

    assert response.status_code == 200
    assert "Police called to the home" in word_text(response.content)


def test_the_export_holds_only_what_the_reader_is_given(signed_in, history, monkeypatch):
    """Whatever chronology_for leaves out is not in the document, and nothing says it was left out."""
    from opencsc.casework import selectors

    real = selectors.chronology_for

    def without_the_police(**kwargs):
        return [item for item in real(**kwargs) if item.title != "Police called to the home"]

    monkeypatch.setattr(selectors, "chronology_for", without_the_police)
    text = word_text(download(signed_in(Role.SOCIAL_WORKER), history).content)

    assert "Police called to the home" not in text
    assert "Neighbours heard shouting" not in text
    assert "left out" not in text.lower() and "restricted" not in text.lower() and "withheld" not in text.lower()


# --- The worker's analysis ----------------------------------------------------------------------


def test_a_worker_adds_analysis_to_an_entry(signed_in, history):
    client = signed_in(Role.SOCIAL_WORKER)
    kind, source_id, seq = note_key(history)
    page = client.get(reverse("casework:chronology", args=[history.pk]))
    assert analysis_url(history, kind, source_id, seq).encode() in page.content

    form = client.get(analysis_url(history, kind, source_id, seq))
    assert b"Home visit in March" in form.content
    response = client.post(analysis_url(history, kind, source_id, seq),
                           {"text": "  Mother engaged well.  ", "version": "0"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#entry-{kind}-{source_id}-{seq}")
    analysis = ChronologyAnalysis.objects.get(child=history)
    assert (analysis.kind, analysis.source_id, analysis.seq, analysis.text) == (kind, source_id, seq,
                                                                              "Mother engaged well.")
    assert analysis.author == client.user
    assert AuditEvent.objects.filter(action="created", object_id=str(analysis.pk),
                                     summary="Analysis added to a chronology entry").exists()
    page = client.get(reverse("casework:chronology", args=[history.pk]))
    assert b"Mother engaged well." in page.content
    assert b"Change analysis" in page.content


def test_a_worker_changes_an_analysis_with_history(signed_in, history, make_user):
    client = signed_in(Role.SOCIAL_WORKER)
    kind, source_id, seq = note_key(history)
    analysis = ChronologyAnalysis.objects.create(child=history, kind=kind, source_id=source_id, seq=seq,
                                                 text="First view.", author=make_user(Role.SOCIAL_WORKER))
    form = client.get(analysis_url(history, kind, source_id, seq))
    assert form.context["form"].initial == {"text": "First view.", "version": 1}

    response = client.post(analysis_url(history, kind, source_id, seq), {"text": "Second view.", "version": "1"})

    assert response.status_code == 302
    analysis.refresh_from_db()
    assert (analysis.text, analysis.version, analysis.author) == ("Second view.", 2, client.user)
    event = AuditEvent.objects.filter(action="updated", object_id=str(analysis.pk)).get()
    assert event.changes["text"] == ["First view.", "Second view."]


@pytest.mark.parametrize("posted_version", ["0", "1"])
def test_a_stale_analysis_is_refused_with_what_was_typed_kept(signed_in, history, make_user, posted_version):
    client = signed_in(Role.SOCIAL_WORKER)
    kind, source_id, seq = note_key(history)
    analysis = ChronologyAnalysis.objects.create(child=history, kind=kind, source_id=source_id, seq=seq,
                                                 text="Someone else's view.", author=make_user(Role.SOCIAL_WORKER),
                                                 version=2)

    response = client.post(analysis_url(history, kind, source_id, seq),
                           {"text": "My view.", "version": posted_version})

    assert response.status_code == 200
    assert b"My view." in response.content
    analysis.refresh_from_db()
    assert (analysis.text, analysis.version) == ("Someone else's view.", 2)


def test_an_empty_analysis_is_refused(signed_in, history):
    kind, source_id, seq = note_key(history)

    response = signed_in(Role.SOCIAL_WORKER).post(analysis_url(history, kind, source_id, seq),
                                                   {"text": "   ", "version": "0"})

    assert response.status_code == 200
    assert "Enter your analysis" in str(response.content)
    assert not ChronologyAnalysis.objects.exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PERFORMANCE_ANALYST])
def test_a_read_only_role_cannot_write_analysis(signed_in, history, role):
    kind, source_id, seq = note_key(history)
    client = signed_in(role)
    before = AuditEvent.objects.count()

    response = client.post(analysis_url(history, kind, source_id, seq), {"text": "A view.", "version": "0"})

    assert response.status_code == 403
    assert not ChronologyAnalysis.objects.exists()
    assert AuditEvent.objects.count() == before


def test_analysis_of_a_child_the_user_cannot_see_is_not_found(signed_in, history):
    kind, source_id, seq = note_key(history)
    history.is_restricted = True
    history.save()

    response = signed_in(Role.SOCIAL_WORKER).post(analysis_url(history, kind, source_id, seq),
                                                  {"text": "A view.", "version": "0"})

    assert response.status_code == 404
    assert not ChronologyAnalysis.objects.exists()


@pytest.mark.parametrize("which", ["another kind", "another record", "another seq", "another child's note"])
def test_analysis_of_an_entry_not_in_the_childs_chronology_is_not_found(signed_in, history, which):
    kind, source_id, seq = note_key(history)
    other = CaseNoteFactory(child=ChildFactory()).pk
    key = {"another kind": ("visit", source_id, seq), "another record": (kind, source_id + 1000, seq),
           "another seq": (kind, source_id, 7), "another child's note": (kind, other, seq)}[which]

    response = signed_in(Role.SOCIAL_WORKER).post(analysis_url(history, *key), {"text": "A view.", "version": "0"})

    assert response.status_code == 404
    assert not ChronologyAnalysis.objects.exists()

