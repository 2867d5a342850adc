"""Workforce pages through the test client."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.casework.models import Allocation, OversightRecord
from opencsc.casework.tests.factories import AllocationFactory
from opencsc.people.tests.factories import ChildFactory
from opencsc.workforce.models import SupervisionSession, WorkerProfile, WorkforceSettings

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def team():
    return TeamFactory(name="Child protection team", kind="child_protection")


def _worker_with_children(make_user, team, n, **kwargs):
    worker = make_user(Role.SOCIAL_WORKER, team=team, **kwargs)
    for _ in range(n):
        AllocationFactory(child=ChildFactory(), worker=worker, team=team, start_date=days_ago(30))
    return worker


def test_the_workload_page_warns_when_a_caseload_passes_the_limit(signed_in, make_user, team):
    WorkforceSettings.objects.create(pk=1, caseload_limit=Decimal("3"))
    busy = _worker_with_children(make_user, team, 4, first_name="Busy", is_agency_staff=True)
    _worker_with_children(make_user, team, 2, first_name="Calm")
    client = signed_in(Role.TEAM_MANAGER, team=team)
    response = client.get(reverse("workforce:workload"))
    html = response.content.decode()
    assert "1 worker is over the caseload limit" in html
    assert html.count("Over limit") == 1 and "Agency" in html
    assert [r.worker for r in response.context["load"].over_limit] == [busy]


def test_the_workload_page_runs_the_same_queries_for_more_workers(signed_in, make_user, team):
    client = signed_in(Role.TEAM_MANAGER, team=team)
    _worker_with_children(make_user, team, 2)
    url = reverse("workforce:workload")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        worker = _worker_with_children(make_user, team, 3)
        WorkerProfile.objects.create(user=worker, experience="asye")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_team_manager_cannot_see_another_teams_worker(signed_in, make_user, team):
    stranger = make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="Elsewhere"))
    client = signed_in(Role.TEAM_MANAGER, team=team)
    assert client.get(reverse("workforce:worker", args=[stranger.pk])).status_code == 404


def test_allocating_through_the_page_transfers_the_child(signed_in, make_user, team):
    child = ChildFactory()
    old = AllocationFactory(child=child, start_date=days_ago(60))
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    client = signed_in(Role.TEAM_MANAGER, team=team)
    response = client.post(reverse("workforce:allocate", args=[child.pk]), {
        "team": team.pk, "worker": worker.pk, **date_fields("start_date", days_ago(2)), "reason": "Transfer"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.end_date == days_ago(2)
    assert Allocation.objects.get(child=child, end_date__isnull=True).worker == worker
    page = client.get(reverse("workforce:child", args=[child.pk])).content.decode()
    assert "2 social workers in the last 12 months" in page


def test_a_refused_allocation_shows_the_error_and_changes_nothing(signed_in, make_user, team):
    child = ChildFactory()
    AllocationFactory(child=child, start_date=days_ago(60))
    client = signed_in(Role.TEAM_MANAGER, team=team)
    make_user(Role.SOCIAL_WORKER, team=team)
    stranger = make_user(Role.SOCIAL_WORKER, team=TeamFactory(name="Elsewhere"))
    response = client.post(reverse("workforce:allocate", args=[child.pk]), {
        "team": team.pk, "worker": stranger.pk, **date_fields("start_date", days_ago(2))})
    assert response.status_code == 200
    assert "is in Elsewhere: select a worker in Child protection team, or select their team" in (
        response.content.decode())
    assert Allocation.objects.filter(child=child).count() == 1


def test_recording_supervision_through_the_page(signed_in, make_user, team):
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    child = ChildFactory()
    AllocationFactory(child=child, worker=worker, team=team, start_date=days_ago(30))
    client = signed_in(Role.TEAM_MANAGER, team=team)
    data = {"kind": "individual", **date_fields("held_on", days_ago(1)), "supervisees": [worker.pk],
            "notes": "", "case-TOTAL_FORMS": "3", "case-INITIAL_FORMS": "0", "case-MIN_NUM_FORMS": "0",
            "case-MAX_NUM_FORMS": "20", "case-0-child": child.pk, "case-0-decisions": "Increase visits",
            "case-0-action": "Visit weekly", "case-0-owner": "Social worker", **date_fields("case-0-due_date", days_ago(-7))}
    response = client.post(reverse("workforce:supervision_add"), data)
    assert response.status_code == 302
    session = SupervisionSession.objects.get()
    assert OversightRecord.objects.get(child=child).kind == "supervision"
    detail = client.get(reverse("workforce:supervision_detail", args=[session.pk])).content.decode()
    assert "Increase visits" in detail and "Visit weekly" in detail


def test_supervision_overdue_is_listed_for_the_manager(signed_in, make_user, team):
    overdue = make_user(Role.SOCIAL_WORKER, team=team, first_name="Late")
    overdue.date_joined = timezone.now() - dt.timedelta(days=90)
    overdue.save()
    client = signed_in(Role.TEAM_MANAGER, team=team)
    response = client.get(reverse("workforce:supervision_list"))
    assert [r.worker for r in response.context["overdue"]] == [overdue]


def test_the_service_manager_changes_the_caseload_limit(signed_in):
    client = signed_in(Role.SERVICE_MANAGER)
    data = {"version": 1, "base_weight": "1", "cp_weight": "1.5", "cla_weight": "1.5", "court_weight": "1",
            "caseload_limit": "16", "asye_caseload_limit": "10", "supervision_every_days": "28",
            "asye_supervision_every_days": "14", "many_workers": "3"}
    assert client.post(reverse("workforce:settings"), data).status_code == 302
    assert WorkforceSettings.objects.get().caseload_limit == Decimal("16")
    stale = client.post(reverse("workforce:settings"), {**data, "caseload_limit": "20"})
    assert "Someone else changed this record" in stale.content.decode()
    assert WorkforceSettings.objects.get().caseload_limit == Decimal("16")
