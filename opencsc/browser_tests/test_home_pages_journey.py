"""Landing pages: a team manager and an independent reviewing officer sign in and see their work."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.care.models import IROAppointment
from opencsc.care.tests.factories import PeriodOfCareFactory
from opencsc.core import events
from opencsc.edt.tests.factories import OutOfHoursEntryFactory

from .helpers import PASSWORD, save_screenshot, sign_in


def test_a_team_manager_lands_on_handovers_to_acknowledge_and_the_teams_timescales(page, live_server):
    # Given a team manager whose team was handed over a child out of hours
    team = TeamFactory(name="Referral and assessment team")
    manager = UserFactory(role=Role.TEAM_MANAGER, username="terry.manager", team=team)
    entry = OutOfHoursEntryFactory(day_team=team)

    # When they sign in
    sign_in(page, live_server, manager.username, PASSWORD)

    # Then their home page shows the handover waiting, overdue, and their team's timescales
    expect(page).to_have_url(f"{live_server.url}/")
    queue = page.locator("#queue-edt_handovers")
    expect(queue.get_by_role("heading", name="Out-of-hours handovers to acknowledge")).to_be_visible()
    expect(queue).to_contain_text("1 waiting")
    expect(queue).to_contain_text("1 overdue")
    expect(page.locator("#team-timescales")).to_contain_text("Referral and assessment team: timescales")
    save_screenshot(page, "home_team_manager")

    # And the handover opens from there, where they acknowledge it
    queue.get_by_role("link", name="Acknowledge the out-of-hours handover").click()
    expect(page).to_have_url(f"{live_server.url}/children/{entry.child_id}/out-of-hours/{entry.pk}/")
    page.get_by_role("button", name="Acknowledge").first.click()
    expect(page.locator("body")).to_contain_text("Handover acknowledged")

    # And back home the queue is empty, in plain words
    page.goto(f"{live_server.url}/")
    expect(page.locator("#queue-edt_handovers")).to_contain_text("No out-of-hours handovers are waiting for your team.")


def test_an_iro_lands_on_the_reviews_due_and_opens_their_caseload(page, live_server):
    # Given an IRO appointed to a child who became looked after 40 days ago (first review overdue)
    iro = UserFactory(role=Role.IRO, username="ira.reviewer")
    period = PeriodOfCareFactory(start_date=timezone.localdate() - dt.timedelta(days=40))
    events.announce(IROAppointment.objects.create(child=period.child, period=period, iro=iro,
                                                  appointed_on=period.start_date, created_by=iro))

    # When they sign in
    sign_in(page, live_server, iro.username, PASSWORD)

    # Then their home page shows the review due, overdue
    queue = page.locator("#queue-iro_reviews")
    expect(queue.get_by_role("heading", name="Looked-after reviews due")).to_be_visible()
    expect(queue).to_contain_text("1 waiting")
    expect(queue).to_contain_text(period.child.full_name)
    save_screenshot(page, "home_iro")

    # And their caseload lists the child with the review overdue
    queue.get_by_role("link", name="Go to the full list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My reviews")
    expect(page.locator("#caseload-summary")).to_contain_text("1 child; 1 review overdue")
    expect(page.get_by_role("row", name=period.child.full_name)).to_contain_text("Overdue")

    # And My work shows the review too, not "Nothing is due"
    page.goto(f"{live_server.url}/timescales/my-work/")
    expect(page.locator("#queue-iro_reviews")).to_contain_text(period.child.full_name)
