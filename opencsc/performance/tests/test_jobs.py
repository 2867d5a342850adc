"""Scorecard snapshots as background jobs: taken from the scorecard page by those who may, and weekly by the
nightly schedule; one at a time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.jobs import services as jobs
from opencsc.jobs.models import Job
from opencsc.jobs.testing import run_jobs
from opencsc.performance import policy, services
from opencsc.performance.indicators import INDICATORS
from opencsc.performance.models import Snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", sorted(policy.may_take_snapshots.roles))
def test_a_snapshot_taken_from_the_page_runs_in_the_background(role, signed_in, fake_measures):
    client = signed_in(role)
    assert "Take a snapshot now" in client.get(reverse("performance:scorecard")).content.decode()
    response = client.post(reverse("performance:snapshot_start"))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert not Snapshot.objects.exists()
    run_jobs()
    job.refresh_from_db()
    snapshot = Snapshot.objects.get()
    assert snapshot.as_at == timezone.localdate() and snapshot.taken_by == client.user
    assert (job.state, job.progress_done, job.progress_total) == ("succeeded", len(INDICATORS), len(INDICATORS))
    assert job.result_url == reverse("performance:scorecard")


@pytest.mark.parametrize("role", sorted(set(Role.values) - policy.may_take_snapshots.roles))
def test_other_roles_cannot_take_a_snapshot_and_nothing_changes(role, signed_in, fake_measures):
    client = signed_in(role)
    assert client.post(reverse("performance:snapshot_start")).status_code == 403
    assert not Job.objects.exists() and not Snapshot.objects.exists()
    if policy.may_view_scorecards(client.user):
        assert "Take a snapshot now" not in client.get(reverse("performance:scorecard")).content.decode()


def test_a_second_snapshot_while_one_is_queued_shows_the_first(signed_in, fake_measures):
    client = signed_in(Role.PERFORMANCE_ANALYST)
    first = client.post(reverse("performance:snapshot_start"))
    second = client.post(reverse("performance:snapshot_start"), follow=True)
    assert Job.objects.count() == 1 and second.redirect_chain[-1][0] == first["Location"]
    assert "already being taken" in second.content.decode()
    # The weekly nightly snapshot shares the lock.
    assert jobs.start("performance.weekly_snapshot", user=None).pk == Job.objects.get().pk


@pytest.mark.parametrize("latest_days_ago, taken", [(None, True), (3, False), (7, True)])
def test_the_nightly_snapshot_is_taken_weekly(latest_days_ago, taken, fake_measures):
    today = timezone.localdate()
    if latest_days_ago is not None:
        services.snapshot_take(as_at=today - dt.timedelta(days=latest_days_ago))
    before = Snapshot.objects.count()
    job = jobs.start("performance.weekly_snapshot", user=None)
    run_jobs()
    job.refresh_from_db()
    assert job.state == "succeeded"
    assert Snapshot.objects.filter(as_at=today).exists() is taken
    assert Snapshot.objects.count() == before + (1 if taken else 0)
