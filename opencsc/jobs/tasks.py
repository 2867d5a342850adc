"""The one django-tasks task: run a Job. Every job kind goes through it (see services.run)."""

from __future__ import annotations

from django_tasks import task


@task(takes_context=True)
def run_job(context, job_id: int) -> str:
    from .services import run

    task_result = context.task_result
    worker_ids = list(getattr(task_result, "worker_ids", None) or [])
    return run(job_id, task_result_id=str(task_result.id), worker_id=worker_ids[-1] if worker_ids else "")
