"""return_run: the guards (who, which return, which year or period) and what a run stores."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opencsc.accounts.roles import Role
from opencsc.core.models import AuditEvent
from opencsc.returns import registry, services
from opencsc.returns.base import Issue
from opencsc.returns.models import ReturnRun, ValidationIssue
from opencsc.returns.policy import may_make_returns

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", sorted(set(Role.values) - may_make_returns.roles))
def test_refused_for_roles_without_returns_and_stores_nothing(role, make_user, fake):
    with pytest.raises(PermissionDenied):
        services.return_run(kind="cin", year=2026, by=make_user(role=role))
    assert not ReturnRun.objects.exists() and not AuditEvent.objects.exists() and fake.CALLS == []


def test_refused_without_a_user(fake):
    with pytest.raises(PermissionDenied):
        services.return_run(kind="cin", year=2026, by=None)
    assert not ReturnRun.objects.exists()


@pytest.mark.parametrize("kwargs, error", [
    ({"kind": "nonsense", "year": 2026}, registry.UnknownReturn),
    ({"kind": "cin", "year": 2014}, ValidationError),
    ({"kind": "cin", "year": 2099}, ValidationError),
    ({"kind": "cin", "year": None}, ValidationError),
    ({"kind": "annexa", "start": dt.date(2026, 6, 1), "end": dt.date(2026, 1, 1)}, ValidationError),
])
def test_bad_requests_store_nothing(kwargs, error, make_user, fake):
    with pytest.raises(error):
        services.return_run(by=make_user(role="performance_analyst"), **kwargs)
    assert not ReturnRun.objects.exists()


def test_issues_keep_the_team_holding_the_child_and_unknown_children_are_references(make_user, fake):
    from opencsc.casework.tests.factories import AllocationFactory
    from opencsc.people.tests.factories import ChildFactory

    child = ChildFactory()
    allocation = AllocationFactory(child=child)
    fake.ISSUES = [Issue(rule="8840", message="m", child_id=child.pk, child_reference=child.la_child_id),
                   Issue(rule="8840", message="m", child_id=999999, child_reference="C-GONE")]
    run = services.return_run(kind="cin", year=2026, by=make_user(role="service_manager"))
    first, second = ValidationIssue.objects.filter(run=run).order_by("child_reference")
    assert (second.child, second.team) == (child, allocation.team)
    assert (first.child, first.child_reference, first.team) == (None, "C-GONE", None)


def test_latest_year_is_the_last_that_has_ended():
    assert services.latest_year(dt.date(2026, 3, 30)) == 2025
    assert services.latest_year(dt.date(2026, 3, 31)) == 2026
    assert services.latest_year(dt.date(2026, 12, 1)) == 2026
