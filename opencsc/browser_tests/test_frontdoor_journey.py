"""The front door: a contact from receipt to decision, and a partner agency answering a request."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.assessment.models import CINEpisode
from opencsc.frontdoor.models import Contact, InformationRequest
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory

from .helpers import fill_date, save_screenshot, sign_in


def test_contact_screened_information_shared_and_referred(page, live_server):
    # Given a child already known, a MASH practitioner, a police officer and a MASH manager
    child = ChildFactory(first_name="Leon", last_name="Barker", **search_keys("Leon", "Barker"))
    mash = UserFactory(role="mash_practitioner")
    officer = UserFactory(role="partner", agency="police")
    manager = UserFactory(role="team_manager")
    UserFactory(role="social_worker", team=manager.team)  # the manager's team holds cases: it takes the referral
    today = timezone.localdate()

    # When the MASH practitioner records a contact but forgets the child
    sign_in(page, live_server, mash.username)
    page.get_by_role("link", name="Front door").first.click()
    page.get_by_role("link", name="Record a contact").click()
    fill_date(page, "Date the contact was received", today, exact=True)
    page.get_by_label("Time", exact=True).fill("00:00")
    page.get_by_label("Who made the contact").fill("PC Amy Shaw")
    page.get_by_label("Their agency").select_option(label="Police")
    page.get_by_label("Source (DfE referral source)").select_option(label="Police")
    page.get_by_label("The concerns").fill("Leon found alone at home at midnight; mother not contactable")
    page.get_by_role("button", name="Save contact").click()

    # Then the page says what is missing and keeps what was typed
    expect(page.get_by_role("alert").get_by_text("Select or add at least one child the contact is about")
           ).to_be_visible()
    expect(page.get_by_label("The concerns")).to_have_value(
        "Leon found alone at home at midnight; mother not contactable")
    assert not Contact.objects.exists()

    # When they find Leon, tick him and save
    page.get_by_label("Find a child").fill("Leon Barker")
    page.get_by_role("button", name="Search").click()
    page.get_by_label(re.compile("Leon Barker")).check()
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("heading", name=re.compile("Contact received"))).to_be_visible()
    contact = Contact.objects.get()
    assert list(contact.children.all()) == [child] and contact.out_of_hours

    # And screen it against the threshold
    page.get_by_role("link", name="Screen the contact").click()
    page.get_by_label("Level 4: acute needs or risk of significant harm (social care)").check()
    page.get_by_label("Why this is the level of need").fill("Eight-year-old left alone overnight")
    page.get_by_role("button", name="Save screening").click()
    expect(page.get_by_text("Eight-year-old left alone overnight")).to_be_visible()

    # And ask the police what they know, urgently
    page.get_by_role("link", name="Ask a partner agency for information").click()
    page.get_by_label("Agency").select_option(label="Police")
    page.get_by_label("Red: answer within 4 hours").check()
    page.get_by_label("What the MASH needs to know").fill("Any call-outs to the address this year?")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Waiting for an answer")).to_be_visible()
    save_screenshot(page, "frontdoor_contact_screened")

    # Then the police officer sees the request in their own view, and answers it
    page.context.clear_cookies()
    sign_in(page, live_server, officer.username)
    page.get_by_role("link", name="Information requests").first.click()
    page.get_by_role("link", name="Leon Barker").click()
    expect(page.get_by_text("Any call-outs to the address this year?")).to_be_visible()
    expect(page.get_by_text("mother not contactable")).to_have_count(0)  # not the MASH's record
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_role("alert").get_by_text("Enter what your agency knows")).to_be_visible()
    page.get_by_label("What your agency knows").fill("Two domestic call-outs in October")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("No requests are waiting for your answer")).to_be_visible()
    assert InformationRequest.objects.get().responded_by == officer

    # And the officer cannot open the contact: the front door's pages are not for partner agencies
    response = page.goto(f"{live_server.url}/frontdoor/contacts/{contact.pk}/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    expect(page.locator("body")).not_to_contain_text("Leon Barker")

    # When the MASH manager decides: referral to children's social care
    page.context.clear_cookies()
    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server.url}/frontdoor/contacts/{contact.pk}/")
    expect(page.get_by_text("Two domestic call-outs in October")).to_be_visible()
    page.get_by_role("link", name="Decide on the contact").click()
    page.get_by_label("Referral to children's social care").check()
    page.get_by_label("Reasons for the decision").fill("Neglect and risk of harm: assessment needed")
    page.get_by_label(re.compile("Primary need")).select_option(label="Abuse, neglect and exploitation")
    page.get_by_role("button", name="Save decision").click()

    # Then the contact is decided in time and Leon has an episode of need from today
    expect(page.get_by_text("Done in time")).to_be_visible()
    episode = CINEpisode.objects.get(child=child)
    assert episode.referral_date == today and episode.referral_source == "6"
    page.get_by_role("link", name=re.compile("episode of need from")).click()
    expect(page.get_by_role("heading", name="Episode of need")).to_be_visible()
    save_screenshot(page, "frontdoor_contact_referred")
