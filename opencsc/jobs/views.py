"""Your jobs (list and progress) and /readyz. Thin: reads through selectors; jobs start in services."""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import storages
from django.core.paginator import Paginator
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opencsc.accounts.policy import allowed

from . import policy, selectors, services


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


# --- Readiness ---------------------------------------------------------------------------------------


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return "database: not answering"
    return ""


def _migrations() -> str:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return "migrations: could not be checked"
    return f"migrations: {len(plan)} not applied" if plan else ""


def _static_manifest() -> str:
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return ""
    try:
        present = storage.manifest_storage.exists(storage.manifest_name)
    except Exception:
        present = False
    return "" if present else "static files: the manifest is missing (run collectstatic)"


def _worker() -> str:
    if not services.live_workers().exists():
        return (f"worker: none has reported in for {settings.OPENCSC_WORKER_STALE_SECONDS} seconds "
                "(start manage.py worker)")
    return ""


@require_GET
def readyz(request):
    """200 "ready" when this process can serve: the database answers, migrations are applied, the static
    manifest is present (with a manifest storage) and a worker has reported in recently; else 503 and
    which checks failed. Public, like /healthz; it names no secrets."""
    database = _database()
    failures = [database] if database else [f for f in (_migrations(), _static_manifest(), _worker()) if f]
    if failures:
        return HttpResponse("not ready\n" + "\n".join(failures) + "\n", status=503, content_type="text/plain")
    return HttpResponse("ready", content_type="text/plain")
