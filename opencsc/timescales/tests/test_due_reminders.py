"""The nightly due-list reminder: each worker's overdue and due-soon counts, worked out by a background job
and shown on My work."""

import pytest
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.jobs import services as jobs
from opencsc.jobs.models import NightlyRun
from opencsc.jobs.testing import run_jobs
from opencsc.timescales import selectors
from opencsc.timescales.core import WorkingDayCalendar
from opencsc.timescales.models import DueReminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def workload(signed_in, casework_clocks, cp_plan, allocate, today, make_user):
    """My children: one CP plan 3 working days overdue, one just started (first visit due within 10 working
    days); someone else's child, also overdue."""
    client = signed_in(Role.SOCIAL_WORKER)
    allocate(cp_plan(WorkingDayCalendar().subtract(today, 13, "working_days")), client.user)
    allocate(cp_plan(WorkingDayCalendar().subtract(today, 8, "working_days")), client.user)
    allocate(cp_plan(today), client.user)
    other = make_user(role=Role.SOCIAL_WORKER)
    allocate(cp_plan(WorkingDayCalendar().subtract(today, 13, "working_days")), other)
    return client, other


def test_the_nightly_job_counts_each_workers_items_and_my_work_says_so(workload, settings, today):
    settings.OPENCSC_REMINDER_WORKING_DAYS = 5
    client, other = workload
    job = jobs.start("timescales.due_reminders", user=None)
    run_jobs()
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result_url == reverse("timescales:my_work")
    due_by = WorkingDayCalendar().add_working_days(today, 5)
    for worker in (client.user, other):  # the same counts as each worker's own due list
        items = selectors.my_work(user=worker)
        overdue = sum(1 for i in items if i.rag == "red")
        soon = sum(1 for i in items if i.rag != "red" and i.due_date <= due_by)
        row = DueReminder.objects.get(worker=worker)
        assert (row.as_at, row.due_by, row.overdue, row.due_soon) == (today, due_by, overdue, soon)
        assert overdue and len(items) > overdue + soon  # some items are due later: not counted
    mine = DueReminder.objects.get(worker=client.user)
    page = client.get(reverse("timescales:my_work")).content.decode()
    assert (f"This week: {mine.due_soon} item{'s' if mine.due_soon != 1 else ''} due by "
            f"{due_by.day} {due_by:%b %Y} and {mine.overdue} overdue (worked out overnight)") in page


def test_it_is_one_of_the_nightly_jobs(workload, settings):
    settings.OPENCSC_NIGHTLY_AT = "00:00"
    run_jobs(nightly=True)
    assert NightlyRun.objects.filter(kind="timescales.due_reminders").exists()
    assert DueReminder.objects.count() == 2


def test_yesterdays_reminder_is_not_shown_and_a_worker_with_nothing_due_loses_theirs(workload, today):
    import datetime as dt

    client, _ = workload
    jobs.start("timescales.due_reminders", user=None)
    run_jobs()
    DueReminder.objects.filter(worker=client.user).update(as_at=today - dt.timedelta(days=1))
    assert "This week:" not in client.get(reverse("timescales:my_work")).content.decode()
    from opencsc.casework.models import Allocation

    Allocation.objects.filter(worker=client.user).delete()
    from opencsc.timescales.jobs import reminders_compute

    reminders_compute()
    assert not DueReminder.objects.filter(worker=client.user).exists()
