"""Reading jobs: a user sees the jobs they started; administrators and performance analysts see all."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from opencsc.accounts.policy import log_refusal

from . import policy
from .models import Job


def jobs_for(user, *, everyone: bool = False) -> QuerySet[Job]:
    jobs = Job.objects.select_related("started_by")
    if everyone and policy.may_view_all_jobs(user):
        return jobs
    return jobs.filter(started_by=user)


def job_for(user, job_id: int, *, request=None) -> Job:
    """The job, if the user may see it; otherwise 404 (someone else's job looks missing), logged."""
    job = jobs_for(user, everyone=True).filter(pk=job_id).first()
    if job is None:
        log_refusal(user, reference="job", path=request.get_full_path() if request is not None else "")
        raise Http404("No such job")
    return job
