"""For tests in any app: run the queued jobs as a worker would, in this process."""

from __future__ import annotations

from django.core.management import call_command


def run_jobs(*, nightly: bool = False) -> None:
    """One `manage.py worker --batch`: every job that is ready runs (retries due now included)."""
    args = ["worker", "--batch", "--worker-id", "test-worker"]
    if not nightly:
        args.append("--no-nightly")
    call_command(*args, verbosity=0)
