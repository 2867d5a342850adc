"""A child's journey through child protection: strategy discussion, section 47, ICPC, CP plan, review."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.assessment.models import CINEpisode
from opencsc.assessment.services import referral_create
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection.models import Conference, CPPlan, Section47

from .helpers import fill_date, fill_person, save_screenshot, sign_in

REFERRAL_ON = dt.date(2026, 10, 30)
STRATEGY_ON = dt.date(2026, 11, 2)  # Monday
S47_DONE_ON = dt.date(2026, 11, 12)
ICPC_ON = dt.date(2026, 11, 16)  # 10 working days later
REVIEW_ON = dt.date(2026, 11, 20)






@pytest.fixture
def worker(page, live_server):
    user = UserFactory(role="social_worker")
    sign_in(page, live_server, user.username)
    return user


def test_from_strategy_discussion_to_a_reviewed_child_protection_plan(page, live_server, worker):
    # Given a child known to the service, with no episode of need yet
    child = ChildFactory(first_name="Kai", last_name="Okonjo", date_of_birth=dt.date(2016, 4, 1))
    page.goto(f"{live_server.url}/children/{child.pk}/protection/")
    expect(page.get_by_text("No child protection plans.")).to_be_visible()

    # When the social worker opens the strategy discussion form, they are told to record a referral first
    page.get_by_role("link", name="Record a strategy discussion").click()
    expect(page.get_by_text("This child has no open episode of need")).to_be_visible()
    page.get_by_role("link", name="record a referral").click()
    fill_date(page, "Referral date", REFERRAL_ON)
    page.get_by_label("Who made the referral").select_option(label="Police")
    page.get_by_label("Abuse, neglect and exploitation").check()
    page.get_by_label("Reason for the referral").fill("Bruising seen at school")
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_role("heading", name="Episode of need")).to_be_visible()

    # And then records a strategy discussion deciding on a section 47 enquiry
    page.goto(f"{live_server.url}/children/{child.pk}/protection/strategy/add/")
    expect(page.get_by_text("Part of the episode of need from 30 Oct 2026")).to_be_visible()
    fill_date(page, "Date of the strategy discussion", STRATEGY_ON)
    fill_person(page, 1, "DC Amira Shah", "Police")
    fill_person(page, 2, "Jo Platt", "Health", "Invited, did not attend")
    fill_person(page, 3, "Mrs K Lewis", "Education")
    page.get_by_label("Information shared").fill("Bruising seen at school; two police call-outs this month.")
    page.get_by_label("Start a section 47 enquiry").check()
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.get_by_text("Strategy discussion recorded")).to_be_visible()
    expect(page.get_by_text("Jo Platt, Health: invited, did not attend")).to_be_visible()
    save_screenshot(page, "protection_after_strategy")

    # And records the outcome of the enquiry
    page.get_by_role("link", name=re.compile("Record outcome")).click()
    page.get_by_label("Concerns substantiated: initial child protection conference").check()
    fill_date(page, "Date the enquiry was completed", S47_DONE_ON)
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("Section 47 outcome recorded")).to_be_visible()

    # And an initial conference, within 15 working days, that decides on a plan
    page.get_by_role("link", name="Record a conference").click()
    page.get_by_label("Initial child protection conference").check()
    page.get_by_label(re.compile("Section 47 enquiry it follows")).select_option(label="Started 02 Nov 2026")
    fill_date(page, "Date of the conference", ICPC_ON)
    page.get_by_label(re.compile(r"^Chair")).fill("Pat Morgan")
    page.get_by_label("The child's views were shared").check()
    fill_person(page, 1, "DC Amira Shah", "Police")
    fill_person(page, 2, "Jo Platt", "Health")
    page.get_by_label("Child protection plan needed", exact=True).check()
    page.get_by_label("Category of abuse").select_option(label="Neglect")
    page.get_by_role("button", name="Save conference").click()

    # Then they are taken to start the plan, with one SMART action and a contingency
    expect(page.get_by_role("heading", name="Start the child protection plan")).to_be_visible()
    page.get_by_label("Contingency plan").fill("Legal planning meeting if there is further harm.")
    action = page.get_by_role("group", name="Action 1", exact=True)
    action.get_by_label("What must change for the child").fill("Kai is safe and fed at home")
    action.get_by_label("What will be done").fill("Family support worker visits weekly")
    action.get_by_label("Who will do it").fill("Family support worker")
    fill_date(action, "By when", dt.date(2027, 1, 29))
    action.get_by_label("How we will know it has worked").fill("Unannounced visits find food and a clean home")
    page.get_by_role("button", name="Start plan").click()
    expect(page.get_by_text("Child protection plan started")).to_be_visible()
    expect(page.get_by_text("On time", exact=True)).to_be_visible()
    expect(page.get_by_text("Kai is safe and fed at home")).to_be_visible()

    # And a review conference that changes the latest category
    page.get_by_role("link", name="Record a conference").click()
    page.get_by_label("Review child protection conference").check()
    fill_date(page, "Date of the conference", REVIEW_ON)
    fill_person(page, 1, "DC Amira Shah", "Police")
    page.get_by_label("Child protection plan continues").check()
    page.get_by_label("Category of abuse").select_option(label="Emotional abuse")
    page.get_by_role("button", name="Save conference").click()
    expect(page.get_by_text("Review child protection conference recorded")).to_be_visible()
    expect(page.get_by_text("Latest: Emotional abuse")).to_be_visible()
    save_screenshot(page, "protection_after_review")

    plan = CPPlan.objects.get(child=child)
    assert (plan.plan.start_date, plan.initial_category, plan.latest_category) == (ICPC_ON, "NEG", "EMO")
    episode = CINEpisode.objects.get(child=child)
    assert episode.referral_date == REFERRAL_ON
    assert plan.episode == plan.conference.section47.episode == episode
    assert Section47.objects.get(child=child).outcome == "substantiated"
    assert Conference.objects.filter(child=child).count() == 2


def test_a_conference_before_its_strategy_discussion_is_refused(page, live_server, worker):
    child = ChildFactory(date_of_birth=dt.date(2016, 4, 1))
    referral_create(actor=worker, child=child, referral_date=dt.date(2026, 10, 26), referral_source="6",
                    primary_need="N1")
    page.goto(f"{live_server.url}/children/{child.pk}/protection/strategy/add/")
    fill_date(page, "Date of the strategy discussion", STRATEGY_ON)
    fill_person(page, 1, "DC Amira Shah", "Police")
    page.get_by_label("Information shared").fill("Concerns")
    page.get_by_label("Start a section 47 enquiry").check()
    page.get_by_role("button", name="Save strategy discussion").click()

    page.get_by_role("link", name="Record a conference").click()
    page.get_by_label("Initial child protection conference").check()
    page.get_by_label(re.compile("Section 47 enquiry it follows")).select_option(index=1)
    fill_date(page, "Date of the conference", dt.date(2026, 10, 30))
    fill_person(page, 1, "DC Amira Shah", "Police")
    page.get_by_label("No child protection plan needed").check()
    page.get_by_role("button", name="Save conference").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "The conference date must be on or after the strategy discussion on 2 Nov 2026")
    assert Conference.objects.filter(child=child).count() == 0
