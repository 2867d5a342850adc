"""Issue 8, end to end: an auditor audits a child's case with the authority's questions, a service manager
moderates it lower, and the moderation report shows the auditor's over-optimism."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.casework.models import Allocation
from opencsc.people.tests.factories import ChildFactory
from opencsc.quality.models import AuditAction, CaseAudit, Moderation
from opencsc.quality.tests.factories import AuditQuestionFactory

from .helpers import fill_date, sign_in


def switch_user(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username)


def test_an_audit_moderated_lower_shows_in_the_moderation_report(page, live_server):
    # Given a child allocated to a social worker, and the authority's two audit questions
    today = timezone.localdate()
    team = TeamFactory(name="Assessment East")
    worker = UserFactory(role="social_worker", team=team, first_name="Priya", last_name="Shah")
    auditor = UserFactory(role="auditor", first_name="Aled", last_name="Davies")
    service_manager = UserFactory(role="service_manager")
    child = ChildFactory(first_name="Mia", last_name="Turner", date_of_birth=dt.date(2016, 2, 1))
    Allocation.objects.create(child=child, worker=worker, team=team, start_date=today - dt.timedelta(days=90))
    voice = AuditQuestionFactory(text="Is the child's voice heard?", order=1)
    impact = AuditQuestionFactory(text="What difference has the work made?", area="impact", order=2)

    # When the auditor opens the child's case audits and starts an audit
    sign_in(page, live_server, auditor.username)
    page.goto(f"{live_server.url}/children/{child.pk}/quality/")
    expect(page.get_by_text("This case has not been audited")).to_be_visible()
    page.get_by_role("link", name="Audit this case").click()
    page.get_by_role("button", name="Start the audit").click()

    # And answers the questions, grades the case good and sets an action for the worker
    page.get_by_label(f"1. {voice.text}").fill("Mia's words are quoted in every visit")
    page.get_by_label("Grade for question 1").select_option(label="Good")
    page.get_by_label(f"2. {impact.text}").fill("Attendance is up and she says home is calmer")
    page.get_by_label(re.compile("What life is like for the child")).fill("Mia is safer and says so")
    page.get_by_role("group", name="Overall grade").get_by_label("Good", exact=True).check()
    fill_date(page, "Date of the audit", today)
    page.get_by_label("Action 1 (optional)", exact=True).fill("Record Mia's views on contact")
    page.get_by_label("Who will do action 1").select_option(label="Priya Shah")
    fill_date(page, "Action 1 by when", today + dt.timedelta(days=14))
    page.get_by_role("button", name="Complete the audit").click()

    # Then the audit is complete, with its action for the worker
    expect(page.get_by_text("Audit completed")).to_be_visible()
    expect(page.get_by_text("Record Mia's views on contact")).to_be_visible()
    audit = CaseAudit.objects.get(child=child)
    assert (audit.status, audit.grade, audit.worker) == ("completed", "good", worker)
    assert AuditAction.objects.get(audit=audit).owner == worker

    # When the service manager moderates the audit as requiring improvement
    switch_user(page, live_server, service_manager)
    page.goto(f"{live_server.url}/children/{child.pk}/quality/{audit.pk}/")
    page.get_by_role("link", name="Moderate this audit").click()
    page.get_by_label("Requires improvement").check()
    fill_date(page, "Date of moderation", today)
    page.get_by_role("button", name="Save moderation").click()
    expect(page.get_by_text("Moderation recorded")).to_be_visible()
    assert Moderation.objects.get(audit=audit).grade == "requires_improvement"

    # Then the moderation report shows the auditor graded higher than the moderator
    page.goto(f"{live_server.url}/quality/moderation/")
    row = page.get_by_role("row").filter(has_text="Aled Davies")
    expect(row).to_contain_text("1 (100%)")
    expect(row.get_by_text("Optimistic")).to_be_visible()
