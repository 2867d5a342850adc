"""Issue 5, end to end: an overdue child protection visit seen by the worker, their manager and the
service manager who changes the local timescale and the closure days."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.casework.models import Allocation, Visit
from opencsc.core import events
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection.tests.helpers import cp_plan
from opencsc.timescales.core import WorkingDayCalendar
from opencsc.timescales.models import ClosureDay, LocalRuleSetting, MissedTimescaleReason

from .helpers import save_screenshot, sign_in

CP_VISITS = "Visits to a child on a child protection plan"


def shown(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def switch_user(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username)


def visit_row(page):
    return page.get_by_role("row").filter(has_text=CP_VISITS)


def test_an_overdue_visit_from_my_work_to_the_team_view_and_local_settings(page, live_server):
    # Given a child on a child protection plan allocated to a social worker, last visited three weeks ago
    today = timezone.localdate()
    calendar = WorkingDayCalendar()
    team = TeamFactory(name="Child Protection East")
    worker = UserFactory(role="social_worker", team=team, first_name="Sam", last_name="Okafor")
    manager = UserFactory(role="team_manager", team=team)
    service_manager = UserFactory(role="service_manager")
    child = ChildFactory(first_name="Leo", last_name="Hartley", date_of_birth=dt.date(2015, 6, 1))
    cp_plan(worker, child, today - dt.timedelta(days=60))
    last_visit = calendar.subtract(today, 15, "working_days")
    events.announce(Visit.objects.create(child=child, kind="cp", visited_on=last_visit, visitor=worker))
    events.announce(Allocation.objects.create(child=child, worker=worker, team=team,
                                              start_date=today - dt.timedelta(days=60)))
    due = calendar.add(last_visit, 10, "working_days")  # the default: every 10 working days

    # When the social worker signs in, they land on My work and see the visit overdue
    sign_in(page, live_server, worker.username)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    expect(visit_row(page)).to_contain_text("Leo Hartley")
    expect(visit_row(page)).to_contain_text(shown(due))
    expect(visit_row(page).get_by_text("Overdue", exact=True)).to_be_visible()

    # And they record why it was missed, through the link on the row
    visit_row(page).get_by_role("link", name=re.compile("Record why it was missed")).click()
    page.get_by_label("Why was this timescale missed?").fill("Leo was in hospital; visited on the ward instead.")
    page.get_by_role("button", name="Save reason").click()

    # Then My work shows the reason
    expect(page.get_by_text(f"Reason recorded: {CP_VISITS}")).to_be_visible()
    expect(visit_row(page)).to_contain_text("Leo was in hospital")
    assert MissedTimescaleReason.objects.get(child=child).due_date == due
    save_screenshot(page, "timescales_my_work_reason")

    # And their team manager sees the worker's overdue count in the team view
    switch_user(page, live_server, manager)
    page.goto(f"{live_server.url}/timescales/team/")
    worker_row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=worker.display_name))
    overdue = worker_row.get_by_role("cell").first
    expect(overdue).to_have_text(re.compile(r"^\s*[1-9]\d*\s*$"))
    red_on_my_work = int(overdue.inner_text())
    save_screenshot(page, "timescales_team_view")

    # When a service manager adds a closure day between the last visit and the due date
    closure = calendar.add(last_visit, 2, "working_days")
    switch_user(page, live_server, service_manager)
    page.goto(f"{live_server.url}/timescales/settings/")
    page.get_by_role("link", name="Add or remove closure days").click()
    group = page.get_by_role("group", name=re.compile("Date of the closure day"))
    group.get_by_label("Day").fill(str(closure.day))
    group.get_by_label("Month").fill(str(closure.month))
    group.get_by_label("Year").fill(str(closure.year))
    page.get_by_label("Why the offices are closed").fill("Office move")
    page.get_by_role("button", name="Add closure day").click()
    expect(page.get_by_text(f"Closure day added: {shown(closure)}")).to_be_visible()

    # Then the working-day due date on My work moves a working day later
    switch_user(page, live_server, worker)
    moved = calendar.add(due, 1, "working_days")
    expect(visit_row(page)).to_contain_text(shown(moved))
    expect(visit_row(page)).not_to_contain_text(shown(due))

    # When the service manager changes child protection visits to every 4 weeks
    switch_user(page, live_server, service_manager)
    page.goto(f"{live_server.url}/timescales/settings/")
    page.get_by_role("link", name=f"Change {CP_VISITS.lower()}").click()
    page.get_by_label("First timescale", exact=True).fill("4")
    page.get_by_label("Unit of the first timescale").select_option(label="Weeks")
    page.get_by_label("Later timescales", exact=True).fill("4")
    page.get_by_label("Unit of the later timescales").select_option(label="Weeks")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"{CP_VISITS}: changed")).to_be_visible()

    # Then the due date on My work is 4 weeks after the last visit, and no longer overdue
    switch_user(page, live_server, worker)
    four_weeks = last_visit + dt.timedelta(weeks=4)
    assert four_weeks > today
    expect(visit_row(page)).to_contain_text(shown(four_weeks))
    expect(visit_row(page).get_by_text("Overdue", exact=True)).to_have_count(0)
    save_screenshot(page, "timescales_after_settings")

    assert red_on_my_work >= 1
    assert LocalRuleSetting.objects.get(rule_code="cp_visit").values["then"] == [[4, "weeks"]]
    assert ClosureDay.objects.filter(date=closure).count() == 1
