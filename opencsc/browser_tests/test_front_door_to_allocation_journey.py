"""From the front door to a worker: a MASH practitioner records a contact about a new child and screens it; the
team manager finds it in their decisions with its clock, decides on a referral and leaves the child waiting in
the team; from "Referrals awaiting allocation" they allocate a social worker (only case-holding workers are
offered, grouped by team); the social worker finds the child in "Newly allocated to you"."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from opencsc.accounts.roles import TeamKind
from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.casework.models import Allocation
from opencsc.frontdoor import selectors
from opencsc.frontdoor.models import Contact
from opencsc.timescales.authority import timescale

from .helpers import fill_date, save_screenshot, sign_in


def test_a_contact_about_a_new_child_reaches_a_social_worker(page, live_server):
    # Given the MASH, a referral and assessment team with its manager and a social worker, and another team
    mash = UserFactory(role="mash_practitioner")
    team = TeamFactory(name="Referral and assessment team 1", kind=TeamKind.REFERRAL_ASSESSMENT)
    manager = UserFactory(role="team_manager", team=team, first_name="Tom", last_name="Mensah")
    sam = UserFactory(role="social_worker", team=team, first_name="Sam", last_name="Walker")
    UserFactory(role="senior_practitioner", first_name="Priya", last_name="Shah",
                team=TeamFactory(name="Child protection team 1", kind=TeamKind.CHILD_PROTECTION))
    today = timezone.localdate()

    # When the MASH practitioner records a contact about a child not yet known, and screens it
    sign_in(page, live_server, mash.username)
    page.get_by_role("link", name="Front door").first.click()
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_text("Add a child not yet known to us").click()
    page.get_by_label("First name").fill("Ruby")
    page.get_by_label("Last name").fill("Okonkwo")
    fill_date(page, "Date of birth", today.replace(year=today.year - 6), exact=True)
    fill_date(page, "Date the contact was received", today, exact=True)
    page.get_by_label("Time", exact=True).fill("00:00")
    page.get_by_label("Who made the contact").fill("PC Amy Shaw")
    page.locator("select[name=referral_source]").select_option("6")
    page.get_by_label("The concerns").fill("Ruby found alone at home at midnight")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("heading", name=re.compile("Contact received"))).to_be_visible()
    contact = Contact.objects.get()
    ruby = contact.children.get()
    page.get_by_role("link", name="Screen the contact").click()
    page.locator("input[name=level_of_need][value='4']").check()
    page.get_by_label("Why this is the level of need").fill("Six-year-old left alone overnight")
    page.get_by_role("button", name="Save screening").click()
    expect(page.get_by_text("Awaiting a manager's decision")).to_be_visible()

    # Then the team manager finds it in their decisions, with the decision clock from the timescales engine
    page.context.clear_cookies()
    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server.url}/frontdoor/decisions/")
    verdict = timescale("contact_decision").verdict(today, timezone.localdate())
    row = page.get_by_role("row", name=re.compile("Ruby Okonkwo"))
    expect(row).to_contain_text(selectors.clock_text(verdict, timezone.localdate()))
    save_screenshot(page, "front_door_decisions_queue")

    # When they decide on a referral, leaving the worker for later
    row.get_by_role("link", name=re.compile("Decide what happens next")).click()
    page.get_by_role("link", name="Decide on the contact").click()
    expect(page.get_by_text("Ruby Okonkwo: needs a team and a social worker")).to_be_visible()
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Reasons for the decision").fill("Neglect: a child and family assessment is needed")
    page.locator("select[name=primary_need]").select_option("N1")
    expect(page.get_by_label("Referral and assessment team 1")).to_be_checked()  # the manager's own team
    save_screenshot(page, "front_door_decision_form")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("listitem").filter(
        has_text="Ruby Okonkwo: waiting for a worker in Referral and assessment team 1")).to_be_visible()

    # Then the child waits in the team's "Referrals awaiting allocation"
    page.goto(f"{live_server.url}/workforce/awaiting-allocation/")
    page.get_by_role("row", name=re.compile("Ruby Okonkwo")).get_by_role(
        "link", name=re.compile("Allocate to a worker")).click()

    # And the allocation form offers only case-holding workers, grouped by team, the child's team first
    worker = page.get_by_label("Worker")
    expect(worker.locator("optgroup").first).to_have_attribute("label", "Referral and assessment team 1")
    expect(worker).not_to_contain_text("---------")
    expect(worker).not_to_contain_text(mash.display_name)
    expect(page.get_by_label("Referral and assessment team 1")).to_be_checked()
    save_screenshot(page, "front_door_allocation_form")
    worker.select_option(label="Sam Walker, social worker: 0 children allocated")
    page.get_by_role("button", name="Save allocation").click()
    expect(page.get_by_text("Ruby Okonkwo allocated to Sam Walker (Referral and assessment team 1)")).to_be_visible()
    assert Allocation.objects.get(child=ruby, end_date__isnull=True).worker == sam

    # Then Sam finds Ruby newly allocated to them, until they open her record
    page.context.clear_cookies()
    sign_in(page, live_server, sam.username)
    page.goto(f"{live_server.url}/workforce/newly-allocated/")
    save_screenshot(page, "front_door_newly_allocated")
    page.get_by_role("row", name=re.compile("Ruby Okonkwo")).get_by_role(
        "link", name=re.compile("Open the record")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ruby Okonkwo")
    page.goto(f"{live_server.url}/workforce/newly-allocated/")
    expect(page.get_by_text("No child has been allocated to you since you last looked.")).to_be_visible()
