"""Journeys through a child's record: find, read, record a case note, and the access rules."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.casework.models import CaseNote
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory

from .helpers import save_screenshot, sign_in


def make_child(first_name="Amelia", last_name="Featherstone", **kwargs):
    return ChildFactory(first_name=first_name, last_name=last_name, **search_keys(first_name, last_name), **kwargs)


@pytest.fixture
def worker(page, live_server):
    """A social worker, signed in."""
    user = UserFactory(role="social_worker")
    sign_in(page, live_server, user.username)
    return user


def fill_case_note(page, *, contact_date: dt.date, subject: str, body: str, child_seen: bool = True):
    page.get_by_label("Type").select_option(label="Home visit")
    date_group = page.get_by_role("group", name=re.compile("Date of contact"))
    date_group.get_by_label("Day").fill(str(contact_date.day))
    date_group.get_by_label("Month").fill(str(contact_date.month))
    date_group.get_by_label("Year").fill(str(contact_date.year))
    page.get_by_label("Subject").fill(subject)
    page.get_by_label("Note", exact=True).fill(body)
    if child_seen:
        page.get_by_label("Child seen", exact=True).check()


def test_find_a_child_with_a_misspelt_surname_and_open_their_record(page, live_server, worker):
    # Given a child, and a signed-in social worker on the home page
    child = make_child()
    save_screenshot(page, "home_page")

    # When they search for a misspelt surname
    page.goto(f"{live_server.url}/children/")
    page.locator("input[name=q]").fill("Fetherston")
    page.get_by_role("button", name="Search").click()

    # Then the results table shows the child
    results = page.locator("table.govuk-table")
    expect(results).to_contain_text("Amelia Featherstone")

    # When they click the child's name
    results.get_by_role("link", name="Amelia Featherstone").click()

    # Then the record page names the child in its main heading
    expect(page).to_have_url(f"{live_server.url}/children/{child.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amelia Featherstone")
    save_screenshot(page, "child_record")


def test_add_a_case_note_from_the_record_and_see_it_in_the_chronology(page, live_server, worker):
    # Given a child's record
    child = make_child()
    page.goto(f"{live_server.url}/children/{child.pk}/")

    # When the social worker adds a case note of a home visit yesterday
    page.get_by_role("link", name="Add a case note").click()
    expect(page).to_have_url(f"{live_server.url}/children/{child.pk}/notes/add/")
    contact_date = timezone.localdate() - dt.timedelta(days=1)
    fill_case_note(page, contact_date=contact_date, subject="Home visit: Amelia in good spirits",
                   body="Saw Amelia at home with her mother. Her room was tidy.")
    page.get_by_role("button", name="Save case note").click()

    # Then it is saved, and the chronology shows it
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Case note added")
    assert CaseNote.objects.filter(child=child, subject="Home visit: Amelia in good spirits").count() == 1
    page.goto(f"{live_server.url}/children/{child.pk}/chronology/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#main-content")).to_contain_text("Home visit: Amelia in good spirits")


def test_a_future_date_of_contact_is_refused_and_the_typed_subject_is_kept(page, live_server, worker):
    # Given the add-a-case-note page for a child
    child = make_child()
    page.goto(f"{live_server.url}/children/{child.pk}/notes/add/")

    # When the social worker gives a date of contact in the future
    future = timezone.localdate() + dt.timedelta(days=30)
    fill_case_note(page, contact_date=future, subject="Planned visit", body="Visit planned next month.")
    page.get_by_role("button", name="Save case note").click()

    # Then the error summary shows, linking to the date, with the subject still filled in
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page.get_by_label("Subject")).to_have_value("Planned visit")
    expect(page.get_by_label("Note", exact=True)).to_have_value("Visit planned next month.")
    # And no case note was saved
    assert CaseNote.objects.filter(child=child).count() == 0


def test_a_partner_agency_user_sees_nothing_of_an_unshared_child(page, live_server):
    # Given a child whose record has not been shared, and a police user signed in
    child = make_child(first_name="Noah", last_name="Quartermaine")
    police = UserFactory(role="partner", agency="police")
    sign_in(page, live_server, police.username)

    for path, status, heading in (
        (f"/children/{child.pk}/", 404, "Page not found"),  # a summary partners may see, once shared
        (f"/children/{child.pk}/chronology/", 403, "You cannot do this"),  # pages partners never use
        (f"/children/{child.pk}/notes/add/", 403, "You cannot do this"),
    ):
        # When they go to the child's pages
        response = page.goto(f"{live_server.url}{path}")

        # Then they are refused, and see nothing about the child
        assert response.status == status, path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("body")).not_to_contain_text("Quartermaine")
    # And nothing was recorded against the child
    assert CaseNote.objects.filter(child=child).count() == 0
