"""Plans, actions, meetings, visits and oversight: the services' rules, and that refusals change nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opencsc.accounts.roles import CASEWORK_ROLES, Role
from opencsc.casework import services
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
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory

from .factories import PlanActionFactory, PlanFactory

TODAY = timezone.localdate
MODELS = (Plan, PlanAction, Meeting, MeetingAttendance, ActionProgress, Visit, OversightRecord, OversightAction,
          AuditEvent)


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def refused(call, field=None, message=None, error=ValidationError):
    """Given a call the rules refuse, then it raises and no row anywhere changes."""
    before = counts()
    with pytest.raises(error) as caught:
        call()
    assert counts() == before
    if field is not None:
        assert any(message in text for text in caught.value.message_dict[field]), caught.value.message_dict
    elif message is not None:
        assert message in " ".join(caught.value.messages)
    return caught.value


@pytest.fixture
def worker(make_user):
    return make_user(role=Role.SOCIAL_WORKER)


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=dt.date(2015, 6, 1))


# --- plan_create / plan_end ----------------------------------------------------------------


def test_plan_create_records_the_plan_and_audits_it(worker, child):
    plan = services.plan_create(actor=worker, child=child, kind="cp", start_date=TODAY(), summary=" Keep safe ",
                                contingency="Legal planning meeting", review_due=TODAY() + dt.timedelta(days=90))

    plan.refresh_from_db()
    assert (plan.kind, plan.summary, plan.created_by) == ("cp", "Keep safe", worker)
    event = AuditEvent.objects.get(object_id=str(plan.pk), content_type__model="plan")
    assert event.child == child
    assert event.action == AuditEvent.Action.CREATED
    assert event.changes["contingency"] == [None, "Legal planning meeting"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"start_date": "tomorrow"}, "start_date", "The plan's start date must be today or in the past"),
        ({"kind": "nonsense"}, "kind", "Select the kind of plan"),
        ({"review_due": "yesterday_before_start"}, "review_due",
         "The review date must be the same as or after the plan's start date"),
    ],
)
def test_plan_create_refuses_bad_input(worker, child, values, field, message):
    kwargs = {"kind": "cin", "start_date": TODAY() - dt.timedelta(days=10)}
    if values.get("start_date") == "tomorrow":
        kwargs["start_date"] = TODAY() + dt.timedelta(days=1)
    if values.get("kind"):
        kwargs["kind"] = values["kind"]
    if values.get("review_due"):
        kwargs["review_due"] = kwargs["start_date"] - dt.timedelta(days=1)

    refused(lambda: services.plan_create(actor=worker, child=child, **kwargs), field, message)


@pytest.mark.parametrize("role", sorted(set(Role.values) - CASEWORK_ROLES))
def test_only_casework_roles_may_start_a_plan(make_user, child, role):
    refused(lambda: services.plan_create(actor=make_user(role=role), child=child, kind="cin", start_date=TODAY()),
            error=PermissionDenied)


def test_plan_end_sets_the_end_date(worker):
    plan = PlanFactory(start_date=TODAY() - dt.timedelta(days=30))

    services.plan_end(actor=worker, plan=plan, end_date=TODAY())

    plan.refresh_from_db()
    assert plan.end_date == TODAY()
    assert AuditEvent.objects.filter(object_id=str(plan.pk), changes__has_key="end_date").count() == 1


@pytest.mark.parametrize(
    ("end_offset", "message"),
    [
        (-31, "The end date must be the same as or after the plan's start date"),
        (1, "The end date must be today or in the past"),
    ],
)
def test_plan_end_refuses_bad_dates(worker, end_offset, message):
    plan = PlanFactory(start_date=TODAY() - dt.timedelta(days=30))

    refused(lambda: services.plan_end(actor=worker, plan=plan, end_date=TODAY() + dt.timedelta(days=end_offset)),
            "end_date", message)
    plan.refresh_from_db()
    assert plan.end_date is None


def test_plan_end_on_its_start_date_is_allowed(worker):
    plan = PlanFactory(start_date=TODAY() - dt.timedelta(days=3))

    services.plan_end(actor=worker, plan=plan, end_date=plan.start_date)

    assert Plan.objects.get(pk=plan.pk).end_date == plan.start_date


def test_a_plan_cannot_end_twice(worker):
    first_end = TODAY() - dt.timedelta(days=5)
    plan = PlanFactory(start_date=TODAY() - dt.timedelta(days=30), end_date=first_end)

    refused(lambda: services.plan_end(actor=worker, plan=plan, end_date=TODAY()), "end_date",
            f"This plan has already ended ({first_end.day} {first_end:%b %Y})")
    assert Plan.objects.get(pk=plan.pk).end_date == first_end


# --- plan actions ---------------------------------------------------------------------------

GOOD_ACTION = {
    "what_must_change": "Jade is not left alone overnight",
    "action": "Arrange a childminder for late shifts",
    "responsible": "Mum",
    "due_date": dt.date(2026, 6, 1),
    "measure": "Jade tells her social worker she is never alone at night",
}


def test_plan_action_add_numbers_the_actions(worker):
    plan = PlanFactory()

    first = services.plan_action_add(actor=worker, plan=plan, **GOOD_ACTION)
    second = services.plan_action_add(actor=worker, plan=plan, responsible_agency="Health", **GOOD_ACTION)

    assert [a.pk for a in plan.actions.all()] == [first.pk, second.pk]
    assert second.order > first.order
    assert second.responsible_agency == "Health"
    assert AuditEvent.objects.filter(content_type__model="planaction").count() == 2


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("what_must_change", "Enter what must change for the child"),
        ("action", "Enter what will be done"),
        ("responsible", "Enter who will do this"),
        ("due_date", "Enter the date this will be done by"),
        ("measure", "Enter how you will know it has worked"),
    ],
)
@pytest.mark.parametrize("blank", ["", "   ", None])
def test_plan_action_needs_what_who_when_and_how(worker, field, message, blank):
    plan = PlanFactory()
    values = {**GOOD_ACTION, field: None if field == "due_date" else blank}

    refused(lambda: services.plan_action_add(actor=worker, plan=plan, **values), field, message)


def test_no_actions_can_be_added_to_an_ended_plan(worker):
    plan = PlanFactory(end_date=dt.date(2026, 3, 1))

    refused(lambda: services.plan_action_add(actor=worker, plan=plan, **GOOD_ACTION),
            message="You cannot add actions to a plan that has ended")


def test_plan_action_update_changes_and_audits(worker):
    item = PlanActionFactory()

    changes = services.plan_action_update(actor=worker, action=item, status="on_track", responsible=" Dad ")

    item.refresh_from_db()
    assert (item.status, item.responsible) == ("on_track", "Dad")
    assert changes["status"] == ["not_started", "on_track"]


def test_plan_action_update_refuses_blanking_a_required_part(worker):
    item = PlanActionFactory()

    refused(lambda: services.plan_action_update(actor=worker, action=item, measure=" "), "measure",
            "Enter how you will know it has worked")
    with pytest.raises(ValueError):
        services.plan_action_update(actor=worker, action=item, plan_id=1)
    assert PlanAction.objects.get(pk=item.pk).measure == item.measure


# --- meetings --------------------------------------------------------------------------------


def test_meeting_record_saves_attendance_and_progress_and_moves_the_actions_on(worker):
    plan = PlanFactory(kind="cp")
    first, second = PlanActionFactory(plan=plan), PlanActionFactory(plan=plan)

    meeting = services.meeting_record(
        actor=worker, child=plan.child, kind="core_group", held_on=TODAY(), plan=plan, chair="Sam Lee",
        child_attended=True,
        attendance=[{"name": "PC Jones", "agency": "Police", "role": "Officer", "status": "attended"},
                    {"name": "Dr Patel", "agency": "Health", "status": "report"}],
        progress=[{"action": first, "status": "done", "comment": "Childminder in place"}],
    )

    assert list(meeting.attendance.order_by("id").values_list("name", "agency", "status")) == [
        ("PC Jones", "Police", "attended"), ("Dr Patel", "Health", "report")]
    assert ActionProgress.objects.get(meeting=meeting).action == first
    assert PlanAction.objects.get(pk=first.pk).status == "done"
    assert PlanAction.objects.get(pk=second.pk).status == "not_started"
    assert AuditEvent.objects.filter(content_type__model="meeting", object_id=str(meeting.pk)).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"held_on": "tomorrow"}, "held_on", "The date of the meeting must be today or in the past"),
        ({"kind": "party"}, "kind", "Select the kind of meeting"),
        ({"attendance": [{"name": "PC Jones", "agency": ""}]}, "attendance", "Enter the agency of PC Jones"),
        ({"attendance": [{"name": "", "agency": "Police"}]}, "attendance", "Enter the name of attendee 1"),
        ({"attendance": [{"name": "A", "agency": "B", "status": "asleep"}]}, "attendance",
         "Select whether A attended"),
        ({"progress": "other_plan"}, "progress", "Progress can only be recorded against actions in this plan"),
        ({"progress": "no_comment"}, "progress", "Enter a comment on the progress of"),
        ({"progress": "no_status"}, "progress", "Select the progress of the action"),
        ({"progress": "twice"}, "progress", "Record progress on each action once"),
        ({"plan": "other_child"}, "plan", "This plan is not for this child"),
    ],
)
def test_meeting_record_refuses_bad_input(worker, change, field, message):
    plan = PlanFactory()
    item = PlanActionFactory(plan=plan)
    kwargs = {"actor": worker, "child": plan.child, "kind": "cin_meeting", "held_on": TODAY(), "plan": plan}
    kwargs.update({k: v for k, v in change.items() if k in ("kind", "attendance")})
    if change.get("held_on") == "tomorrow":
        kwargs["held_on"] = TODAY() + dt.timedelta(days=1)
    if change.get("plan") == "other_child":
        kwargs["plan"] = PlanFactory()
    progress = change.get("progress")
    if progress == "other_plan":
        kwargs["progress"] = [{"action": PlanActionFactory(), "status": "done", "comment": "x"}]
    elif progress == "no_comment":
        kwargs["progress"] = [{"action": item, "status": "done", "comment": "  "}]
    elif progress == "no_status":
        kwargs["progress"] = [{"action": item, "status": "", "comment": "Some news"}]
    elif progress == "twice":
        kwargs["progress"] = [{"action": item, "status": "done", "comment": "a"},
                              {"action": item, "status": "on_track", "comment": "b"}]

    refused(lambda: services.meeting_record(**kwargs), field, message)
    assert PlanAction.objects.get(pk=item.pk).status == "not_started"


def test_progress_without_a_plan_is_refused(worker):
    item = PlanActionFactory()

    refused(lambda: services.meeting_record(actor=worker, child=item.plan.child, kind="other", held_on=TODAY(),
                                            progress=[{"action": item, "status": "done", "comment": "x"}]),
            "progress", "Progress can only be recorded against actions in this plan")


# --- visits ----------------------------------------------------------------------------------


def test_visit_record(worker, child):
    visit = services.visit_record(actor=worker, child=child, kind="cp", visited_on=TODAY(), child_seen=True,
                                  child_seen_alone=True, bedroom_seen=True, summary="Saw Jade's room")

    visit.refresh_from_db()
    assert (visit.kind, visit.child_seen_alone, visit.bedroom_seen, visit.visitor) == ("cp", True, True, worker)
    assert AuditEvent.objects.filter(content_type__model="visit", object_id=str(visit.pk)).exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"visited_on": "tomorrow"}, "visited_on", "The date of the visit must be today or in the past"),
        ({"visited_on": dt.date(2015, 5, 31)}, "visited_on",
         "The date of the visit must be on or after the child's date of birth (1 Jun 2015)"),
        ({"child_seen": False, "child_seen_alone": True}, "child_seen_alone",
         "Select 'child seen' if the child was seen alone"),
        ({"kind": "social"}, "kind", "Select the kind of visit"),
    ],
)
def test_visit_record_refuses_bad_input(worker, child, values, field, message):
    kwargs = {"kind": "cin", "visited_on": TODAY(), "child_seen": True, "child_seen_alone": False, **values}
    if kwargs["visited_on"] == "tomorrow":
        kwargs["visited_on"] = TODAY() + dt.timedelta(days=1)

    refused(lambda: services.visit_record(actor=worker, child=child, **kwargs), field, message)


# --- oversight -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_only_managers_and_senior_practitioners_record_oversight(make_user, child, role):
    actor = make_user(role=role)
    call = lambda: services.oversight_record(  # noqa: E731
        actor=actor, child=child, held_on=TODAY(), decisions="Step down to early help",
        actions=[{"action": "Refer to early help", "owner": "Social worker", "due_date": TODAY()}],
    )
    if role in (Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.SENIOR_PRACTITIONER):
        record = call()
        assert list(record.actions.values_list("owner", flat=True)) == ["Social worker"]
        assert AuditEvent.objects.filter(content_type__model="oversightrecord").count() == 1
    else:
        refused(call, error=PermissionDenied)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"decisions": "  "}, "decisions", "Enter the decisions made"),
        ({"held_on": "tomorrow"}, "held_on", "The date of the oversight must be today or in the past"),
        ({"actions": [{"action": "", "owner": "SW", "due_date": "today"}]}, "actions", "Enter action 1"),
        ({"actions": [{"action": "Visit", "owner": "", "due_date": "today"}]}, "actions",
         "Enter who will do action 1"),
        ({"actions": [{"action": "Visit", "owner": "SW", "due_date": None}]}, "actions",
         "Enter the date action 1 must be done by"),
        ({"actions": [{"action": "Visit", "owner": "SW", "due_date": "yesterday"}]}, "actions",
         "The due date of action 1 must be on or after the oversight"),
    ],
)
def test_oversight_refuses_bad_input(make_user, child, values, field, message):
    kwargs = {"held_on": TODAY(), "decisions": "Continue plan", **values}
    if kwargs["held_on"] == "tomorrow":
        kwargs["held_on"] = TODAY() + dt.timedelta(days=1)
    days = {"today": TODAY(), "yesterday": TODAY() - dt.timedelta(days=1)}
    kwargs["actions"] = [{**row, "due_date": days.get(row["due_date"], row["due_date"])}
                         for row in kwargs.get("actions", [])]

    refused(lambda: services.oversight_record(actor=make_user(role=Role.TEAM_MANAGER), child=child, **kwargs),
            field, message)
