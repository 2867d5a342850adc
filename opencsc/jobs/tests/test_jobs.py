"""Background jobs: started from a page or a service, run by `manage.py worker`, retried, refused twice
when exclusive, scheduled nightly once whatever the number of workers, shown only to those who may."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opencsc.accounts.roles import Role
from opencsc.jobs import policy, registry, services
from opencsc.jobs.models import Job, NightlyRun, WorkerHeartbeat
from opencsc.jobs.testing import run_jobs

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _counts():
    return Job.objects.count(), DBTaskResult.objects.count(), NightlyRun.objects.count()


def test_a_started_job_is_queued_then_run_by_the_worker_and_links_its_result(test_jobs, calls, signed_in):
    client = signed_in("performance_analyst")
    job = services.start("test.count", user=client.user, upto=4)
    assert job.state == "queued" and not job.already_active
    queued = DBTaskResult.objects.get()
    assert job.task_result_id == str(queued.id) and queued.args_kwargs["args"] == [job.pk]

    run_jobs()

    job.refresh_from_db()
    assert calls.runs == [("count", 4, client.user)]
    assert (job.state, job.attempts, job.progress_done, job.progress_total) == ("succeeded", 1, 4, 4)
    assert job.finished_at is not None and job.result_url == reverse("jobs:list")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Finished" in page and f'href="{reverse("jobs:list")}">See your jobs</a>' in page
    assert "hx-trigger" not in page  # finished: no more polling
    listing = client.get(reverse("jobs:list")).content.decode()
    assert "Count things" in listing and "100%" in listing


def test_a_running_job_polls_for_its_progress_without_inline_script(test_jobs, signed_in):
    client = signed_in("social_worker")
    job = services.start("test.count", user=client.user)
    Job.objects.filter(pk=job.pk).update(state="running", progress_done=1, progress_total=4,
                                         progress_message="Reading the records")
    response = client.get(reverse("jobs:detail", args=[job.pk]))
    page = response.content.decode()
    assert 'hx-trigger="every 2s"' in page and "<script>" not in page
    assert "1 of 4: Reading the records" in page and 'value="25"' in page
    fragment = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job-status"') and "<html" not in fragment


def test_a_failing_job_is_retried_with_back_off_then_succeeds(test_jobs, calls, settings, signed_in):
    settings.OPENCSC_JOB_RETRY_SECONDS = 60
    calls.fail_times = 1
    client = signed_in("performance_analyst")
    job = services.start("test.count", user=client.user)
    before = timezone.now()
    run_jobs()
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("retrying", 1)
    assert job.next_attempt_at >= before + dt.timedelta(seconds=60)
    assert "Something went wrong in the system (RuntimeError)" in job.error and "the disk is full" in job.error_detail
    retry = DBTaskResult.objects.get(id=job.task_result_id)
    assert retry.status == "READY" and retry.run_after == job.next_attempt_at
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Waiting to try again" in page and "It will be tried again" in page

    run_jobs()  # not due yet: nothing runs
    assert len(calls.runs) == 1
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_jobs()
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == ("succeeded", 2, "")


def test_a_job_failing_every_attempt_is_failed_with_the_reason_shown(test_jobs, calls, settings, signed_in):
    settings.OPENCSC_JOB_RETRY_SECONDS = 0  # every retry due at once: one batch runs them all
    calls.fail_times = 99
    client = signed_in("performance_analyst")
    job = services.start("test.count", user=client.user)
    run_jobs()
    job.refresh_from_db()
    assert (job.state, job.attempts, len(calls.runs)) == ("failed", 3, 3)
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"] * 3
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "This job failed" in page and "Something went wrong in the system" in page
    assert "Technical detail" not in page and "the disk is full" not in page  # only administrators
    assert "Something went wrong" in client.get(reverse("jobs:list")).content.decode()
    # The lock is released: the job can be started again.
    assert services.start("test.count", user=client.user).pk != job.pk


def test_administrators_see_the_technical_detail(test_jobs, calls, settings, signed_in):
    settings.OPENCSC_JOB_RETRY_SECONDS = 0
    calls.fail_times = 99
    client = signed_in("administrator")
    job = services.start("test.count", user=client.user)
    run_jobs()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Technical detail" in page and "the disk is full" in page


def test_a_plain_refusal_is_not_retried_and_says_why(test_jobs, calls, signed_in):
    client = signed_in("service_manager")
    job = services.start("test.refused", user=client.user)
    run_jobs()
    job.refresh_from_db()
    assert (job.state, job.attempts, len(calls.runs)) == ("failed", 1, 1)
    assert job.error == "There is nothing to do: the year has no children"
    assert job.error in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


def test_an_exclusive_job_started_twice_gives_the_first(test_jobs, make_user):
    first_user, second_user = make_user(), make_user()
    first = services.start("test.count", user=first_user)
    before = _counts()
    second = services.start("test.count", user=second_user, upto=9)
    assert second.pk == first.pk and second.already_active
    assert _counts() == before
    Job.objects.filter(pk=first.pk).update(state="running")
    assert services.start("test.count", user=second_user).pk == first.pk
    Job.objects.filter(pk=first.pk).update(state="retrying")
    assert services.start("test.count", user=second_user).pk == first.pk


def test_the_database_refuses_a_second_active_exclusive_job_when_two_starts_race(test_jobs, make_user, monkeypatch):
    """Two requests both find no active job, then both insert: the unique constraint lets one through and
    the other is given the first job, with nothing of its own left behind."""
    first = services.start("test.count", user=make_user())
    before = _counts()
    real_active = services._active
    looks = iter([None])  # the racing start's check runs before the first job was committed
    monkeypatch.setattr(services, "_active", lambda key: next(looks, None) or real_active(key))
    second = services.start("test.count", user=make_user())
    assert second.pk == first.pk and second.already_active
    assert _counts() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="test.count", title="x", lock_key=first.lock_key, state="queued")


def test_a_finished_exclusive_job_does_not_block_the_next(test_jobs, make_user):
    user = make_user()
    first = services.start("test.count", user=user)
    run_jobs()
    assert services.start("test.count", user=user).pk != first.pk


def test_an_unknown_job_stores_nothing(make_user):
    before = _counts()
    with pytest.raises(registry.UnknownJob):
        services.start("no.such.job", user=make_user())
    assert _counts() == before


def test_a_job_with_a_permission_refuses_others_and_stores_nothing(test_jobs, make_user, monkeypatch):
    from django.core.exceptions import PermissionDenied

    spec = registry.JOBS["test.count"]
    monkeypatch.setitem(registry.JOBS, "test.count", registry.JobSpec(**{**spec.__dict__,
                                                                      "permission": policy.may_view_all_jobs}))
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.start("test.count", user=make_user(role="social_worker"))
    assert _counts() == before


# --- Who sees which jobs ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(set(Role.values) - policy.may_view_all_jobs.roles))
def test_someone_elses_job_is_not_found(role, test_jobs, signed_in, make_user):
    from opencsc.accounts.models import AccessLog

    job = services.start("test.count", user=make_user())
    client = signed_in(role)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert AccessLog.objects.filter(user=client.user, outcome="refused").exists()
    assert "Count things" not in client.get(reverse("jobs:list") + "?all=1").content.decode()


@pytest.mark.parametrize("role", sorted(policy.may_view_all_jobs.roles))
def test_administrators_and_analysts_see_every_job(role, test_jobs, signed_in, make_user):
    job = services.start("test.count", user=make_user())
    client = signed_in(role)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    assert "Count things" not in client.get(reverse("jobs:list")).content.decode()  # not theirs
    assert "Count things" in client.get(reverse("jobs:list") + "?all=1").content.decode()


def test_no_jobs_yet(signed_in):
    assert "You have not started any jobs" in signed_in().get(reverse("jobs:list")).content.decode()


# --- The worker: heartbeats, nightly jobs, lost jobs ----------------------------------------------------


def test_the_worker_reports_in(db):
    call_command("worker", "--batch", "--worker-id", "w1", "--no-nightly", stdout=StringIO())
    beat = WorkerHeartbeat.objects.get(worker_id="w1")
    assert beat.pid > 0 and timezone.now() - beat.last_seen < dt.timedelta(seconds=30)
    later = timezone.now() + dt.timedelta(seconds=45)
    services.heartbeat("w1", now=later)
    assert WorkerHeartbeat.objects.get(worker_id="w1").last_seen == later
    assert WorkerHeartbeat.objects.count() == 1


def test_the_heartbeat_thread_beats_and_stops(db):
    from opencsc.jobs.management.commands.worker import Heartbeat

    services.heartbeat("w2", now=timezone.now() - dt.timedelta(hours=1))
    beat = Heartbeat("w2", every=0.01)
    beat.run = lambda: services.heartbeat(beat.worker_id)  # the loop's body once, on this connection
    beat.run()
    assert timezone.now() - WorkerHeartbeat.objects.get(worker_id="w2").last_seen < dt.timedelta(seconds=30)


@pytest.mark.parametrize("local, started", [
    (dt.time(1, 59), False),
    (dt.time(2, 0), True),
    (dt.time(23, 30), True),
])
def test_nightly_jobs_start_after_the_nightly_time(local, started, test_jobs, calls):
    jobs = services.run_nightly(now=dt.datetime.combine(dt.date(2026, 11, 23), local, tzinfo=LONDON))
    assert [j.kind for j in jobs] == (["test.nightly"] if started else [])


def test_nightly_jobs_start_once_a_night_for_two_schedulers(test_jobs, calls, settings):
    settings.OPENCSC_NIGHTLY_AT = "03:30"
    night = dt.datetime(2026, 6, 1, 3, 31, tzinfo=LONDON)
    assert [j.kind for j in services.run_nightly(now=night)] == ["test.nightly"]
    assert services.run_nightly(now=night + dt.timedelta(minutes=1)) == []  # a second worker, same night
    run_jobs()
    assert calls.runs == [("nightly",)]
    job = NightlyRun.objects.get().job
    assert job.state == "succeeded" and job.started_by is None
    assert len(services.run_nightly(now=night + dt.timedelta(days=1))) == 1  # the next night
    assert NightlyRun.objects.count() == 2


def test_two_schedulers_racing_for_the_same_night_start_it_once(test_jobs, monkeypatch):
    night = dt.datetime(2026, 6, 1, 2, 30, tzinfo=LONDON)
    services.run_nightly(now=night)
    real_filter = NightlyRun.objects.filter
    monkeypatch.setattr(NightlyRun.objects, "filter", lambda **kw: real_filter(pk=-1))  # both see none
    before = _counts()
    assert services.run_nightly(now=night) == []
    assert _counts() == before


def test_the_worker_command_schedules_the_nightly_jobs(test_jobs, calls, settings):
    settings.OPENCSC_NIGHTLY_AT = "00:00"
    out = StringIO()
    call_command("worker", "--batch", "--worker-id", "w3", stdout=out)
    call_command("worker", "--batch", "--worker-id", "w4", stdout=out)
    assert NightlyRun.objects.count() == 1 and calls.runs == [("nightly",)]
    assert "Started the nightly job: Nightly tidy." in out.getvalue()


def test_a_job_left_running_by_a_lost_worker_is_tried_again(test_jobs, calls, make_user, settings):
    settings.OPENCSC_JOB_RETRY_SECONDS = 0
    job = services.start("test.count", user=make_user())
    long_ago = timezone.now() - dt.timedelta(hours=1)
    services.heartbeat("lost", now=long_ago)
    Job.objects.filter(pk=job.pk).update(state="running", worker_id="lost", attempts=1, started_at=long_ago)
    services.heartbeat("alive")
    assert services.recover_lost_jobs() == 1
    job.refresh_from_db()
    assert job.state == "retrying" and "stopped before it finished" in job.error
    run_jobs()
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("succeeded", 2)


def test_a_job_running_on_a_live_worker_is_left_alone(test_jobs, make_user):
    job = services.start("test.count", user=make_user())
    services.heartbeat("alive")
    Job.objects.filter(pk=job.pk).update(state="running", worker_id="alive",
                                         started_at=timezone.now() - dt.timedelta(hours=1))
    assert services.recover_lost_jobs() == 0
    assert Job.objects.get(pk=job.pk).state == "running"


def test_progress_writes_are_throttled(test_jobs, make_user):
    job = services.start("test.count", user=make_user())
    progress = services.Progress(job, every=3600)
    progress(1, 10, "first")  # the first write always goes
    progress(2, 10, "second")  # within the throttle: kept in memory only
    job.refresh_from_db()
    assert (job.progress_done, job.progress_message) == (1, "first")
    progress(10, 10, "done")  # the end always goes
    job.refresh_from_db()
    assert (job.progress_done, job.progress_message) == (10, "done")


def test_the_apps_jobs_are_found_when_the_apps_load_and_each_is_documented():
    from pathlib import Path

    assert {"returns.build", "performance.snapshot", "performance.weekly_snapshot", "timescales.due_reminders",
            "synthetic.generate"} <= set(registry.JOBS)
    assert {s.kind for s in registry.nightly()} >= {"performance.weekly_snapshot", "timescales.due_reminders"}
    docs = (Path(__file__).resolve().parents[3] / "docs" / "jobs.md").read_text()
    assert all(f"`{kind}`" in docs for kind in registry.JOBS), "Add the job to docs/jobs.md"
