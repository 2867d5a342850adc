"""Returns pages. Thin: role checks and reads through selectors, writes through services.

Pages for a role are refused with 403 (as other role-only pages); a run or file the user may not
see is 404.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opencsc.core.audit import audit
from opencsc.core.forms import apply_errors
from opencsc.core.models import AuditEvent

from . import registry, selectors, services
from .forms import IssueFilterForm, form_for

PER_PAGE = 50


def _require_reports(request) -> None:
    if not selectors.can_read_reports(request.user):
        raise PermissionDenied("You cannot see statutory returns")


def _require_generate(request) -> None:
    if not selectors.can_generate(request.user):
        raise PermissionDenied("Only performance analysts and service managers make statutory returns")


def _home(request, *, bound=None, status=200, kind_error=""):
    runs = selectors.runs_for(request.user)
    generate = selectors.can_generate(request.user)
    latest = selectors.latest_runs(runs, registry.KINDS)
    kinds = []
    for kind in registry.KINDS.values():
        form = bound if bound is not None and bound.prefix == kind.key else form_for(kind)
        kinds.append({"kind": kind, "available": kind.available, "form": form, "latest": latest.get(kind.key)})
    errors = [k["form"] for k in kinds if k["form"].is_bound and k["form"].errors]
    return render(request, "returns/home.html", {
        "kinds": kinds, "can_generate": generate, "recent": runs[:5], "error_form": errors[0] if errors else None,
        "kind_error": kind_error,
    }, status=status)


@require_GET
def home(request):
    _require_reports(request)
    return _home(request)


@require_POST
def make(request):
    _require_generate(request)
    try:
        kind = registry.get(request.POST.get("kind", ""))
    except registry.UnknownReturn:
        return _home(request, kind_error="Choose which return to make")
    form = form_for(kind, request.POST)
    if not form.is_valid():
        return _home(request, bound=form)
    values = ({"year": int(form.cleaned_data["year"])} if kind.by_year
              else {"start": form.cleaned_data["start"], "end": form.cleaned_data["end"]})
    try:
        run = services.return_run(kind=kind.key, by=request.user, **values)
    except ValidationError as error:
        apply_errors(form, error)
        return _home(request, bound=form)
    except Exception as error:  # the failed run is stored; say so plainly
        messages.error(request, f"The {kind.title} could not be made: {error}")
        return redirect("returns:history")
    messages.success(request, f"{kind.title} made for {run.describe_period()}")
    if run.validated:
        return redirect("returns:report", run.pk)
    return redirect("returns:history")


@require_GET
def history(request):
    _require_reports(request)
    page = Paginator(selectors.runs_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "returns/history.html", {
        "page_obj": page, "can_generate": selectors.can_generate(request.user),
    })


@require_GET
def download(request, run_id, file_id):
    _require_generate(request)
    return_file = selectors.file_for(request.user, run_id, file_id)
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
def report(request, run_id):
    _require_reports(request)
    run = selectors.report_run_for(request.user, run_id)
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
def report_csv(request, run_id):
    _require_reports(request)
    run = selectors.report_run_for(request.user, run_id)
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
