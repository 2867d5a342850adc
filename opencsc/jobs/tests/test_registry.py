"""The task the database queue runs, found by the path stored in each queued row."""

from django.utils.module_loading import import_string

from opencsc.jobs import services


def test_a_task_queued_under_its_old_path_still_runs():
    """Jobs queued before the task moved to jobs/services.py (issue 17) name opencsc.jobs.tasks.run_job."""
    assert import_string("opencsc.jobs.tasks.run_job") is services.run_job
    assert import_string("opencsc.jobs.services.run_job") is services.run_job
