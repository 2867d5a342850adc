"""Issue 19: an assessment that flows. The social worker records an assessment visit with the child seen (it
becomes the assessment's "child seen"), writes the analysis and submits the assessment; the team manager
finds it in "Assessments awaiting your authorisation" with its clock and authorises it with the outcome
"Child in need plan"; the social worker then sees the next steps in their work: the plan to write, its
first meeting and the visits, each with its due date."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.assessment.tests.factories import CINEpisodeFactory
from opencsc.casework.models import Allocation
from opencsc.core import events
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory
from opencsc.timescales.authority import timescale

from .helpers import fill_date, save_screenshot, sign_in


def test_visit_analysis_submit_authorise_and_next_steps(page, live_server):
    today = timezone.localdate()
    referral_day, visit_day = today - dt.timedelta(days=7), today - dt.timedelta(days=2)
    # Given a child referred a week ago, allocated to a social worker, whose team manager authorises
    worker = UserFactory(role="social_worker")
    manager = UserFactory(role="team_manager", team=worker.team)
    child = ChildFactory(first_name="Nia", last_name="Adeyemi", **search_keys("Nia", "Adeyemi"))
    episode = CINEpisodeFactory(child=child, referral_date=referral_day, created_by=worker)
    events.announce(Allocation.objects.create(child=child, worker=worker, team=worker.team, start_date=referral_day))
    episode_url = f"{live_server.url}/children/{child.pk}/need/{episode.pk}/"

    # When the social worker starts the assessment
    sign_in(page, live_server, worker.username)
    page.goto(episode_url)
    page.get_by_role("link", name="Start an assessment").click()
    fill_date(page, "Assessment start date", referral_day, exact=True)
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Assessment started", exact=True)).to_be_visible()

    # And records an assessment visit with Nia seen alone: it counts towards the assessment by default
    page.goto(f"{live_server.url}/children/{child.pk}/visits/")
    form = page.locator("form").filter(has=page.get_by_role("button", name="Save visit"))
    form.get_by_label("Kind of visit").select_option(label="Assessment visit")
    fill_date(form, "Date of the visit", visit_day, exact=True)
    form.get_by_label("Child seen", exact=True).check()
    form.get_by_label("Child seen alone").check()
    expect(form.get_by_label("The assessment started")).to_be_checked()
    form.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit recorded")).to_be_visible()

    # Then the assessment says Nia was seen, and which visit showed it
    page.goto(episode_url)
    expect(page.get_by_text(f"assessment visit on {govuk_date(visit_day)}").first).to_be_visible()

    # When the worker writes the analysis and submits the assessment for authorisation
    page.get_by_role("link", name="Change the assessment").click()
    page.get_by_label("Analysis").fill("Nia is safe but her mother needs help with her mental health")
    page.get_by_role("button", name="Save assessment").click()
    page.get_by_role("link", name="Submit for authorisation").click()
    page.get_by_role("button", name="Submit for authorisation").click()
    expect(page.get_by_text("Assessment submitted for authorisation")).to_be_visible()
    expect(page.get_by_text("Awaiting authorisation", exact=True)).to_be_visible()

    # Then the team manager finds it in "Assessments awaiting your authorisation", with its due date
    page.context.clear_cookies()
    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server.url}/children/assessments/awaiting-authorisation/")
    expect(page.get_by_role("heading", name="Assessments awaiting your authorisation")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Nia Adeyemi")
    expect(row).to_contain_text(f"Due {govuk_date(timescale('assessment').due(referral_day))}")
    expect(row).to_contain_text(f"Submitted by {worker.display_name}")
    save_screenshot(page, "assessment_awaiting_authorisation")

    # And authorises it with the outcome "Child in need plan"
    row.get_by_role("link", name="Authorise the assessment").click()
    fill_date(page, "Authorisation date", today, exact=True)
    page.get_by_label("Child in need plan").check()
    page.get_by_role("button", name="Authorise assessment").click()
    expect(page.get_by_text("Authorised in time")).to_be_visible()
    page.goto(f"{live_server.url}/children/assessments/awaiting-authorisation/")
    expect(page.get_by_text("No assessments are waiting for your authorisation.")).to_be_visible()

    # Then the social worker sees the next steps: the plan to write, before its first meeting
    page.context.clear_cookies()
    sign_in(page, live_server, worker.username)
    page.goto(f"{live_server.url}/children/assessments/next-steps/")
    row = page.get_by_role("row").filter(has_text="Nia Adeyemi")
    meeting_due = timescale("cin_review").due(today)
    expect(row).to_contain_text(f"First child in need meeting due {govuk_date(meeting_due)}")
    expect(row.get_by_role("link", name="Write the child in need plan")).to_be_visible()
    save_screenshot(page, "assessment_next_steps")

    # And the meeting and the visits in their due list, with the engine's due dates
    page.goto(f"{live_server.url}/timescales/my-work/")
    expect(page.get_by_text("Child in need meetings and reviews").first).to_be_visible()
    expect(page.get_by_text("Visits to a child in need").first).to_be_visible()
    expect(page.get_by_text(govuk_date(meeting_due)).first).to_be_visible()
    expect(page.get_by_text(govuk_date(timescale("cin_visit").due(today))).first).to_be_visible()
