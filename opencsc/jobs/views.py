"""Your jobs (list and progress) and /readyz. Thin: reads through selectors and the readiness checks."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opencsc.accounts.policy import allowed

from . import policy, readiness, selectors


@require_GET
@allowed(policy.may_use_jobs)
def job_list(request):
    everyone = request.GET.get("all") == "1" and policy.may_view_all_jobs(request.user)
    page = Paginator(selectors.jobs_for(request.user, everyone=everyone), 25).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page_obj": page, "everyone": everyone})


@require_GET
@allowed(policy.may_use_jobs)
def job_detail(request, job_id):
    job = selectors.job_for(request.user, job_id, request=request)
    context = {"job": job, "show_detail": policy.may_view_job_errors(request.user)}
    if getattr(request, "htmx", False):
        return render(request, "jobs/includes/status.html", context)
    return render(request, "jobs/detail.html", context)


@require_GET
def readyz(request):
    """200 "ready" when this process can serve: the database answers, migrations are applied, the static
    manifest is present (with a manifest storage) and a worker has reported in recently; else 503 and
    which checks failed. Public, like /healthz; it names no secrets."""
    failures = readiness.failures()
    if failures:
        return HttpResponse("not ready\n" + "\n".join(failures) + "\n", status=503, content_type="text/plain")
    return HttpResponse("ready", content_type="text/plain")
