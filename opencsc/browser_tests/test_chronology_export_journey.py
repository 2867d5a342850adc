"""A social worker writes their analysis of an event in a child's chronology and downloads the chronology
for court as a Word document."""

from __future__ import annotations

import datetime as dt
import io
import re

from docx import Document as WordDocument
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.casework.models import ChronologyAnalysis
from opencsc.casework.tests.factories import ChronologyEntryFactory
from opencsc.people.tests.factories import ChildFactory

from .helpers import save_screenshot, sign_in


def test_a_social_worker_exports_the_chronology_for_court(page, live_server):
    child = ChildFactory(first_name="Leon", last_name="Baptiste", la_child_id="LA-7731",
                         date_of_birth=dt.date(2014, 9, 12))
    worker = UserFactory(role="social_worker", first_name="Grace", last_name="Adeyemi")
    ChronologyEntryFactory(child=child, author=worker, event_date=dt.date(2026, 4, 14),
                           title="Leon excluded from school", significance="high")
    sign_in(page, live_server, worker.username)

    # Given the child's chronology
    page.goto(f"{live_server.url}/children/{child.pk}/chronology/")
    expect(page.get_by_role("cell", name="Leon excluded from school")).to_be_visible()

    # When they add their analysis to the entry
    page.get_by_role("link", name=re.compile(r"Add analysis\W+Leon excluded from school")).click()
    page.get_by_label("Your analysis").fill("The third exclusion this year: school is no longer a safe place.")
    page.get_by_role("button", name="Save analysis").click()
    expect(page.get_by_text("The third exclusion this year")).to_be_visible()
    assert ChronologyAnalysis.objects.get(child=child).author == worker

    # And export the chronology for court as a Word document
    page.get_by_role("link", name="Export for court").click()
    page.get_by_label("The court: social work chronology, with your analysis").check()
    page.get_by_label("Word document").check()
    save_screenshot(page, "chronology_export_form")
    with page.expect_download() as arrived:
        page.get_by_role("button", name="Download the chronology").click()
    download = arrived.value

    # Then the document arrives, with the entry and the analysis in the court layout
    assert download.suggested_filename.startswith("chronology-LA-7731-")
    assert download.suggested_filename.endswith(".docx")
    document = WordDocument(io.BytesIO(open(download.path(), "rb").read()))
    rows = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert rows[0] == ["Date", "Event", "Source", "Significance for the child", "Analysis"]
    assert ["14 Apr 2026", "Leon excluded from school"] == rows[1][:2]
    assert rows[1][4] == "The third exclusion this year: school is no longer a safe place."
