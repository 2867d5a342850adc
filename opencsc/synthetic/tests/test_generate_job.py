"""Generating the synthetic authority as a background job, as the demo can."""

import pytest

from opencsc.jobs import services as jobs
from opencsc.jobs.testing import run_jobs
from opencsc.people.models import Child
from opencsc.synthetic.pipeline import STEPS

pytestmark = pytest.mark.django_db


def test_the_generation_job_fills_the_database_with_its_progress():
    job = jobs.start("synthetic.generate", user=None, seed=3, size=0.05, today="2026-11-23")
    assert job.title == "Generate a synthetic authority (seed 3, size 0.05)"
    run_jobs()
    job.refresh_from_db()
    assert job.state == "succeeded" and Child.objects.exists()
    assert (job.progress_done, job.progress_total) == (len(STEPS), len(STEPS))
    assert job.progress_message == f"{Child.objects.count():,} children"


def test_a_second_generation_into_a_full_database_fails_with_the_reason_and_is_not_retried():
    from opencsc.people.tests.factories import ChildFactory

    ChildFactory()
    job = jobs.start("synthetic.generate", user=None, seed=3, size=0.05)
    run_jobs()
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("failed", 1)
    assert "Generate a synthetic authority only into an empty database" in job.error
    assert Child.objects.count() == 1
