"""Pages for plans, meetings, visits and management oversight, through the test client."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import CASEWORK_ROLES, READ_ALL_ROLES, Role
from opencsc.casework.models import (
    ActionProgress,
    Meeting,
    MeetingAttendance,
    OversightAction,
    OversightRecord,
    Plan,
    PlanAction,
    Visit,
)
from opencsc.people.tests.factories import ChildFactory

from .factories import (
    ActionProgressFactory,
    MeetingAttendanceFactory,
    MeetingFactory,
    OversightActionFactory,
    OversightRecordFactory,
    PlanActionFactory,
    PlanFactory,
    VisitFactory,
)

TODAY = timezone.localdate
MODELS = (Plan, PlanAction, Meeting, MeetingAttendance, ActionProgress, Visit, OversightRecord, OversightAction)


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def date_fields(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def url(name, *args):
    return reverse(f"casework:{name}", args=args)


# --- plans list and detail -----------------------------------------------------------------


def test_plans_list_shows_open_plans_first_and_flags_overdue_reviews(signed_in):
    child = ChildFactory()
    PlanFactory(child=child, kind="cin", start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 6, 1),
                review_due=dt.date(2024, 3, 1))
    PlanFactory(child=child, kind="cp", start_date=TODAY() - dt.timedelta(days=100),
                review_due=TODAY() - dt.timedelta(days=1))
    client = signed_in(Role.AUDITOR)

    html = client.get(url("plans", child.pk)).content.decode()

    assert html.index("Child protection plan") < html.index("Child in need plan")
    assert html.count("Overdue for review") == 1


def test_plans_list_empty_state(signed_in):
    html = signed_in(Role.SOCIAL_WORKER).get(url("plans", ChildFactory().pk)).content.decode()

    assert "No plans yet" in html


@pytest.mark.parametrize(
    ("review_offset", "ended", "overdue"),
    [(-1, False, True), (0, False, False), (5, False, False), (-1, True, False), (None, False, False)],
)
def test_plan_detail_overdue_tag(signed_in, review_offset, ended, overdue):
    review = None if review_offset is None else TODAY() + dt.timedelta(days=review_offset)
    plan = PlanFactory(start_date=TODAY() - dt.timedelta(days=60), review_due=review,
                       end_date=TODAY() if ended else None)

    html = signed_in(Role.SOCIAL_WORKER).get(url("plan_detail", plan.child_id, plan.pk)).content.decode()

    assert ("Overdue for review" in html) is overdue


def test_plan_detail_shows_smart_actions_latest_progress_contingency_and_attendance(signed_in):
    plan = PlanFactory(contingency="Call a legal planning meeting")
    item = PlanActionFactory(plan=plan, what_must_change="Jade feels safe at bedtime", responsible="Dad",
                             responsible_agency="Family", due_date=dt.date(2026, 5, 4), measure="Jade says so",
                             status="on_track")
    older = MeetingFactory(child=plan.child, plan=plan, held_on=dt.date(2026, 2, 1))
    newer = MeetingFactory(child=plan.child, plan=plan, held_on=dt.date(2026, 3, 1), chair="Sam Lee")
    ActionProgressFactory(meeting=older, action=item, comment="Early days")
    ActionProgressFactory(meeting=newer, action=item, comment="Bedtime routine in place")
    MeetingAttendanceFactory(meeting=newer, name="PC Jones", agency="Police", status="apologies")

    html = signed_in(Role.SOCIAL_WORKER).get(url("plan_detail", plan.child_id, plan.pk)).content.decode()

    for text in ("Jade feels safe at bedtime", "Dad (Family)", "4 May 2026", "Jade says so", "On track",
                 "Bedtime routine in place", "Call a legal planning meeting", "PC Jones", "gave apologies",
                 "Sam Lee"):
        assert text in html, text
    assert "Early days" not in html


def test_plan_detail_with_no_actions_or_meetings(signed_in):
    plan = PlanFactory(contingency="")

    html = signed_in(Role.SOCIAL_WORKER).get(url("plan_detail", plan.child_id, plan.pk)).content.decode()

    assert "No actions yet" in html
    assert "No meetings recorded yet" in html
    assert "No contingency plan" in html


def test_a_plan_of_another_child_is_not_found(signed_in):
    plan = PlanFactory()
    other = ChildFactory()
    client = signed_in(Role.SOCIAL_WORKER)

    for name in ("plan_detail", "plan_child_version", "plan_action_add", "plan_meeting_add", "plan_end"):
        assert client.get(url(name, other.pk, plan.pk)).status_code == 404, name


def test_plan_detail_queries_do_not_grow_with_actions_and_meetings(signed_in):
    client = signed_in(Role.SOCIAL_WORKER)
    small, large = PlanFactory(), PlanFactory()
    for plan, size in ((small, 1), (large, 15)):
        for _ in range(size):
            item = PlanActionFactory(plan=plan)
            meeting = MeetingFactory(child=plan.child, plan=plan)
            MeetingAttendanceFactory(meeting=meeting)
            ActionProgressFactory(meeting=meeting, action=item)

    numbers = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("plan_detail", plan.child_id, plan.pk)).status_code == 200
        numbers.append(len(queries))

    assert numbers[0] == numbers[1], numbers


@pytest.mark.parametrize("role", sorted(READ_ALL_ROLES))
def test_record_buttons_only_for_those_who_may_record(signed_in, role):
    plan = PlanFactory()

    html = signed_in(role).get(url("plan_detail", plan.child_id, plan.pk)).content.decode()

    assert ("Add an action" in html) is (role in CASEWORK_ROLES)


# --- adding actions --------------------------------------------------------------------------


def test_add_an_action(signed_in):
    plan = PlanFactory()
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(url("plan_action_add", plan.child_id, plan.pk), {
        "what_must_change": "Jade attends school", "action": "Walk Jade to school", "responsible": "Mum",
        "responsible_agency": "", "measure": "Attendance over 95%", **date_fields("due_date", dt.date(2026, 7, 1)),
    })

    assert response.status_code == 302
    item = plan.actions.get()
    assert (item.responsible, item.due_date) == ("Mum", dt.date(2026, 7, 1))


def test_add_an_action_shows_every_missing_part(signed_in):
    plan = PlanFactory()
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(url("plan_action_add", plan.child_id, plan.pk), {"action": "Something"})

    html = response.content.decode()
    assert response.status_code == 200
    for message in ("Enter what must change for the child", "Enter who will do this",
                    "Enter how you will know it has worked", "There is a problem"):
        assert message in html
    assert PlanAction.objects.count() == 0


@pytest.mark.parametrize("role", sorted(set(Role.values) - CASEWORK_ROLES))
def test_roles_that_may_not_record_cannot_add_actions(signed_in, role):
    plan = PlanFactory()
    before = counts()

    response = signed_in(role).post(url("plan_action_add", plan.child_id, plan.pk), {
        "what_must_change": "x", "action": "y", "responsible": "z", "measure": "m",
        **date_fields("due_date", dt.date(2026, 7, 1))})

    assert response.status_code == 403
    assert counts() == before


# --- recording a meeting ----------------------------------------------------------------------


def test_record_a_meeting_with_attendees_and_progress(signed_in):
    plan = PlanFactory(kind="cp")
    first, second = PlanActionFactory(plan=plan), PlanActionFactory(plan=plan)
    PlanActionFactory(plan=plan, status="done", action="Finished already")
    client = signed_in(Role.SOCIAL_WORKER)
    page = client.get(url("plan_meeting_add", plan.child_id, plan.pk)).content.decode()
    assert "Finished already" not in page
    assert 'value="core_group" selected' in page

    response = client.post(url("plan_meeting_add", plan.child_id, plan.pk), {
        "kind": "core_group", **date_fields("held_on", TODAY()), "chair": "", "summary": "Good progress",
        "child_attended": "on",
        "attendee_1_name": "PC Jones", "attendee_1_agency": "Police", "attendee_1_role": "", "attendee_1_status":
            "attended",
        "attendee_2_name": "", "attendee_2_agency": "", "attendee_2_role": "", "attendee_2_status": "attended",
        "attendee_3_name": "Ms Khan", "attendee_3_agency": "Education", "attendee_3_role": "Head teacher",
        "attendee_3_status": "report",
        f"progress_{first.pk}_status": "off_track", f"progress_{first.pk}_comment": "Late three times",
        f"progress_{second.pk}_status": "", f"progress_{second.pk}_comment": "",
    })

    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get()
    assert (meeting.plan, meeting.kind, meeting.child_attended) == (plan, "core_group", True)
    assert sorted(meeting.attendance.values_list("name", "status")) == [("Ms Khan", "report"),
                                                                        ("PC Jones", "attended")]
    assert list(meeting.progress.values_list("action_id", "status")) == [(first.pk, "off_track")]
    assert PlanAction.objects.get(pk=first.pk).status == "off_track"


def test_a_half_filled_attendee_row_is_refused_and_nothing_saved(signed_in):
    plan = PlanFactory()
    client = signed_in(Role.SOCIAL_WORKER)
    before = counts()

    response = client.post(url("plan_meeting_add", plan.child_id, plan.pk), {
        "kind": "cin_meeting", **date_fields("held_on", TODAY()), "attendee_1_name": "PC Jones",
        "attendee_1_agency": "", "attendee_1_status": "attended"})

    assert response.status_code == 200
    assert "Enter the agency of PC Jones" in response.content.decode()
    assert counts() == before


def test_a_meeting_in_the_future_is_refused(signed_in):
    plan = PlanFactory()
    before = counts()

    response = signed_in(Role.SOCIAL_WORKER).post(url("plan_meeting_add", plan.child_id, plan.pk), {
        "kind": "cin_meeting", **date_fields("held_on", TODAY() + dt.timedelta(days=2))})

    assert response.status_code == 200
    assert "must be today or in the past" in response.content.decode()
    assert counts() == before


# --- ending a plan ------------------------------------------------------------------------------


def test_end_a_plan(signed_in):
    plan = PlanFactory(start_date=TODAY() - dt.timedelta(days=20))

    response = signed_in(Role.TEAM_MANAGER).post(url("plan_end", plan.child_id, plan.pk),
                                                 date_fields("end_date", TODAY()))

    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).end_date == TODAY()


def test_ending_a_plan_before_it_started_is_refused_with_a_clear_message(signed_in):
    plan = PlanFactory(start_date=TODAY() - dt.timedelta(days=20))

    response = signed_in(Role.SOCIAL_WORKER).post(url("plan_end", plan.child_id, plan.pk),
                                                  date_fields("end_date", plan.start_date - dt.timedelta(days=1)))

    assert response.status_code == 200
    assert "The end date must be the same as or after the plan&#x27;s start date" in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).end_date is None


# --- the plan for the child ---------------------------------------------------------------------


def test_the_plan_for_the_child_is_printable_and_in_simple_words(signed_in):
    child = ChildFactory(first_name="Jade", preferred_name="")
    plan = PlanFactory(child=child, child_friendly_summary="We want you to feel safe at home.",
                       summary="Neglect: home conditions and supervision")
    PlanActionFactory(plan=plan, what_must_change="You get to school on time", responsible="Mum",
                      action="Walk you to school", measure="You are not late for a month")
    PlanActionFactory(plan=plan, status="stopped", what_must_change="Not needed any more")

    response = signed_in(Role.SOCIAL_WORKER).get(url("plan_child_version", child.pk, plan.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Jade's plan</h1>" in html
    assert "We want you to feel safe at home." in html
    assert "You get to school on time" in html
    assert "Walk you to school" in html
    assert "Not needed any more" not in html
    assert "Neglect: home conditions" not in html
    assert "casework/print.css" in html
    assert " style=" not in html
    assert "<style" not in html


def test_the_print_stylesheet_exists_and_hides_navigation_when_printing():
    from django.contrib.staticfiles import finders

    path = finders.find("casework/print.css")
    assert path
    text = open(path, encoding="utf-8").read()
    assert "@media print" in text
    assert "govuk-header" in text


# --- visits ------------------------------------------------------------------------------------


def test_visits_list_filters_by_kind(signed_in):
    child = ChildFactory()
    VisitFactory(child=child, kind="cp", visited_on=dt.date(2026, 3, 3), summary="CP visit note")
    VisitFactory(child=child, kind="cin", visited_on=dt.date(2026, 2, 2), summary="CIN visit note")
    client = signed_in(Role.AUDITOR)

    everything = client.get(url("visits", child.pk)).content.decode()
    only_cp = client.get(url("visits", child.pk), {"kind": "cp"}).content.decode()

    assert "CP visit note" in everything and "CIN visit note" in everything
    assert "CP visit note" in only_cp and "CIN visit note" not in only_cp
    assert "Record a visit" not in everything


def test_visits_empty_states(signed_in):
    child = ChildFactory()
    client = signed_in(Role.SOCIAL_WORKER)

    assert "No visits yet" in client.get(url("visits", child.pk)).content.decode()
    assert "No visits of this kind" in client.get(url("visits", child.pk), {"kind": "pa"}).content.decode()


def test_visits_are_paginated(signed_in):
    child = ChildFactory()
    for day in range(30):
        VisitFactory(child=child, visited_on=dt.date(2026, 1, 1) + dt.timedelta(days=day))
    client = signed_in(Role.SOCIAL_WORKER)

    first = client.get(url("visits", child.pk)).content.decode()
    second = client.get(url("visits", child.pk), {"page": 2}).content.decode()

    assert "1 of 2" in first
    assert ">30 Jan 2026<" in first and ">1 Jan 2026<" not in first
    assert ">1 Jan 2026<" in second


def test_record_a_visit(signed_in):
    child = ChildFactory()
    client = signed_in(Role.SOCIAL_WORKER)

    response = client.post(url("visits", child.pk), {
        "kind": "cp", **date_fields("visited_on", TODAY()), "child_seen": "on", "child_seen_alone": "on",
        "summary": "Jade showed me her room", "bedroom_seen": "on"})

    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.child, visit.kind, visit.child_seen_alone, visit.bedroom_seen) == (child, "cp", True, True)


def test_seen_alone_without_seen_is_refused(signed_in):
    child = ChildFactory()

    response = signed_in(Role.SOCIAL_WORKER).post(url("visits", child.pk), {
        "kind": "cin", **date_fields("visited_on", TODAY()), "child_seen_alone": "on"})

    assert response.status_code == 200
    assert "Select &#x27;child seen&#x27; if the child was seen alone" in response.content.decode()
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("role", sorted(set(Role.values) - CASEWORK_ROLES))
def test_roles_that_may_not_record_cannot_record_visits(signed_in, role):
    child = ChildFactory()

    response = signed_in(role).post(url("visits", child.pk), {
        "kind": "cin", **date_fields("visited_on", TODAY()), "child_seen": "on"})

    assert response.status_code == 403
    assert Visit.objects.count() == 0


# --- oversight ---------------------------------------------------------------------------------


def test_oversight_lists_decisions_and_actions(signed_in):
    child = ChildFactory()
    record = OversightRecordFactory(child=child, decisions="Escalate to strategy discussion")
    OversightActionFactory(record=record, action="Convene strategy", owner="Team manager",
                           due_date=dt.date(2026, 2, 18))

    html = signed_in(Role.AUDITOR).get(url("oversight", child.pk)).content.decode()

    for text in ("Escalate to strategy discussion", "Convene strategy", "Team manager", "18 Feb 2026"):
        assert text in html
    assert "Record management oversight" not in html


def test_oversight_empty_state(signed_in):
    html = signed_in(Role.SOCIAL_WORKER).get(url("oversight", ChildFactory().pk)).content.decode()

    assert "No management oversight recorded yet" in html


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.SENIOR_PRACTITIONER])
def test_managers_record_oversight_with_actions(signed_in, role):
    child = ChildFactory()
    client = signed_in(role)
    assert "Record management oversight" in client.get(url("oversight", child.pk)).content.decode()

    response = client.post(url("oversight", child.pk), {
        "kind": "oversight", **date_fields("held_on", TODAY()), "decisions": "Step up to CP",
        "action_1_action": "Hold a strategy discussion", "action_1_owner": "Team manager",
        **date_fields("action_1_due_date", TODAY() + dt.timedelta(days=1)),
        "action_2_action": "", "action_2_owner": "",
    })

    assert response.status_code == 302
    record = OversightRecord.objects.get()
    assert (record.recorded_by, record.decisions) == (client.user, "Step up to CP")
    assert list(record.actions.values_list("owner", flat=True)) == ["Team manager"]


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.TEAM_MANAGER, Role.SERVICE_MANAGER,
                                                             Role.SENIOR_PRACTITIONER}))
def test_other_roles_cannot_record_oversight(signed_in, role):
    child = ChildFactory()
    client = signed_in(role)
    before = counts()

    response = client.post(url("oversight", child.pk), {
        "kind": "oversight", **date_fields("held_on", TODAY()), "decisions": "Close the case"})

    assert response.status_code in (403, 404)
    assert counts() == before


def test_oversight_action_row_without_an_owner_is_refused(signed_in):
    child = ChildFactory()
    client = signed_in(Role.TEAM_MANAGER)

    response = client.post(url("oversight", child.pk), {
        "kind": "oversight", **date_fields("held_on", TODAY()), "decisions": "Continue",
        "action_1_action": "Visit weekly", **date_fields("action_1_due_date", TODAY())})

    assert response.status_code == 200
    assert "Enter who will do action 1" in response.content.decode()
    assert OversightRecord.objects.count() == 0


# --- the record page ---------------------------------------------------------------------------


def test_record_page_shows_open_plans_last_visit_and_the_new_sections(signed_in):
    child = ChildFactory()
    PlanFactory(child=child, kind="cp", review_due=TODAY() - dt.timedelta(days=2))
    PlanFactory(child=child, kind="cin", end_date=dt.date(2026, 1, 30))
    VisitFactory(child=child, visited_on=dt.date(2026, 1, 3), child_seen_alone=False)
    VisitFactory(child=child, kind="cp", visited_on=dt.date(2026, 2, 9), child_seen_alone=True)

    html = signed_in(Role.SOCIAL_WORKER).get(url("child_record", child.pk)).content.decode()
    plans = html[html.index(">Open plans<"):html.index(">Last visit<")]
    visit = html[html.index(">Last visit<"):html.index(">Recent chronology<")]

    assert "Child protection plan" in plans and "Child in need plan" not in plans
    assert "Overdue for review" in plans
    assert "9 Feb 2026" in visit and "child seen alone" in visit
    for section in ("Plans", "Visits", "Oversight"):
        assert f">{section}</a>" in html


def test_the_visits_page_gives_every_field_its_own_id(signed_in):
    """The filter and the record-a-visit form both have a kind field: each label must point at its own."""
    import re

    from opencsc.people.tests.factories import ChildFactory

    client = signed_in("social_worker")
    child = ChildFactory()
    body = client.get(f"/children/{child.pk}/visits/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
