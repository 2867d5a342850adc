"""A social worker records a child going missing, their return and the return home interview."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.missing.models import MissingEpisode, ReturnInterview
from opencsc.people.tests.factories import ChildFactory

from .helpers import fill_date, save_screenshot, sign_in


def test_a_social_worker_records_a_missing_episode_return_and_interview(page, live_server):
    # Given a 15-year-old in care
    worker = UserFactory(role="social_worker")
    today = timezone.localdate()
    child = ChildFactory(first_name="Leah", last_name="Okafor", date_of_birth=today - dt.timedelta(days=15 * 365))
    went, back = today - dt.timedelta(days=3), today - dt.timedelta(days=2)

    # When the worker opens the child's Missing page and records the episode
    sign_in(page, live_server, worker.username)
    page.goto(f"{live_server.url}/children/{child.pk}/missing/")
    expect(page.get_by_text("No missing episodes recorded.")).to_be_visible()
    page.get_by_role("link", name="Record a missing episode").click()
    page.get_by_label("Missing", exact=True).check()
    page.get_by_label("Care placement").check()
    fill_date(page, "Date the child went missing", went, exact=True)
    page.get_by_label("Time the child went missing").fill("21:30")
    page.get_by_label("Reported to the police").check()
    page.get_by_label("Police reference").fill("MPS/26/4411")
    page.get_by_role("button", name="Save missing episode").click()
    expect(page.get_by_text("Missing episode recorded")).to_be_visible()
    expect(page.get_by_text("Still missing")).to_be_visible()

    # And she is on the authority's list of children missing now
    page.goto(f"{live_server.url}/missing/")
    expect(page.get_by_role("link", name="Leah Okafor")).to_be_visible()
    page.get_by_role("link", name="Leah Okafor").click()

    # And records her return, first with a return before she went missing (refused)
    page.get_by_role("link", name="Record return").click()
    fill_date(page, "Date the child returned or was found", went - dt.timedelta(days=1), exact=True)
    page.get_by_label("Time the child returned").fill("07:15")
    page.get_by_label("Where the child was found or returned to").fill("Found by police in Slough")
    page.get_by_role("button", name="Save return").click()
    expect(page.get_by_role("link", name="must be after they went missing")).to_be_visible()
    assert MissingEpisode.objects.get().ended_at is None
    fill_date(page, "Date the child returned or was found", back, exact=True)
    page.get_by_role("button", name="Save return").click()
    expect(page.get_by_text("Return recorded")).to_be_visible()

    # And the return home interview, offered the same day and held the next
    page.get_by_role("link", name="Record interview").click()
    fill_date(page, "Date the interview was offered", back, exact=True)
    page.get_by_label("Time it was offered").fill("12:00")
    page.get_by_label("Accepted", exact=True).check()
    fill_date(page, "Date the interview took place", back + dt.timedelta(days=1), exact=True)
    page.get_by_label("Time it took place").fill("16:00")
    page.get_by_label("Who carried it out").fill("Ana Cole")
    page.get_by_role("button", name="Save return home interview").click()
    expect(page.get_by_text("Return home interview recorded")).to_be_visible()
    save_screenshot(page, "missing_journey")

    # Then the interview is shown as within 72 hours
    expect(page.get_by_text("Within 72 hours")).to_be_visible()
    assert ReturnInterview.objects.get().interviewer == "Ana Cole"
