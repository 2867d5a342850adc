"""A referral through assessment to a child in need plan, by a social worker and a team manager."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.assessment.models import CINEpisode
from opencsc.casework.models import Plan
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory

from .helpers import fill_date, save_screenshot, sign_in


def test_referral_assessment_authorisation_and_cin_plan(page, live_server):
    # Given a child, a social worker and a team manager
    child = ChildFactory(first_name="Maya", last_name="Okonjo", **search_keys("Maya", "Okonjo"))
    worker = UserFactory(role="social_worker")
    manager = UserFactory(role="team_manager")
    referral_day, start_day, authorised_day = dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 4, 1)

    # When the social worker records a referral
    sign_in(page, live_server, worker.username)
    page.goto(f"{live_server.url}/children/{child.pk}/need/")
    expect(page.get_by_text("No referrals yet")).to_be_visible()
    page.get_by_role("link", name="Record a referral").click()
    fill_date(page, "Referral date", referral_day, exact=True)
    page.get_by_label("Who made the referral").select_option(label="Police")
    page.get_by_label("Abuse, neglect and exploitation").check()
    page.get_by_label("Reason for the referral").fill("Police attended a domestic incident; Maya was present")
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_role("heading", name="Episode of need")).to_be_visible()

    # And starts an assessment, with the child seen alone and their views
    page.get_by_role("link", name="Start an assessment").click()
    fill_date(page, "Assessment start date", start_day, exact=True)
    fill_date(page, "Date the child was seen", start_day, exact=True)
    fill_date(page, "Date the child was seen alone", start_day, exact=True)
    page.get_by_label("The child's views and wishes").fill("I get scared when they shout")
    page.get_by_label("Analysis").fill("Exposure to domestic abuse; mother wants help")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("7 May 2026")).to_be_visible()  # due in 45 working days
    save_screenshot(page, "referral_assessment_in_progress")
    # And submits it for authorisation
    page.get_by_role("link", name="Submit for authorisation").click()
    page.get_by_role("button", name="Submit for authorisation").click()
    expect(page.get_by_text("Assessment submitted for authorisation")).to_be_visible()

    # Then the team manager authorises it
    page.context.clear_cookies()
    sign_in(page, live_server, manager.username)
    episode = CINEpisode.objects.get(child=child)
    page.goto(f"{live_server.url}/children/{child.pk}/need/{episode.pk}/")
    page.get_by_role("link", name="Authorise the assessment").click()
    fill_date(page, "Authorisation date", authorised_day, exact=True)
    page.get_by_label("Child in need plan").check()
    page.get_by_role("button", name="Authorise assessment").click()
    expect(page.get_by_text("Authorised in time")).to_be_visible()

    # And the child in need plan the outcome started is written, with one SMART action
    page.get_by_role("link", name="Write the child in need plan").click()
    fill_date(page, "Plan start date", dt.date(2026, 4, 2), exact=True)
    page.get_by_label("What needs to change for the child").fill("Maya is safe from domestic abuse at home")
    action = page.get_by_role("group", name="Action 1")
    action.get_by_label("What must change").fill("Maya is not exposed to violence")
    action.get_by_label("What will be done").fill("Mother attends the Freedom Programme")
    action.get_by_label("Who will do it").fill("Mother, with the domestic abuse worker")
    fill_date(action, "By when", dt.date(2026, 7, 1), exact=True)
    action.get_by_label("How we will know it has worked").fill("No police call-outs for three months")
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_text("Mother attends the Freedom Programme")).to_be_visible()
    save_screenshot(page, "referral_cin_plan_started")
    assert Plan.objects.get(child=child).actions.count() == 1
