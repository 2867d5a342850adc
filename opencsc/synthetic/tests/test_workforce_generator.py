"""The workforce step of the synthetic authority: profiles, agency staff, supervision with some overdue."""

import datetime as dt

import pytest

from opencsc.accounts.models import User
from opencsc.casework.models import OversightRecord
from opencsc.synthetic.generators.workforce import generate_workforce
from opencsc.synthetic.testing import rolled_back_authority
from opencsc.workforce import selectors
from opencsc.workforce.models import CaseDiscussion, SupervisionSession, WorkerProfile

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def authority(django_db_setup, django_db_blocker):
    """One authority for the module (tests run inside their own transactions), rolled back at the end."""
    with rolled_back_authority(django_db_blocker, seed=5, size=0.2, today=TODAY, until="workforce") as ctx:
        yield ctx


# Its own authority, generated once: the module runs on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("workforce-generator")]


def test_profiles_supervision_and_case_discussions_are_realistic(authority):
    holders = User.objects.filter(role__in=selectors.CASE_HOLDING_ROLES, is_active=True, team__isnull=False)
    assert WorkerProfile.objects.count() == holders.count()
    social_workers = holders.filter(role="social_worker")
    agency = social_workers.filter(is_agency_staff=True).count() / social_workers.count()
    assert 0.08 <= agency <= 0.32
    assert WorkerProfile.objects.filter(experience="asye").exists()
    assert WorkerProfile.objects.filter(fte__lt=1).exists()

    rows = selectors.workloads(selectors.case_holders(selectors.teams_for(authority.demo_users["sm.demo"])),
                               today=TODAY)
    overdue = sum(r.supervision_overdue for r in rows) / len(rows)
    assert 0.05 <= overdue <= 0.35
    assert SupervisionSession.objects.filter(kind="group").exists()
    for session in SupervisionSession.objects.filter(held_on__gt=TODAY):
        raise AssertionError(f"supervision in the future: {session}")
    discussions = CaseDiscussion.objects.select_related("oversight")
    assert discussions.exists()
    assert all(d.oversight.kind == OversightRecord.Kind.SUPERVISION and d.oversight.child_id == d.child_id
               for d in discussions)


def test_the_step_is_reproducible(authority):
    first = list(SupervisionSession.objects.order_by("held_on", "supervisor_id", "kind")
                 .values_list("held_on", "supervisor_id", "kind"))
    OversightRecord.objects.filter(supervision_discussion__isnull=False).delete()
    SupervisionSession.objects.all().delete()
    WorkerProfile.objects.all().delete()
    generate_workforce(authority)
    again = list(SupervisionSession.objects.order_by("held_on", "supervisor_id", "kind")
                 .values_list("held_on", "supervisor_id", "kind"))
    assert again == first
