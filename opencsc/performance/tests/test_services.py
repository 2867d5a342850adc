import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.casework.models import Allocation
from opencsc.core.models import AuditEvent
from opencsc.people.tests.factories import ChildFactory
from opencsc.performance import policy, selectors, services
from opencsc.performance.indicators import BY_KEY, INDICATORS
from opencsc.performance.measures.base import Row
from opencsc.performance.models import Commentary, Figure, FigureRow, Snapshot, Target
from opencsc.performance.scopes import AUTHORITY_SCOPE, UNALLOCATED, Scope, scope_parse

from .conftest import AS_AT, rows

pytestmark = pytest.mark.django_db
CONTACTS = BY_KEY["contacts_decided_1wd"]


def allocate(child, team, start, end=None, worker=None):
    return Allocation.objects.create(child=child, team=team, start_date=start, end_date=end, worker=worker)


@pytest.fixture
def teams():
    return {
        "mash": TeamFactory(name="MASH", kind=TeamKind.MASH),
        "ra": TeamFactory(name="Referral and assessment", kind=TeamKind.REFERRAL_ASSESSMENT),
        "cp": TeamFactory(name="Child protection 1", kind=TeamKind.CHILD_PROTECTION),
    }


def test_a_row_belongs_to_the_team_of_the_allocation_open_on_the_date(teams):
    child = ChildFactory()
    allocate(child, teams["mash"], dt.date(2026, 1, 1), dt.date(2026, 3, 1))
    allocate(child, teams["cp"], dt.date(2026, 3, 2))
    allocate(child, teams["ra"], dt.date(2026, 12, 1))  # after the date: not yet
    assert services.rows_attribute([Row(child_id=child.pk)], as_at=AS_AT) == [teams["cp"].pk]


def test_without_an_open_allocation_the_latest_before_the_date_counts(teams):
    child = ChildFactory()
    allocate(child, teams["mash"], dt.date(2025, 1, 1), dt.date(2025, 3, 1))
    allocate(child, teams["ra"], dt.date(2025, 6, 1), dt.date(2025, 9, 1))
    assert services.rows_attribute([Row(child_id=child.pk)], as_at=AS_AT) == [teams["ra"].pk]


def test_an_allocation_that_ended_after_the_date_was_open_on_it(teams):
    child = ChildFactory()
    allocate(child, teams["mash"], dt.date(2026, 1, 1), dt.date(2026, 12, 1))
    allocate(child, teams["ra"], dt.date(2025, 1, 1))
    assert services.rows_attribute([Row(child_id=child.pk)], as_at=AS_AT) == [teams["mash"].pk]


def test_rows_without_an_allocation_or_a_child_are_unallocated(teams):
    child = ChildFactory()
    allocate(child, teams["cp"], dt.date(2026, 12, 1))  # only after the date
    assert services.rows_attribute([Row(child_id=child.pk), Row(child_id=None)], as_at=AS_AT) == [None, None]


def test_a_worker_row_belongs_to_the_workers_team(teams, make_user):
    worker = make_user(role=Role.SOCIAL_WORKER, team=teams["cp"])
    child = ChildFactory()
    allocate(child, teams["mash"], dt.date(2026, 1, 1), worker=worker)
    assert services.rows_attribute([Row(child_id=child.pk, worker_id=worker.pk)], as_at=AS_AT) == [teams["cp"].pk]


def test_attribution_takes_two_queries_whatever_the_number_of_rows(teams, make_user, django_assert_num_queries):
    worker = make_user(role=Role.SOCIAL_WORKER, team=teams["cp"])
    children = [ChildFactory() for _ in range(5)]
    for child in children:
        allocate(child, teams["ra"], dt.date(2026, 1, 1))
    many = [Row(child_id=c.pk) for c in children] + [Row(child_id=None, worker_id=worker.pk)]
    with django_assert_num_queries(2):
        services.rows_attribute(many, as_at=AS_AT)


def test_a_snapshot_stores_figures_for_the_authority_each_service_and_each_team(teams, fake_measures):
    a, b, c, d = (ChildFactory() for _ in range(4))
    allocate(a, teams["mash"], dt.date(2026, 1, 1))
    allocate(b, teams["ra"], dt.date(2026, 1, 1))
    allocate(c, teams["cp"], dt.date(2026, 1, 1))
    fake_measures[CONTACTS.key] = lambda as_at: rows((a.pk, True), (b.pk, False), (c.pk, True), (d.pk, None))
    result = services.snapshot_take(as_at=AS_AT)
    figures = {(f.scope_kind, f.scope_key): f for f in Figure.objects.filter(indicator=CONTACTS.key)}
    authority = figures[("authority", "")]
    assert (authority.numerator, authority.denominator) == (2, 3)
    assert authority.value == pytest.approx(200 / 3)
    front_door = figures[("service", "front_door")]  # MASH and referral and assessment together
    assert (front_door.numerator, front_door.denominator, front_door.value) == (1, 2, 50.0)
    cp = figures[("service", "child_protection")]
    assert (cp.numerator, cp.denominator, cp.value) == (1, 1, 100.0)
    assert figures[("team", str(teams["mash"].pk))].value == 100.0
    assert figures[("team", str(teams["ra"].pk))].value == 0.0
    unallocated = figures[("team", UNALLOCATED)]
    assert (unallocated.denominator, unallocated.value) == (0, None)  # a row left out of the figure: no data
    assert result.rows == 4 and result.unavailable == []
    assert FigureRow.objects.filter(indicator=CONTACTS.key, team_id__isnull=True).count() == 1
    assert AuditEvent.objects.filter(object_id=str(result.snapshot.pk), summary__startswith="Scorecard").exists()


def test_every_indicator_has_an_authority_figure_even_with_no_rows(fake_measures):
    services.snapshot_take(as_at=AS_AT)
    authority = Figure.objects.filter(scope_kind="authority")
    assert authority.count() == len(INDICATORS)
    assert set(authority.values_list("value", flat=True)) == {None}
    assert set(authority.values_list("available", flat=True)) == {True}


def test_a_missing_or_failing_measure_is_not_available_and_the_others_still_run(fake_measures):
    child = ChildFactory()
    fake_measures["a1_days"] = None

    def broken(as_at):
        raise RuntimeError("bug in a measure")

    fake_measures["a2_days"] = broken
    fake_measures[CONTACTS.key] = lambda as_at: rows((child.pk, True))
    result = services.snapshot_take(as_at=AS_AT)
    assert sorted(result.unavailable) == ["a1_days", "a2_days"]
    assert not Figure.objects.get(indicator="a1_days", scope_kind="authority").available
    assert not Figure.objects.get(indicator="a2_days", scope_kind="authority").available
    assert Figure.objects.get(indicator=CONTACTS.key, scope_kind="authority").value == 100.0


def test_a_measure_module_that_cannot_be_imported_is_not_available(monkeypatch):
    def measure_for(indicator):
        if indicator.area == "adoption":
            raise ImportError("cannot import name 'Something' from 'opencsc.adoption.models'")
        return lambda as_at: []

    monkeypatch.setattr(services, "measure_for", measure_for)
    result = services.snapshot_take(as_at=AS_AT)
    assert sorted(result.unavailable) == ["a10_days", "a1_days", "a2_days"]
    assert Figure.objects.filter(scope_kind="authority", available=True).count() == len(INDICATORS) - 3


def test_taking_a_snapshot_again_for_the_date_replaces_it(fake_measures):
    child = ChildFactory()
    fake_measures[CONTACTS.key] = lambda as_at: rows((child.pk, False))
    services.snapshot_take(as_at=AS_AT)
    fake_measures[CONTACTS.key] = lambda as_at: rows((child.pk, True))
    services.snapshot_take(as_at=AS_AT)
    assert Snapshot.objects.count() == 1
    assert Figure.objects.get(indicator=CONTACTS.key, scope_kind="authority").value == 100.0
    assert FigureRow.objects.filter(indicator=CONTACTS.key).count() == 1


def test_weeks_back_are_weekly_oldest_first():
    assert services.weeks_back(AS_AT, 3) == [dt.date(2026, 11, 9), dt.date(2026, 11, 16), AS_AT]


# Targets


def test_targets_fall_back_from_the_scope_to_the_authority_to_the_default(teams, make_user):
    analyst = make_user(role=Role.PERFORMANCE_ANALYST)
    team = Scope("team", str(teams["cp"].pk), "Child protection 1")
    assert selectors.targets_in_force(team)[CONTACTS.key].target == CONTACTS.default_target
    assert selectors.targets_in_force(team)[CONTACTS.key].source == "Default"
    services.target_set(actor=analyst, indicator=CONTACTS, scope=AUTHORITY_SCOPE, target=90, amber_tolerance=4)
    in_force = selectors.targets_in_force(team)[CONTACTS.key]
    assert (in_force.target, in_force.tolerance, in_force.source) == (90, 4, "The authority's target")
    services.target_set(actor=analyst, indicator=CONTACTS, scope=team, target=80, amber_tolerance=2)
    in_force = selectors.targets_in_force(team)[CONTACTS.key]
    assert (in_force.target, in_force.tolerance, in_force.source) == (80, 2, "Set for this scope")
    assert selectors.targets_in_force(AUTHORITY_SCOPE)[CONTACTS.key].target == 90
    other = Scope("team", str(teams["ra"].pk), "Referral and assessment")
    assert selectors.targets_in_force(other)[CONTACTS.key].target == 90


def test_changing_a_target_keeps_the_earlier_version(make_user):
    manager = make_user(role=Role.SERVICE_MANAGER)
    services.target_set(actor=manager, indicator=CONTACTS, scope=AUTHORITY_SCOPE, target=90, amber_tolerance=4)
    services.target_set(actor=manager, indicator=CONTACTS, scope=AUTHORITY_SCOPE, target=92, amber_tolerance=3)
    assert list(selectors.target_history(CONTACTS, AUTHORITY_SCOPE).values_list("version", "target")) == [
        (2, 92), (1, 90)]
    event = AuditEvent.objects.filter(action="updated", summary__startswith="Target").get()
    assert event.changes["target"] == [90, 92]


@pytest.mark.parametrize("role", sorted(set(Role.values) - policy.may_set_targets.roles))
def test_a_refused_target_change_changes_nothing(role, make_user):
    user = make_user(role=role)
    before = (Target.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied):
        services.target_set(actor=user, indicator=CONTACTS, scope=AUTHORITY_SCOPE, target=50, amber_tolerance=1)
    assert (Target.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize("target, tolerance, field", [(101, 5, "target"), (-1, 5, "target"), (90, -1, "amber_tolerance")])
def test_an_impossible_target_is_refused(target, tolerance, field, make_user):
    analyst = make_user(role=Role.PERFORMANCE_ANALYST)
    with pytest.raises(ValidationError) as error:
        services.target_set(actor=analyst, indicator=CONTACTS, scope=AUTHORITY_SCOPE, target=target,
                            amber_tolerance=tolerance)
    assert field in error.value.message_dict
    assert not Target.objects.exists()


def test_a_days_target_may_be_over_100(make_user):
    analyst = make_user(role=Role.PERFORMANCE_ANALYST)
    services.target_set(actor=analyst, indicator=BY_KEY["a1_days"], scope=AUTHORITY_SCOPE, target=426,
                        amber_tolerance=60)
    assert Target.objects.get().target == 426


# Commentary


def test_commentary_keeps_its_history_and_the_latest_shows(make_user, fake_measures):
    snapshot = services.snapshot_take(as_at=AS_AT).snapshot
    manager = make_user(role=Role.TEAM_MANAGER)
    analyst = make_user(role=Role.PERFORMANCE_ANALYST)
    services.commentary_write(actor=manager, indicator=CONTACTS, scope=AUTHORITY_SCOPE, as_at=AS_AT,
                              text="Fewer contacts from schools.")
    services.commentary_write(actor=analyst, indicator=CONTACTS, scope=AUTHORITY_SCOPE, as_at=AS_AT,
                              text="Two MASH vacancies filled.")
    history = list(selectors.commentary_history(CONTACTS, AUTHORITY_SCOPE).values_list("text", flat=True))
    assert history == ["Two MASH vacancies filled.", "Fewer contacts from schools."]
    line = next(x for x in selectors.scorecard(AUTHORITY_SCOPE, snapshot) if x["indicator"] == CONTACTS)
    assert line["commentary"].text == "Two MASH vacancies filled."


@pytest.mark.parametrize("role", sorted(set(Role.values) - policy.may_write_commentary.roles))
def test_a_refused_commentary_changes_nothing(role, make_user):
    before = (Commentary.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied):
        services.commentary_write(actor=make_user(role=role), indicator=CONTACTS, scope=AUTHORITY_SCOPE,
                                  as_at=AS_AT, text="Not mine to write")
    assert (Commentary.objects.count(), AuditEvent.objects.count()) == before


def test_empty_commentary_is_refused(make_user):
    with pytest.raises(ValidationError):
        services.commentary_write(actor=make_user(role=Role.TEAM_MANAGER), indicator=CONTACTS,
                                  scope=AUTHORITY_SCOPE, as_at=AS_AT, text="   ")
    assert not Commentary.objects.exists()


# Scorecard lines


def test_the_scorecard_rates_against_the_target_and_shows_the_trend(make_user, fake_measures):
    children = [ChildFactory() for _ in range(4)]
    weekly = {AS_AT - dt.timedelta(weeks=1): [True, False, False, False], AS_AT: [True, True, True, False]}
    fake_measures[CONTACTS.key] = lambda as_at: rows(*zip([c.pk for c in children], weekly[as_at], strict=True))
    for day in weekly:
        services.snapshot_take(as_at=day)
    snapshot = Snapshot.objects.get(as_at=AS_AT)
    services.target_set(actor=make_user(role=Role.PERFORMANCE_ANALYST), indicator=CONTACTS, scope=AUTHORITY_SCOPE,
                        target=80, amber_tolerance=10)
    line = next(x for x in selectors.scorecard(AUTHORITY_SCOPE, snapshot) if x["indicator"] == CONTACTS)
    assert line["value"] == 75.0 and line["rag"] == "amber" and line["rag_label"] == "Near target"
    assert [v for _, v in line["points"]] == [25.0, 75.0]
    assert line["direction"] == "Improving"
    a2 = next(x for x in selectors.scorecard(AUTHORITY_SCOPE, snapshot) if x["indicator"].key == "a2_days")
    assert a2["value_text"] == "No data" and a2["rag"] is None


def test_the_scorecard_reads_in_a_fixed_number_of_queries(fake_measures, django_assert_max_num_queries):
    child = ChildFactory()
    fake_measures[CONTACTS.key] = lambda as_at: rows((child.pk, True))
    for day in services.weeks_back(AS_AT, 6):
        services.snapshot_take(as_at=day)
    snapshot = Snapshot.objects.get(as_at=AS_AT)
    with django_assert_max_num_queries(6):
        selectors.scorecard(AUTHORITY_SCOPE, snapshot)


@pytest.mark.parametrize("value, ok", [
    ("authority", True), ("service:front_door", True), ("service:nope", False), ("team:unallocated", True),
    ("team:abc", False), ("team:999999", False), ("nonsense", False), ("", True),
])
def test_scope_parse(value, ok):
    assert (scope_parse(value) is not None) == ok
