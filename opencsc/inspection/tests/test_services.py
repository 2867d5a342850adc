"""Services: checks, audit, stale records, and refused changes that change nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencsc.accounts.roles import Role
from opencsc.core.audit import StaleRecordError
from opencsc.core.models import AuditEvent
from opencsc.inspection import indicators, policy, services
from opencsc.inspection.models import Action, ActionUpdate, AreaForImprovement, Inspection
from opencsc.inspection.tests.factories import ActionFactory, AreaFactory, InspectionFactory

pytestmark = pytest.mark.django_db
D = dt.date


def counts():
    return (Inspection.objects.count(), AreaForImprovement.objects.count(), Action.objects.count(),
            ActionUpdate.objects.count(), AuditEvent.objects.count())


def snapshot(*objects):
    return [type(o).objects.filter(pk=o.pk).values().get() for o in objects]


@pytest.fixture
def manager(make_user):
    return make_user(Role.SERVICE_MANAGER)


@pytest.fixture
def fake_indicators(monkeypatch):
    monkeypatch.setattr(indicators, "known_indicators",
                        lambda: {"assessments_45wd": "Assessments within 45 working days",
                                 "cp_visits_in_time": "Child protection visits in time"})


ILACS = {"kind": "ilacs_standard", "started_on": D(2026, 1, 12), "ended_on": D(2026, 1, 23),
         "report_received_on": D(2026, 3, 2), "overall_judgement": "requires_improvement",
         "help_and_protection_judgement": "inadequate"}


def test_entering_an_inspection_is_audited(manager):
    inspection = services.inspection_create(actor=manager, **ILACS)
    assert inspection.version == 1
    event = AuditEvent.objects.get(action="created", object_id=str(inspection.pk))
    assert event.actor == manager
    assert event.changes["kind"] == [None, "ilacs_standard"]


@pytest.mark.parametrize("role", sorted(set(Role.values) - policy.may_enter_inspections.roles))
def test_only_service_managers_and_administrators_enter_inspections(role, make_user):
    before = counts()
    with pytest.raises(PermissionDenied):
        services.inspection_create(actor=make_user(role), **ILACS)
    assert counts() == before


@pytest.mark.parametrize("changes, field, message", [
    ({"ended_on": D(2026, 1, 11)}, "ended_on", "on or after the first day"),
    ({"started_on": D(2099, 1, 1), "ended_on": D(2099, 1, 2)}, "started_on", "today or in the past"),
    ({"report_received_on": D(2026, 1, 20)}, "report_received_on", "on or after the last day"),
    ({"kind": "focused_visit"}, "overall_judgement", "Only ILACS inspections give judgements"),
    ({"kind": "inspection"}, "kind", "Select the kind"),
    ({"overall_judgement": "brilliant"}, "overall_judgement", "Select a judgement"),
])
def test_inspection_checks(manager, changes, field, message):
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.inspection_create(actor=manager, **{**ILACS, **changes})
    assert message in " ".join(error.value.message_dict[field])
    assert counts() == before


def test_the_plan_can_be_sent_only_after_the_report_was_received(manager):
    inspection = InspectionFactory(report_received_on=None)
    with pytest.raises(ValidationError) as error:
        services.inspection_update(actor=manager, inspection=inspection, expected_version=1,
                                   plan_submitted_on=D(2026, 4, 1))
    assert "before the plan was sent" in error.value.message_dict["plan_submitted_on"][0]
    inspection = InspectionFactory()
    with pytest.raises(ValidationError):
        services.inspection_update(actor=manager, inspection=inspection, expected_version=1,
                                   plan_submitted_on=D(2026, 3, 1))
    changes = services.inspection_update(actor=manager, inspection=inspection, expected_version=1,
                                         plan_submitted_on=D(2026, 5, 20))
    assert changes == {"plan_submitted_on": [None, "2026-05-20"]}
    inspection.refresh_from_db()
    assert inspection.version == 2
    assert AuditEvent.objects.filter(action="updated", object_id=str(inspection.pk)).count() == 1


def test_a_stale_inspection_edit_changes_nothing(manager):
    inspection = InspectionFactory()
    services.inspection_update(actor=manager, inspection=inspection, expected_version=1,
                               published_on=D(2026, 3, 10))
    stale = Inspection.objects.get(pk=inspection.pk)
    before, events = snapshot(stale), AuditEvent.objects.count()
    with pytest.raises(StaleRecordError):
        services.inspection_update(actor=manager, inspection=stale, expected_version=1,
                                   plan_submitted_on=D(2026, 5, 20))
    assert snapshot(stale) == before
    assert AuditEvent.objects.count() == events


def test_pasted_areas_follow_the_existing_ones_and_are_audited(manager):
    inspection = InspectionFactory()
    AreaFactory(inspection=inspection, order=3)
    areas = services.areas_add_from_text(actor=manager, inspection=inspection, is_priority_action=True,
                                         text="- Plans to be specific\n- Oversight and supervision")
    assert [(a.order, a.text, a.is_priority_action) for a in areas] == [
        (4, "Plans to be specific", True), (5, "Oversight and supervision", True)]
    assert AuditEvent.objects.filter(action="created", summary="Area for improvement entered").count() == 2


@pytest.mark.parametrize("text", ["", "\n\n", "What needs to improve", "- " + "x" * 2001])
def test_pasting_nothing_usable_saves_nothing(manager, text):
    inspection = InspectionFactory()
    before = counts()
    with pytest.raises(ValidationError):
        services.areas_add_from_text(actor=manager, inspection=inspection, text=text)
    assert counts() == before


@pytest.mark.parametrize("role", sorted(set(Role.values) - policy.may_enter_inspections.roles))
def test_others_cannot_enter_or_change_areas(role, make_user):
    area = AreaFactory()
    user = make_user(role)
    before, rows = counts(), snapshot(area)
    with pytest.raises(PermissionDenied):
        services.areas_add_from_text(actor=user, inspection=area.inspection, text="- One")
    with pytest.raises(PermissionDenied):
        services.area_update(actor=user, area=area, expected_version=1, text="Changed", is_priority_action=True,
                             order=1, indicator_keys=[])
    with pytest.raises(PermissionDenied):
        services.area_remove(actor=user, area=area)
    assert counts() == before
    assert snapshot(area) == rows


def test_linking_indicators_checks_their_keys(manager, fake_indicators):
    area = AreaFactory()
    with pytest.raises(ValidationError) as error:
        services.area_update(actor=manager, area=area, expected_version=1, text=area.text, is_priority_action=False,
                             order=1, indicator_keys=["assessments_45wd", "made_up"])
    assert "made_up" in error.value.message_dict["indicator_keys"][0]
    services.area_update(actor=manager, area=area, expected_version=1, text=area.text, is_priority_action=False,
                         order=1, indicator_keys=["cp_visits_in_time", "assessments_45wd", "cp_visits_in_time"])
    area.refresh_from_db()
    assert area.indicator_keys == ["cp_visits_in_time", "assessments_45wd"]
    assert area.version == 2


def test_without_the_performance_definitions_any_plain_key_is_accepted(monkeypatch):
    monkeypatch.setattr(indicators, "known_indicators", lambda: None)
    assert indicators.unknown_keys(["assessments_45wd", "Bad Key!", "x"]) == ["Bad Key!", "x"]


def test_a_stale_area_edit_changes_nothing(manager):
    area = AreaFactory()
    services.area_update(actor=manager, area=area, expected_version=1, text="New words", is_priority_action=False,
                         order=2, indicator_keys=[])
    stale = AreaForImprovement.objects.get(pk=area.pk)
    before = snapshot(stale)
    with pytest.raises(StaleRecordError):
        services.area_update(actor=manager, area=stale, expected_version=1, text="Other words",
                             is_priority_action=True, order=2, indicator_keys=[])
    assert snapshot(stale) == before


def test_an_area_with_actions_cannot_be_removed(manager):
    action = ActionFactory()
    with pytest.raises(ValidationError):
        services.area_remove(actor=manager, area=action.area)
    assert AreaForImprovement.objects.filter(pk=action.area_id).exists()
    spare = AreaFactory()
    services.area_remove(actor=manager, area=spare)
    assert not AreaForImprovement.objects.filter(pk=spare.pk).exists()
    assert AuditEvent.objects.filter(action="deleted", summary="Area for improvement removed").exists()


@pytest.mark.parametrize("role", sorted(policy.may_change_inspection_actions.roles))
def test_managers_and_analysts_add_actions(role, make_user):
    area, owner = AreaFactory(), make_user(Role.SOCIAL_WORKER)
    action = services.action_create(actor=make_user(role), area=area, description=" Track assessments weekly ",
                                    owner=owner, due_on=D(2026, 6, 30))
    assert (action.description, action.owner, action.status) == ("Track assessments weekly", owner, "not_started")
    assert AuditEvent.objects.filter(action="created", summary="Inspection action added").exists()


@pytest.mark.parametrize("role", sorted(set(Role.values) - policy.may_change_inspection_actions.roles))
def test_others_cannot_add_or_change_actions(role, make_user):
    action = ActionFactory()
    user = make_user(role)
    before, rows = counts(), snapshot(action)
    with pytest.raises(PermissionDenied):
        services.action_create(actor=user, area=action.area, description="x", owner=user, due_on=D(2026, 6, 30))
    with pytest.raises(PermissionDenied):
        services.action_edit(actor=user, action=action, expected_version=1, description="x", owner=user,
                             due_on=D(2026, 6, 30))
    with pytest.raises(PermissionDenied):
        services.action_progress(actor=user, action=action, expected_version=1, note="Done", status="done",
                                 completed_on=D(2026, 5, 1))
    assert counts() == before
    assert snapshot(action) == rows


@pytest.mark.parametrize("owner_kwargs, message", [
    ({"role": Role.PARTNER, "agency": "police"}, "member of staff"),
    ({"role": Role.SOCIAL_WORKER, "is_active": False}, "member of staff"),
])
def test_an_owner_must_be_active_staff(make_user, owner_kwargs, message):
    before = counts()
    with pytest.raises(ValidationError) as error:
        services.action_create(actor=make_user(Role.TEAM_MANAGER), area=AreaFactory(), description="Track",
                               owner=make_user(**owner_kwargs), due_on=D(2026, 6, 30))
    assert message in error.value.message_dict["owner"][0]
    assert counts()[2:4] == before[2:4]


def test_an_owner_records_progress_on_their_own_action_and_the_history_is_kept(make_user):
    owner = make_user(Role.SOCIAL_WORKER)
    action = ActionFactory(owner=owner)
    services.action_progress(actor=owner, action=action, expected_version=1, note="Tracker built",
                             status="in_progress")
    services.action_progress(actor=owner, action=action, expected_version=2, note="In use in every team",
                             status="done", evidence_of_impact="Assessments in time up from 71% to 86%",
                             completed_on=D(2026, 5, 1))
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.version) == ("done", D(2026, 5, 1), 3)
    assert [u.note for u in action.updates.all()] == ["In use in every team", "Tracker built"]
    assert [u.status for u in action.updates.all()] == ["done", "in_progress"]
    assert AuditEvent.objects.filter(action="updated", object_id=str(action.pk)).count() == 2


def test_someone_else_cannot_record_progress_on_an_action(make_user):
    action = ActionFactory()
    before, rows = counts(), snapshot(action)
    with pytest.raises(PermissionDenied):
        services.action_progress(actor=make_user(Role.SOCIAL_WORKER), action=action, expected_version=1,
                                 note="x", status="in_progress")
    assert counts() == before
    assert snapshot(action) == rows


@pytest.mark.parametrize("status, completed_on, field, message", [
    ("done", None, "completed_on", "Enter the date the action was done"),
    ("done", D(2099, 1, 1), "completed_on", "today or in the past"),
    ("done", D(2025, 1, 1), "completed_on", "on or after the inspection began"),
    ("in_progress", D(2026, 5, 1), "completed_on", "Leave the date done blank"),
    ("finished", None, "status", "Select the status"),
])
def test_progress_checks(make_user, status, completed_on, field, message):
    action = ActionFactory()
    before, rows = counts(), snapshot(action)
    with pytest.raises(ValidationError) as error:
        services.action_progress(actor=make_user(Role.TEAM_MANAGER), action=action, expected_version=1,
                                 note="Update", status=status, completed_on=completed_on)
    assert message in error.value.message_dict[field][0]
    assert counts() == before
    assert snapshot(action) == rows


def test_a_stale_progress_update_changes_nothing(make_user):
    manager = make_user(Role.TEAM_MANAGER)
    action = ActionFactory()
    services.action_edit(actor=manager, action=action, expected_version=1, description="Sharper wording",
                         owner=action.owner, due_on=D(2026, 7, 31))
    stale = Action.objects.get(pk=action.pk)
    before, rows = counts(), snapshot(stale)
    with pytest.raises(StaleRecordError):
        services.action_progress(actor=manager, action=stale, expected_version=1, note="Done", status="done",
                                 completed_on=D(2026, 5, 1))
    with pytest.raises(StaleRecordError):
        services.action_edit(actor=manager, action=stale, expected_version=1, description="Other",
                             owner=stale.owner, due_on=D(2026, 8, 31))
    assert counts() == before
    assert snapshot(stale) == rows
