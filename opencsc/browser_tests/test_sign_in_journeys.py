"""Journeys at the front of the service: signing in, the error summary, the skip link."""

from __future__ import annotations

import re

from django.conf import settings
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory

from .helpers import PASSWORD, sign_in


def test_a_social_worker_signs_in_and_lands_on_my_work_with_the_authority_name(page, live_server):
    # Given a social worker with a password
    user = UserFactory(role="social_worker", username="sam.worker")

    # When they sign in through the real form
    sign_in(page, live_server, user.username, PASSWORD)

    # Then they land on their due list, with the authority named in the header
    expect(page).to_have_url(f"{live_server.url}/timescales/my-work/")
    expect(page.locator("header.govuk-header")).to_contain_text(settings.OPENCSC_AUTHORITY_NAME)
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # And the GOV.UK Frontend styles and scripts have loaded
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    header_colour = page.locator("header.govuk-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(29, 112, 184)"  # GOV.UK blue, #1d70b8


def test_a_wrong_password_shows_the_error_summary_and_signs_nobody_in(page, live_server):
    # Given a social worker
    user = UserFactory(role="social_worker", username="sam.worker")

    # When they sign in with the wrong password
    sign_in(page, live_server, user.username, "not the password")

    # Then the GOV.UK error summary says there is a problem, and has focus
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    # And nobody is signed in: the home page sends them back to sign in
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_keyboard_user_tabs_to_the_skip_link_first_and_it_moves_focus_to_main_content(page, live_server):
    # Given a signed-in social worker on the home page
    user = UserFactory(role="social_worker")
    sign_in(page, live_server, user.username)

    # When they press Tab once
    page.keyboard.press("Tab")

    # Then the skip link has focus and is visible
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()

    # When they press Enter
    page.keyboard.press("Enter")

    # Then focus moves to the main content
    expect(page.locator("#main-content")).to_be_focused()
