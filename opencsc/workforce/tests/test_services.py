"""Workforce services: allocation and transfer, weighted caseloads, supervision."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.casework.models import Allocation, OversightAction, OversightRecord
from opencsc.casework.services import allocation_transfer
from opencsc.casework.tests.factories import AllocationFactory
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory
from opencsc.workforce import selectors, services
from opencsc.workforce.models import CaseDiscussion, SupervisionSession, WorkerProfile, WorkforceSettings
from opencsc.workforce.selectors import Complexity, experience_of, limit_for, supervision_status

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 1)
D = Decimal


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.fixture
def team():
    return TeamFactory(name="Child protection team 2", kind="child_protection")


@pytest.fixture
def manager(make_user, team):
    return make_user(Role.TEAM_MANAGER, team=team)


@pytest.fixture
def worker(make_user, team):
    return make_user(Role.SOCIAL_WORKER, team=team)


# --- Allocation and transfer -------------------------------------------------------------

def test_a_transfer_ends_the_open_allocation_on_its_date_and_is_audited(manager, worker, team):
    child = ChildFactory()
    old = AllocationFactory(child=child, start_date=days_ago(100))
    new = allocation_transfer(actor=manager, child=child, team=team, worker=worker, start_date=days_ago(3),
                              reason="Moved to child protection")
    old.refresh_from_db()
    assert old.end_date == days_ago(3)
    assert new.end_date is None and new.worker == worker
    assert list(Allocation.objects.filter(child=child, end_date__isnull=True)) == [new]
    assert AuditEvent.objects.filter(child=child, action="created", object_id=str(new.pk)).exists()
    assert AuditEvent.objects.filter(child=child, action="updated", object_id=str(old.pk)).exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.AUDITOR, Role.IRO])
def test_only_managers_allocate_and_a_refusal_changes_nothing(make_user, worker, team, role):
    child = ChildFactory()
    AllocationFactory(child=child, start_date=days_ago(100))
    with pytest.raises(PermissionDenied):
        allocation_transfer(actor=make_user(role), child=child, team=team, worker=worker, start_date=days_ago(1))
    assert Allocation.objects.filter(child=child).count() == 1
    assert not Allocation.objects.filter(end_date__isnull=False).exists()


@pytest.mark.parametrize("case, field, message", [
    ("future", "start_date", "must be today or in the past"),
    ("before_current", "start_date", "on or after the current allocation started"),
    ("other_team", "worker", "select a worker in Child protection team 2, or select their team"),
    ("same", "worker", "already allocated to this worker and team"),
])
def test_allocation_refusals(manager, worker, team, make_user, case, field, message):
    child = ChildFactory()
    current = AllocationFactory(child=child, start_date=days_ago(10), team=team, worker=worker)
    kwargs = {"team": team, "worker": make_user(Role.SOCIAL_WORKER, team=team), "start_date": days_ago(1)}
    if case == "future":
        kwargs["start_date"] = days_ago(-1)
    elif case == "before_current":
        kwargs["start_date"] = days_ago(11)
    elif case == "other_team":
        kwargs["worker"] = make_user(Role.SOCIAL_WORKER)
    elif case == "same":
        kwargs["worker"] = worker
    with pytest.raises(ValidationError) as error:
        allocation_transfer(actor=manager, child=child, **kwargs)
    assert message in " ".join(error.value.message_dict[field])
    current.refresh_from_db()
    assert current.end_date is None
    assert Allocation.objects.filter(child=child).count() == 1


# --- Weights, limits, experience, supervision ------------------------------------------------

@pytest.mark.parametrize("cp, cla, court, expected", [
    (False, False, False, D("1.00")),
    (True, False, False, D("1.50")),
    (False, True, False, D("2.00")),
    (True, True, False, D("2.00")),
    (False, False, True, D("1.75")),
    (True, False, True, D("2.25")),
])
def test_a_child_weighs_the_highest_of_its_weights_plus_court_work(cp, cla, court, expected):
    settings = WorkforceSettings(cp_weight=D("1.50"), cla_weight=D("2.00"), court_weight=D("0.75"))
    weights = Complexity(cp={1} if cp else set(), in_care={1} if cla else set(), court={1} if court else set())
    assert weights.weight(1, settings) == expected


@pytest.mark.parametrize("experience, fte, expected", [
    (WorkerProfile.Experience.EXPERIENCED, D("1.00"), D("18.0")),
    (WorkerProfile.Experience.SENIOR, D("1.00"), D("18.0")),
    (WorkerProfile.Experience.EXPERIENCED, D("0.60"), D("10.8")),
    (WorkerProfile.Experience.ASYE, D("1.00"), D("12.0")),
    (WorkerProfile.Experience.ASYE, D("0.50"), D("6.0")),
])
def test_caseload_limits_are_lower_for_asye_and_scale_with_hours(experience, fte, expected):
    assert limit_for(WorkforceSettings(), experience, fte) == expected


@pytest.mark.parametrize("role, qualified_days_ago, expected", [
    (Role.SOCIAL_WORKER, 100, WorkerProfile.Experience.ASYE),
    (Role.SOCIAL_WORKER, 364, WorkerProfile.Experience.ASYE),
    (Role.SOCIAL_WORKER, 365, WorkerProfile.Experience.EXPERIENCED),
    (Role.SOCIAL_WORKER, None, WorkerProfile.Experience.EXPERIENCED),
    (Role.SENIOR_PRACTITIONER, 100, WorkerProfile.Experience.SENIOR),
])
def test_experience_without_a_profile_comes_from_role_and_qualification(make_user, role, qualified_days_ago, expected):
    qualified = TODAY - dt.timedelta(days=qualified_days_ago) if qualified_days_ago is not None else None
    user = make_user(role, qualified_on=qualified)
    assert experience_of(user, None, TODAY) == expected


def test_a_profile_overrides_the_worked_out_experience(make_user):
    user = make_user(Role.SOCIAL_WORKER, qualified_on=TODAY - dt.timedelta(days=30))
    profile = WorkerProfile(user=user, experience=WorkerProfile.Experience.EXPERIENCED)
    assert experience_of(user, profile, TODAY) == WorkerProfile.Experience.EXPERIENCED


@pytest.mark.parametrize("experience, last_days_ago, due_in, overdue", [
    (WorkerProfile.Experience.EXPERIENCED, 27, 1, False),
    (WorkerProfile.Experience.EXPERIENCED, 28, 0, False),
    (WorkerProfile.Experience.EXPERIENCED, 29, -1, True),
    (WorkerProfile.Experience.ASYE, 14, 0, False),
    (WorkerProfile.Experience.ASYE, 15, -1, True),
])
def test_supervision_is_due_every_4_weeks_or_fortnightly_for_asye(experience, last_days_ago, due_in, overdue):
    last = TODAY - dt.timedelta(days=last_days_ago)
    due, is_overdue = supervision_status(WorkforceSettings(), experience, last, dt.date(2020, 1, 1), TODAY)
    assert due == TODAY + dt.timedelta(days=due_in)
    assert is_overdue is overdue


def test_never_supervised_counts_from_joining():
    due, overdue = supervision_status(WorkforceSettings(), "experienced", None, TODAY - dt.timedelta(days=10), TODAY)
    assert due == TODAY + dt.timedelta(days=18) and not overdue


def test_weighted_caseload_counts_a_child_on_a_cp_plan_and_flags_over_limit(manager, worker, team):
    from opencsc.protection.tests.helpers import cp_plan

    on_plan = ChildFactory()
    cp_plan(manager, on_plan, days_ago(40))
    AllocationFactory(child=on_plan, worker=worker, team=team, start_date=days_ago(50))
    for _ in range(2):
        AllocationFactory(child=ChildFactory(), worker=worker, team=team, start_date=days_ago(50))
    WorkforceSettings.objects.create(pk=1, caseload_limit=D("3.0"))
    [row] = selectors.workloads([worker])
    assert (row.children, row.cp, row.weighted, row.limit) == (3, 1, D("3.50"), D("3.0"))
    assert row.over_limit


# --- Settings and profiles -------------------------------------------------------------------

def test_settings_change_is_audited_and_refused_for_a_team_manager(make_user, manager):
    with pytest.raises(PermissionDenied):
        services.workforce_settings_update(actor=manager, expected_version=1, caseload_limit=D("15"))
    assert not WorkforceSettings.objects.exists()
    services.workforce_settings_update(actor=make_user(Role.SERVICE_MANAGER), expected_version=1,
                                       caseload_limit=D("15"))
    assert selectors.workforce_settings().caseload_limit == D("15")
    assert AuditEvent.objects.filter(action="updated", object_repr="Workforce settings").exists()


def test_only_the_workers_team_manager_records_their_profile(make_user, manager, worker):
    other_manager = make_user(Role.TEAM_MANAGER, team=TeamFactory(name="Another team"))
    with pytest.raises(PermissionDenied):
        services.worker_profile_save(actor=other_manager, worker=worker, expected_version=None,
                                     experience="asye", fte=D("0.8"))
    assert not WorkerProfile.objects.exists()
    profile = services.worker_profile_save(actor=manager, worker=worker, expected_version=None, experience="asye",
                                           fte=D("0.8"))
    assert (profile.experience, profile.fte) == ("asye", D("0.8"))


# --- Supervision -----------------------------------------------------------------------------

def _discussion(child, **extra):
    return {"child": child, "decisions": "Visit weekly; refer to CAMHS.",
            "actions": [{"action": "Refer to CAMHS", "owner": "Social worker", "due_date": days_ago(-7)}], **extra}


def test_supervision_puts_each_case_discussion_on_the_childs_file(manager, worker, team):
    child = ChildFactory()
    AllocationFactory(child=child, worker=worker, team=team, start_date=days_ago(30))
    session = services.supervision_record(actor=manager, kind="individual", held_on=days_ago(1),
                                          supervisees=[worker], notes="Feeling stretched", discussions=[_discussion(child)])
    record = OversightRecord.objects.get(child=child)
    assert record.kind == OversightRecord.Kind.SUPERVISION and record.held_on == days_ago(1)
    assert OversightAction.objects.get(record=record).action == "Refer to CAMHS"
    assert CaseDiscussion.objects.get(session=session).oversight == record
    assert "Feeling stretched" not in record.decisions


@pytest.mark.parametrize("kind, how_many, message", [
    ("individual", 2, "Select one worker for individual supervision"),
    ("group", 1, "Select at least 2 workers for group supervision"),
    ("individual", 0, "Select who was supervised"),
])
def test_session_shape_is_checked_and_nothing_is_saved(manager, team, make_user, kind, how_many, message):
    workers = [make_user(Role.SOCIAL_WORKER, team=team) for _ in range(how_many)]
    with pytest.raises(ValidationError) as error:
        services.supervision_record(actor=manager, kind=kind, held_on=days_ago(1), supervisees=workers)
    assert message in error.value.message_dict["supervisees"][0]
    assert not SupervisionSession.objects.exists()


def test_supervision_of_a_worker_in_another_team_is_refused(manager, make_user):
    stranger = make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="Elsewhere"))
    with pytest.raises(ValidationError):
        services.supervision_record(actor=manager, kind="individual", held_on=days_ago(1), supervisees=[stranger])
    assert not SupervisionSession.objects.exists()


def test_an_invalid_case_discussion_saves_nothing_at_all(manager, worker, team):
    good, bad = ChildFactory(), ChildFactory()
    with pytest.raises(ValidationError) as error:
        services.supervision_record(actor=manager, kind="individual", held_on=days_ago(1), supervisees=[worker],
                                    discussions=[_discussion(good), _discussion(bad, decisions="")])
    assert "Case 2" in error.value.message_dict["discussions"][0]
    assert not SupervisionSession.objects.exists() and not OversightRecord.objects.exists()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.AUDITOR, Role.PERSONAL_ADVISER])
def test_only_managers_and_senior_practitioners_record_supervision(make_user, worker, role):
    with pytest.raises(PermissionDenied):
        services.supervision_record(actor=make_user(role, team=worker.team), kind="individual", held_on=days_ago(1),
                                    supervisees=[worker])
    assert not SupervisionSession.objects.exists()


# --- Changes of worker -----------------------------------------------------------------------

def _allocations(child, team, workers_and_days):
    for worker, start, end in workers_and_days:
        AllocationFactory(child=child, team=team, worker=worker, start_date=days_ago(start),
                          end_date=days_ago(end) if end is not None else None)


def test_children_with_three_workers_in_a_year_are_listed_and_restricted_ones_vanish(manager, team, make_user):
    a, b, c = (make_user(Role.SOCIAL_WORKER, team=team) for _ in range(3))
    many, old, restricted = ChildFactory(), ChildFactory(), ChildFactory(is_restricted=True)
    _allocations(many, team, [(a, 300, 200), (b, 200, 100), (c, 100, None)])
    _allocations(old, team, [(a, 700, 400), (b, 400, 100), (c, 100, None)])  # a ended over a year ago
    _allocations(restricted, team, [(a, 300, 200), (b, 200, 100), (c, 100, None)])
    listed = list(selectors.children_with_many_workers(user=manager))
    assert listed == [many]
    assert listed[0].workers_12m == 3
    assert selectors.child_workforce(child=old)["workers_12m"] == 2
