"""Working a plan: add a SMART action, record a core group with progress, print the child's plan,
record a visit, and a manager's oversight on the file."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.casework.models import Meeting, OversightRecord, PlanAction, Visit
from opencsc.casework.tests.factories import PlanFactory
from opencsc.people.tests.factories import ChildFactory

from .helpers import fill_date, save_screenshot, sign_in


def test_a_social_worker_works_a_child_protection_plan(page, live_server):
    today = timezone.localdate()
    child = ChildFactory(first_name="Jade", last_name="Mortimer", date_of_birth=dt.date(2016, 4, 2))
    plan = PlanFactory(child=child, kind="cp", start_date=today - dt.timedelta(days=120),
                       review_due=today - dt.timedelta(days=3), child_friendly_summary="We want you to be safe.")
    worker = UserFactory(role="social_worker")
    sign_in(page, live_server, worker.username)

    # Given the plan is overdue for review
    page.goto(f"{live_server.url}/children/{child.pk}/plans/{plan.pk}/")
    expect(page.get_by_text("Overdue for review")).to_be_visible()

    # When they add an action
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What must change for the child").fill("Jade gets to school on time")
    page.get_by_label("What will be done").fill("Walk Jade to school each morning")
    page.get_by_label("Who will do it").fill("Mum")
    fill_date(page, "By when", today + dt.timedelta(days=30))
    page.get_by_label("How will you know it has worked").fill("No late marks for a month")
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("cell", name="Walk Jade to school each morning")).to_be_visible()
    action = PlanAction.objects.get(plan=plan)

    # And record a core group with one attendee and progress on the action
    page.get_by_role("link", name="Record a meeting").click()
    fill_date(page, "Date of the meeting", today)
    page.get_by_label("Attendee 1: name").fill("PC Jones")
    page.get_by_label("Attendee 1: agency").fill("Police")
    page.locator(f"#id_progress_{action.pk}_status").select_option(label="On track")
    page.locator(f"#id_progress_{action.pk}_comment").fill("Late once this fortnight")
    save_screenshot(page, "plan_meeting_form")
    page.get_by_role("button", name="Save meeting").click()

    # Then the plan shows the progress and who came
    expect(page.get_by_text("Late once this fortnight")).to_be_visible()
    expect(page.get_by_text("PC Jones (Police): attended")).to_be_visible()
    assert Meeting.objects.get(plan=plan).kind == "core_group"

    # And the plan for Jade can be opened to print
    page.get_by_role("link", name=re.compile("to print")).click()
    expect(page.get_by_role("heading", name="Jade's plan")).to_be_visible()
    expect(page.get_by_text("We want you to be safe.")).to_be_visible()
    save_screenshot(page, "plan_for_the_child")

    # And they record a visit where Jade was seen alone
    page.goto(f"{live_server.url}/children/{child.pk}/visits/")
    page.get_by_label("Kind of visit", exact=True).last.select_option(label="Child protection visit")
    fill_date(page, "Date of the visit", today)
    page.get_by_label("Child seen", exact=True).check()
    page.get_by_label("Child seen alone").check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit recorded")).to_be_visible()
    visit = Visit.objects.get(child=child)
    assert visit.child_seen_alone
    assert visit.kind == "cp"


def test_a_team_manager_records_oversight_that_shows_in_the_chronology(page, live_server):
    today = timezone.localdate()
    child = ChildFactory(first_name="Ravi", last_name="Okonjo", date_of_birth=dt.date(2014, 9, 9))
    manager = UserFactory(role="team_manager")
    sign_in(page, live_server, manager.username)

    page.goto(f"{live_server.url}/children/{child.pk}/oversight/")
    fill_date(page, "Date of the oversight", today)
    page.get_by_label("Decisions and the reasons for them").fill("Hold a strategy discussion today")
    page.locator("#id_action_1_action").fill("Arrange the strategy discussion")
    page.get_by_label("Action 1: who will do it").fill("Team manager")
    fill_date(page, "Action 1: by when", today)
    page.get_by_role("button", name="Save oversight").click()

    expect(page.get_by_text("Management oversight recorded")).to_be_visible()
    assert OversightRecord.objects.get(child=child).actions.count() == 1
    page.goto(f"{live_server.url}/children/{child.pk}/chronology/")
    expect(page.get_by_text("Hold a strategy discussion today")).to_be_visible()
