"""An early help episode in the browser: start, assessment with the family's starting scores, the plan
with an outcome-focused action, and a review that scores every area again."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.earlyhelp.models import EarlyHelpEpisode, OutcomeArea, OutcomeScore
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory

from .helpers import fill_date, save_screenshot, sign_in


def score_every_area(page, score: int):
    for area in OutcomeArea:
        page.get_by_label(area.label, exact=True).select_option(str(score))


def test_early_help_assessment_plan_and_review(page, live_server):
    # Given a child and a family support worker
    child = ChildFactory(first_name="Jay", last_name="Nowak", **search_keys("Jay", "Nowak"))
    worker = UserFactory(role="social_worker")

    # When the worker starts early help
    sign_in(page, live_server, worker.username)
    page.goto(f"{live_server.url}/children/{child.pk}/early-help/")
    expect(page.get_by_text("This child has not been in early help.")).to_be_visible()
    page.get_by_role("link", name="Start early help").click()
    fill_date(page, "Start date", dt.date(2026, 2, 2), exact=True)
    page.get_by_label("Request for early help from the family or a professional").check()
    page.get_by_label("Why the family needs early help").fill("Jay is often late; mum asked for help.")
    page.get_by_role("button", name="Start early help").click()
    expect(page.get_by_text("Nowak family").first).to_be_visible()

    # And completes the assessment with the child's wishes and the starting scores
    page.get_by_role("link", name="Start the assessment").click()
    fill_date(page, "Assessment start date", dt.date(2026, 2, 3), exact=True)
    page.get_by_label("The child's history").fill("Known to the school nurse since Year 1.")
    page.get_by_label("The child's wishes and feelings").fill("Jay wants to stop getting detentions.")
    score_every_area(page, 4)
    fill_date(page, "Date the assessment was completed", dt.date(2026, 2, 20), exact=True)
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Early help assessment completed")).to_be_visible()

    # And starts the plan with an outcome-focused action
    page.get_by_role("link", name="Start the plan").click()
    fill_date(page, "Plan start date", dt.date(2026, 2, 23), exact=True)
    page.get_by_label("What needs to change for the child").fill("Calmer mornings; Jay in school on time")
    action = page.get_by_role("group", name="Action 1")
    action.get_by_label("What must change").fill("Jay gets to school on time every day")
    action.get_by_label("What will be done").fill("Morning routine chart with the family support worker")
    action.get_by_label("Who will do it").fill("Family support worker")
    fill_date(action, "By when", dt.date(2026, 5, 29), exact=True)
    action.get_by_label("How we will know it has worked").fill("Attendance above 95% for a half term")
    page.get_by_role("button", name="Start plan").click()
    expect(page.get_by_text("Morning routine chart with the family support worker")).to_be_visible()

    # Then a review scores every area again, and the page shows the change
    page.get_by_role("link", name="Record a review").click()
    fill_date(page, "Review date", dt.date(2026, 5, 18), exact=True)
    page.get_by_label("What has changed").fill("Mornings calmer; attendance up to 96%.")
    score_every_area(page, 7)
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Review recorded")).to_be_visible()
    scores = page.get_by_role("table").filter(has_text="Review 18 May 2026")
    expect(scores.get_by_role("row", name="Family routine")).to_contain_text("+3")
    save_screenshot(page, "early_help_after_review")
    episode = EarlyHelpEpisode.objects.get(child=child)
    assert OutcomeScore.objects.filter(episode=episode).count() == 2 * len(OutcomeArea)
