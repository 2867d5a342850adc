"""Returns pages. Thin: the permissions (policy.py), reads through selectors, writes through services.

Pages for a role are refused with 403 (as other role-only pages); a run or file the user may not
see is 404. Both are written to the access log.
"""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opencsc.accounts.policy import allowed
from opencsc.core.audit import audit
from opencsc.core.forms import submit
from opencsc.core.models import AuditEvent
from opencsc.jobs import services as jobs

from . import policy, registry, selectors, services
from .forms import IssueFilterForm, form_for

PER_PAGE = 50


def _home(request, *, bound=None, status=200, kind_error=""):
    runs = selectors.runs_for(request.user)
    latest = selectors.latest_runs(runs, registry.KINDS)
    kinds = []
    for kind in registry.KINDS.values():
        form = bound if bound is not None and bound.prefix == kind.key else form_for(kind)
        kinds.append({"kind": kind, "available": kind.available, "form": form, "latest": latest.get(kind.key)})
    errors = [k["form"] for k in kinds if k["form"].is_bound and k["form"].errors]
    return render(request, "returns/home.html", {
        "kinds": kinds, "recent": runs[:5], "error_form": errors[0] if errors else None,
        "kind_error": kind_error,
    }, status=status)


@require_GET
@allowed(policy.may_read_return_reports)
def home(request):
    return _home(request)


@require_POST
@allowed(policy.may_make_returns)
def make(request):
    try:
        kind = registry.get(request.POST.get("kind", ""))
    except registry.UnknownReturn:
        return _home(request, kind_error="Choose which return to make")
    form = form_for(kind, request.POST)

    def write(data):
        values = ({"year": int(data["year"])} if kind.by_year else {"start": data["start"], "end": data["end"]})
        params = services.return_request_check(kind=kind.key, by=request.user, **values)
        return jobs.start("returns.build", user=request.user, **params)

    def success(job):
        if job.already_active:
            return f"The {kind.title} is already being made: this is its progress"
        return f"The {kind.title} is being made. This page shows its progress; you can leave it and come back."

    done = submit(request, form, write, success=success, then=lambda job: reverse("jobs:detail", args=[job.pk]))
    return done or _home(request, bound=form)


@require_GET
@allowed(policy.may_read_return_reports)
def history(request):
    page = Paginator(selectors.runs_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "returns/history.html", {"page_obj": page})


@require_GET
@allowed(policy.may_download_returns)
def download(request, run_id, file_id):
    return_file = selectors.file_for(request.user, run_id, file_id, request=request)
    audit(actor=request.user, action=AuditEvent.Action.OTHER, instance=return_file.run,
          summary=f"Downloaded {return_file.name}")
    response = HttpResponse(bytes(return_file.content), content_type=return_file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{return_file.name}"'
    return response


def _filtered(request, run):
    rules, teams = selectors.issue_filters(run)
    form = IssueFilterForm(request.GET or None, rules=rules, teams=teams)
    filters = form.cleaned_data if form.is_valid() else {}
    issues = selectors.issues(run, rule=filters.get("rule", ""), severity=filters.get("severity", ""),
                              team=filters.get("team", ""))
    return form, issues


@require_GET
@allowed(policy.may_read_return_reports)
def report(request, run_id):
    run = selectors.report_run_for(request.user, run_id, request=request)
    form, issues = _filtered(request, run)
    page = Paginator(issues, PER_PAGE).get_page(request.GET.get("page"))
    visible = selectors.visible_children(request.user, [i.child_id for i in page.object_list])
    rows = [{"issue": i, "child": visible.get(i.child_id)} for i in page.object_list]
    return render(request, "returns/report.html", {
        "run": run, "kind": registry.KINDS[run.kind], "summary": selectors.rule_summary(run), "form": form,
        "page_obj": page, "rows": rows, "query": request.GET.urlencode(),
        "own_team": request.user.team if request.user.team_id in form.team_ids else None,
    })


@require_GET
@allowed(policy.may_read_return_reports)
def report_csv(request, run_id):
    run = selectors.report_run_for(request.user, run_id, request=request)
    _form, issues = _filtered(request, run)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{run.kind}_issues_{run.pk}_{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(["Rule", "Severity", "Message", "LA child ID", "Table", "Field", "Team"])
    for issue in issues.iterator(chunk_size=2000):
        writer.writerow([issue.rule, issue.get_severity_display(), issue.message, issue.child_reference, issue.table,
                         issue.field, issue.team.name if issue.team else ""])
    return response
