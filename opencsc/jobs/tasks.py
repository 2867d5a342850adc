"""Where the background task was before it moved to jobs/services.py (issue 17).

The database queue names each queued task by its import path: a job queued by the release before the move
names ``opencsc.jobs.tasks.run_job``, and must still run after an upgrade.
"""

from .services import run_job

__all__ = ["run_job"]
