"""Issue 7, end to end: this week's scorecard is taken, and a service manager finds the late contact behind
the figure and writes the analysis beside it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.casework.models import Allocation
from opencsc.frontdoor.models import Contact
from opencsc.frontdoor.tests.factories import ContactFactory
from opencsc.people.tests.factories import ChildFactory
from opencsc.performance import services
from opencsc.performance.models import Commentary

from .helpers import sign_in

TITLE = "Contacts decided within 1 working day"


def _contact(child, received: dt.datetime, decided: dt.datetime) -> None:
    contact = ContactFactory(received_at=received, children=[child])
    Contact.objects.filter(pk=contact.pk).update(decided_at=decided)


def test_a_late_contact_is_found_behind_the_figure_and_explained(page, live_server):
    # Given two children in the MASH's care: one contact decided the same day, one a week late
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday() + 14)
    mash = TeamFactory(name="MASH", kind="mash")
    manager = UserFactory(role="service_manager", team=mash)
    prompt = ChildFactory(first_name="Ava", last_name="Quick")
    late = ChildFactory(first_name="Leo", last_name="Waite")
    for child in (prompt, late):
        Allocation.objects.create(child=child, team=mash, start_date=monday - dt.timedelta(days=1))
    at_ten = dt.datetime.combine(monday, dt.time(10), tzinfo=timezone.get_current_timezone())
    _contact(prompt, at_ten, at_ten + dt.timedelta(hours=3))
    _contact(late, at_ten, at_ten + dt.timedelta(days=7))
    services.snapshot_take(as_at=today)

    # When the service manager opens the scorecard
    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server.url}/performance/")
    expect(page.get_by_role("heading", name="Performance scorecard")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("50")

    # And follows the figure to the children behind it
    row.get_by_role("link", name=f"see the rows behind {TITLE}").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="Leo Waite")).to_be_visible()
    expect(page.get_by_role("link", name="Ava Quick")).to_be_visible()

    # Then writes the analysis beside the figure
    page.get_by_role("link", name=f"Back to {TITLE}").click()
    page.get_by_label("Commentary").fill("One contact waited a week over half-term; the duty rota has changed.")
    page.get_by_role("button", name="Save commentary").click()
    expect(page.get_by_text("the duty rota has changed")).to_be_visible()
    assert Commentary.objects.get(author=manager).indicator == "contacts_decided_1wd"

    # And the scorecard, with the commentary beside the figure, fits a 1,280 px screen without scrolling sideways
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/performance/")
    expect(page.get_by_text("the duty rota has changed")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=TITLE).first).to_contain_text("1 of 2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
