"""A personal adviser writes a care leaver's pathway plan and records a contact."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.careleavers.models import Contact, PathwayPlan
from opencsc.careleavers.tests.factories import AdviserAllocationFactory, care_leaver

from .helpers import fill_date, save_screenshot, sign_in


def test_a_personal_adviser_writes_a_pathway_plan_and_records_contact(page, live_server):
    # Given a former relevant young person of 19 allocated to a personal adviser
    adviser = UserFactory(role="personal_adviser")
    leaver = care_leaver(age=19, first_name="Kai", last_name="Mensah")
    child = leaver.child
    AdviserAllocationFactory(child=child, adviser=adviser)
    today = timezone.localdate()
    plan_day = today - dt.timedelta(days=7)

    # When the adviser opens their caseload and the young person's leaving care page
    sign_in(page, live_server, adviser.username)
    page.goto(f"{live_server.url}/care-leavers/caseload/")
    expect(page.get_by_role("cell", name="No pathway plan")).to_be_visible()
    page.get_by_role("link", name="Kai Mensah").click()
    expect(page.get_by_text("No pathway plan has been written.")).to_be_visible()

    # And writes a pathway plan, first with a needs assessment after the plan (refused)
    page.get_by_role("link", name="Write a pathway plan").click()
    fill_date(page, "Date of the plan", plan_day, exact=True)
    fill_date(page, "Date the needs assessment was completed", today, exact=True)
    page.get_by_label("The young person's views").fill("I want to train as an electrician.")
    page.get_by_label("Needs and how they will be met").fill("A college place in September; a bus pass.")
    page.get_by_label("Contingency plan").fill("If the flat falls through, supported lodgings with Mrs Ali.")
    page.get_by_role("button", name="Save pathway plan").click()
    expect(page.get_by_role("link", name="The needs assessment must be completed on or before the date of the plan")
           ).to_be_visible()
    assert not PathwayPlan.objects.exists()
    fill_date(page, "Date the needs assessment was completed", plan_day - dt.timedelta(days=14), exact=True)
    page.get_by_role("button", name="Save pathway plan").click()
    expect(page.get_by_text("Pathway plan saved")).to_be_visible()
    expect(page.get_by_text("I want to train as an electrician.")).to_be_visible()
    expect(page.get_by_role("cell", name="Pathway plan reviews")).to_be_visible()

    # And records a contact: in touch, at college, in supported lodgings
    page.get_by_role("link", name="Record contact").click()
    fill_date(page, "Date of contact", today, exact=True)
    page.get_by_label("Yes, in touch").check()
    page.get_by_label("Face-to-face visit").check()
    page.get_by_label("Main activity").select_option(label="Full-time education other than higher education")
    page.get_by_label("Accommodation, and whether it is suitable").select_option(
        label="Supported lodgings (suitable)")
    page.get_by_label("Notes").fill("Met at college; settled and enjoying the course.")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact recorded")).to_be_visible()
    save_screenshot(page, "careleavers_journey")

    # Then the plan and the contact are on the record, and the caseload shows the last contact
    contact = Contact.objects.get(child=child)
    assert (contact.in_touch, contact.activity, contact.accommodation) == ("YES", "F2", "E1")
    assert PathwayPlan.objects.get(child=child).created_by == adviser
    page.goto(f"{live_server.url}/care-leavers/caseload/")
    expect(page.get_by_role("link", name="Kai Mensah")).to_be_visible()
    expect(page.get_by_role("cell", name=date_format(today, "j M Y"), exact=True)).to_be_visible()
