"""Issue 3, end to end: a child's whole child protection pathway through the real pages.

A social worker finds the child, records a police referral and starts an assessment; a team
manager authorises it towards a strategy discussion; the social worker records the strategy
discussion (police, health and education, one absent), the section 47 outcome, the initial
conference (after a refused attempt dated before the strategy discussion), the plan with one
SMART action and a contingency, a visit where the child was seen alone, a core group with
progress and a review conference. Then the record, the chronology and the child's own copy
of the plan show what happened.
"""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.assessment.models import CINEpisode
from opencsc.casework.models import ActionProgress, Meeting, MeetingAttendance, Visit
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection.models import Conference, CPPlan, Section47, StrategyDiscussion

from .helpers import fill_date, fill_person, save_screenshot, sign_in

# All in the past, whatever day the suite runs on (the forms refuse future dates).
REFERRAL_ON = dt.date(2026, 10, 5)  # Monday
ASSESSMENT_ON = dt.date(2026, 10, 6)
SEEN_ALONE_ON = dt.date(2026, 10, 7)
AUTHORISED_ON = dt.date(2026, 10, 7)
STRATEGY_ON = dt.date(2026, 10, 8)  # Thursday
S47_DONE_ON = dt.date(2026, 10, 20)
TOO_EARLY = dt.date(2026, 10, 7)  # the day before the strategy discussion
ICPC_ON = dt.date(2026, 10, 27)  # 13 working days after the strategy discussion
VISIT_ON = dt.date(2026, 11, 3)
CORE_GROUP_ON = dt.date(2026, 11, 6)
REVIEW_ON = dt.date(2026, 11, 19)

CHILDS_WORDS = "I have breakfast and tea at home every day"






def open_section(page, label: str):
    nav = page.get_by_role("navigation", name=re.compile("Sections of"))
    link = nav.get_by_role("link", name=label, exact=True)
    if not link.count():  # a section that does not apply to the child (yet) is under "All sections"
        nav.get_by_text("All sections").click()
    link.first.click()


def test_a_child_protection_pathway_from_police_referral_to_review_conference(page, live_server):
    # Given a child known to the service, a social worker and a team manager
    child = ChildFactory(first_name="Kai", last_name="Brennan", date_of_birth=dt.date(2016, 4, 1),
                         **search_keys("Kai", "Brennan"))
    worker = UserFactory(role="social_worker")
    manager = UserFactory(role="team_manager")
    sign_in(page, live_server, worker.username)

    # When the social worker finds the child
    page.goto(f"{live_server.url}/children/")
    page.locator("input[name=q]").fill("Brennan")
    page.get_by_role("button", name="Search").click()
    page.locator("table.govuk-table").get_by_role("link", name="Kai Brennan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kai Brennan")

    # And records a referral from the police
    open_section(page, "Need and assessment")
    page.get_by_role("link", name="Record a referral").click()
    fill_date(page, "Referral date", REFERRAL_ON)
    page.get_by_label("Who made the referral").select_option(label="Police")
    page.get_by_label("Abuse, neglect and exploitation").check()
    page.get_by_label("Reason for the referral").fill("Police found Kai alone at home at night with no food")
    page.get_by_role("button", name="Save referral").click()
    expect(page.get_by_role("heading", name="Episode of need")).to_be_visible()

    # And starts an assessment with Kai seen, and seen alone
    page.get_by_role("link", name="Start an assessment").click()
    fill_date(page, "Assessment start date", ASSESSMENT_ON)
    fill_date(page, "Date the child was seen$", ASSESSMENT_ON)
    fill_date(page, "Date the child was seen alone", SEEN_ALONE_ON)
    page.get_by_label("The child's views and wishes").fill("I get hungry when Mum goes out")
    page.get_by_label("Analysis").fill("Neglect: Kai is left alone and hungry; a strategy discussion is needed")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("7 Oct 2026")).to_be_visible()  # seen alone
    # And submits it for authorisation
    page.get_by_role("link", name="Submit for authorisation").click()
    page.get_by_role("button", name="Submit for authorisation").click()
    expect(page.get_by_text("Assessment submitted for authorisation")).to_be_visible()

    # And the team manager authorises it, deciding child protection concerns need a strategy discussion
    page.context.clear_cookies()
    sign_in(page, live_server, manager.username)
    episode = CINEpisode.objects.get(child=child)
    page.goto(f"{live_server.url}/children/{child.pk}/need/{episode.pk}/")
    page.get_by_role("link", name="Authorise the assessment").click()
    fill_date(page, "Authorisation date", AUTHORISED_ON)
    page.get_by_label("Strategy discussion (child protection concerns)").check()
    page.get_by_role("button", name="Authorise assessment").click()
    expect(page.get_by_text("Authorised in time")).to_be_visible()

    # And the social worker records a strategy discussion with police, health and education
    page.context.clear_cookies()
    sign_in(page, live_server, worker.username)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    open_section(page, "Child protection")
    page.get_by_role("link", name="Record a strategy discussion").click()
    fill_date(page, "Date of the strategy discussion", STRATEGY_ON)
    fill_person(page, 1, "DC Amira Shah", "Police")
    fill_person(page, 2, "Jo Platt", "Health", "Invited, did not attend")
    fill_person(page, 3, "Mrs K Lewis", "Education")
    page.get_by_label("Information shared").fill("Kai is often hungry at school; police found him home alone.")
    page.get_by_label("Start a section 47 enquiry").check()
    page.get_by_role("button", name="Save strategy discussion").click()
    expect(page.get_by_text("Strategy discussion recorded")).to_be_visible()
    expect(page.get_by_text("Jo Platt, Health: invited, did not attend")).to_be_visible()

    # And the outcome of the section 47 enquiry: concerns substantiated, a conference is needed
    page.get_by_role("link", name=re.compile("Record outcome")).click()
    page.get_by_label("Concerns substantiated: initial child protection conference").check()
    fill_date(page, "Date the enquiry was completed", S47_DONE_ON)
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("Section 47 outcome recorded")).to_be_visible()

    # And tries an initial conference dated before the strategy discussion
    page.get_by_role("link", name="Record a conference").click()
    page.get_by_label("Initial child protection conference").check()
    page.get_by_label(re.compile("Section 47 enquiry it follows")).select_option(label="Started 08 Oct 2026")
    fill_date(page, "Date of the conference", TOO_EARLY)
    page.get_by_label(re.compile(r"^Chair")).fill("Pat Morgan")
    fill_person(page, 1, "DC Amira Shah", "Police")
    page.get_by_label("Child protection plan needed", exact=True).check()
    page.get_by_label("Category of abuse").select_option(label="Neglect")
    page.get_by_role("button", name="Save conference").click()

    # Then it is refused with an error summary, keeping what was typed, and nothing is saved
    expect(page.get_by_role("alert")).to_contain_text(
        "The conference date must be on or after the strategy discussion on 8 Oct 2026")
    expect(page.get_by_label(re.compile(r"^Chair"))).to_have_value("Pat Morgan")
    expect(page.get_by_label("Child protection plan needed", exact=True)).to_be_checked()
    expect(page.get_by_label("Category of abuse")).to_have_value("NEG")
    expect(page.get_by_role("group", name="Person 1", exact=True).get_by_label("Name")).to_have_value("DC Amira Shah")
    expect(page.get_by_role("group", name=re.compile("Date of the conference")).get_by_label("Day")).to_have_value("7")
    assert Conference.objects.filter(child=child).count() == 0
    assert Meeting.objects.filter(child=child, kind=Meeting.Kind.ICPC).count() == 0

    # When they correct the date to within 15 working days of the strategy discussion
    fill_date(page, "Date of the conference", ICPC_ON)
    fill_person(page, 2, "Jo Platt", "Health")
    page.get_by_role("button", name="Save conference").click()

    # Then they are taken to start the plan, with one SMART action and a contingency
    expect(page.get_by_role("heading", name="Start the child protection plan")).to_be_visible()
    page.get_by_label("Contingency plan").fill("Legal planning meeting if Kai is left alone again.")
    page.get_by_label("The plan in words the child understands").fill(
        "Everyone wants you to have food and a grown-up with you at home.")
    action = page.get_by_role("group", name="Action 1", exact=True)
    action.get_by_label("What must change for the child").fill(CHILDS_WORDS)
    action.get_by_label("What will be done").fill("Family support worker helps Mum plan meals and childcare")
    action.get_by_label("Who will do it").fill("Mum and the family support worker")
    fill_date(action, "By when", dt.date(2027, 1, 29))
    action.get_by_label("How we will know it has worked").fill("Unannounced visits find food and an adult at home")
    page.get_by_role("button", name="Start plan").click()
    expect(page.get_by_text("Child protection plan started")).to_be_visible()
    expect(page.get_by_text("On time", exact=True)).to_be_visible()  # the initial conference within 15 working days
    save_screenshot(page, "cp_pathway_plan_started")

    # And records a child protection visit where Kai was seen alone
    open_section(page, "Visits")
    # (By name, not label: the filter and this form both render id="id_kind", so the label
    # "Kind of visit" points at the filter's select. Reported as an app bug.)
    visit_form = page.locator("form").filter(has=page.get_by_role("button", name="Save visit"))
    visit_form.locator("select[name=kind]").select_option(label="Child protection visit")
    fill_date(page, "Date of the visit", VISIT_ON)
    page.get_by_label("Child seen", exact=True).check()
    page.get_by_label("Child seen alone").check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit recorded")).to_be_visible()

    # And a core group with progress against the action
    open_section(page, "Plans")
    page.get_by_role("link", name="Child protection plan").click()
    page.get_by_role("link", name="Record a meeting").click()
    expect(page.get_by_label("Kind of meeting")).to_have_value("core_group")
    fill_date(page, "Date of the meeting", CORE_GROUP_ON)
    page.get_by_label("Attendee 1: name").fill("Mrs K Lewis")
    page.get_by_label("Attendee 1: agency").fill("Education")
    progress = page.get_by_role("group", name=re.compile("Family support worker helps Mum"))
    progress.get_by_label("Progress", exact=True).select_option(label="On track")
    progress.get_by_label(re.compile("^Comment on progress")).fill("Food in the cupboards at both visits")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_text("Food in the cupboards at both visits")).to_be_visible()

    # And a review conference that keeps the plan
    open_section(page, "Child protection")
    page.get_by_role("link", name="Record a conference").click()
    page.get_by_label("Review child protection conference").check()
    fill_date(page, "Date of the conference", REVIEW_ON)
    fill_person(page, 1, "DC Amira Shah", "Police")
    page.get_by_label("Child protection plan continues").check()
    page.get_by_label("Category of abuse").select_option(label="Neglect")
    page.get_by_role("button", name="Save conference").click()
    expect(page.get_by_text("Review child protection conference recorded")).to_be_visible()

    # Then the record shows a child protection plan among the services now
    open_section(page, "Summary")
    services = page.get_by_role("heading", name="Services now").locator("xpath=following-sibling::*[1]")
    expect(services).to_contain_text("Child protection plan")

    # And the chronology lists the strategy discussion, the initial conference and the plan
    open_section(page, "Chronology")
    expect(page.get_by_text(re.compile(r"^Strategy discussion: start a section 47")).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Initial child protection conference: child protection plan")).first
           ).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Child protection plan started")).first).to_be_visible()
    save_screenshot(page, "cp_pathway_chronology")

    # And Kai's own copy of the plan shows the action in his words
    open_section(page, "Plans")
    page.get_by_role("link", name="Child protection plan").click()
    page.get_by_role("link", name=re.compile("to print")).click()
    expect(page.get_by_role("heading", name="Kai's plan")).to_be_visible()
    expect(page.get_by_text(CHILDS_WORDS)).to_be_visible()
    expect(page.get_by_text("Everyone wants you to have food and a grown-up with you at home.")).to_be_visible()
    save_screenshot(page, "cp_pathway_plan_for_the_child")

    # And what was recorded is what the pages said
    discussion = StrategyDiscussion.objects.get(child=child)
    assert sorted(discussion.meeting.attendance.values_list("agency", "status")) == [
        ("Education", MeetingAttendance.Status.ATTENDED),
        ("Health", MeetingAttendance.Status.ABSENT),
        ("Police", MeetingAttendance.Status.ATTENDED),
    ]
    assert Section47.objects.get(child=child).outcome == Section47.Outcome.SUBSTANTIATED
    cp_plan = CPPlan.objects.get(child=child)
    assert (cp_plan.plan.start_date, cp_plan.initial_category, cp_plan.plan.end_date) == (ICPC_ON, "NEG", None)
    assert cp_plan.plan.contingency
    assert sorted(Conference.objects.filter(child=child).values_list("kind", flat=True)) == ["initial", "review"]
    visit = Visit.objects.get(child=child)
    assert (visit.kind, visit.visited_on, visit.child_seen, visit.child_seen_alone) == ("cp", VISIT_ON, True, True)
    progress_row = ActionProgress.objects.get(action__plan=cp_plan.plan)
    assert (progress_row.meeting.kind, progress_row.status) == (Meeting.Kind.CORE_GROUP, "on_track")
