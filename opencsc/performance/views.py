"""Scorecard pages. Thin: the permission (policy.py), parse the scope and week, read through selectors, write
through services.

Reading is for performance analysts, team and service managers and auditors; refused roles get 403
(logged), as on the other authority-wide pages. Children are named only through people.access.children_for.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencsc.accounts.policy import allowed
from opencsc.core.forms import submit
from opencsc.jobs import services as jobs

from . import exports, policy, selectors, services
from .charts import trend_svg
from .forms import MET_CHOICES, CommentaryForm, TargetForm
from .indicators import AREAS, INDICATORS, indicator_for
from .scopes import scope_choices, scope_parse

PER_PAGE = 50


def _scope(request):
    scope = scope_parse(request.GET.get("scope"))
    if scope is None:
        raise Http404("No such team or service")
    return scope


def _week(request) -> dt.date | None:
    value = request.GET.get("week")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Http404("No scorecard for that week") from None


def _indicator(key):
    indicator = indicator_for(key)
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


def _snapshot(request):
    week = _week(request)
    snapshot = selectors.snapshot_for(week)
    if week is not None and snapshot is None:
        raise Http404("No scorecard for that week")
    return snapshot


def _decorate(line, *, width=160, height=40):
    line["chart"] = trend_svg(line["indicator"], line["points"], target=line["target"].target,
                              width=width, height=height)
    return line


def _query(scope, snapshot) -> str:
    parts = [f"scope={scope.param}"]
    if snapshot is not None:
        parts.append(f"week={snapshot.as_at.isoformat()}")
    return "&".join(parts)


@require_GET
@allowed(policy.may_view_scorecards)
def scorecard(request):
    scope = _scope(request)
    snapshot = _snapshot(request)
    lines = [_decorate(line) for line in selectors.scorecard(scope, snapshot)]
    areas = [{"label": label, "lines": [x for x in lines if x["indicator"].area == area]}
             for area, label in AREAS.items()]
    return render(request, "performance/scorecard.html", {
        "scope": scope, "snapshot": snapshot, "areas": [a for a in areas if a["lines"]],
        "scope_choices": scope_choices(), "weeks": selectors.snapshots().values_list("as_at", flat=True)[:104],
        "query": _query(scope, snapshot),
    })


@require_GET
@allowed(policy.may_view_scorecards)
def indicator_detail(request, key):
    indicator = _indicator(key)
    scope = _scope(request)
    snapshot = _snapshot(request)
    line = selectors.scorecard_line(indicator, scope, snapshot)
    if line:
        _decorate(line, width=600, height=160)
    can_comment = policy.may_write_commentary(request.user) and snapshot is not None
    return render(request, "performance/indicator.html", {
        "indicator": indicator, "scope": scope, "snapshot": snapshot, "line": line,
        "national_text": indicator.format(indicator.national) if indicator.national is not None else "",
        "history": selectors.commentary_history(indicator, scope)[:50],
        "form": CommentaryForm() if can_comment else None, "query": _query(scope, snapshot),
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_write_commentary)
def commentary_add(request, key):
    indicator = _indicator(key)
    scope = _scope(request)
    snapshot = _snapshot(request)
    if snapshot is None:
        raise Http404("No scorecard yet")
    form = CommentaryForm(request.POST or None)
    if done := submit(request, form, lambda data: services.commentary_write(
            actor=request.user, indicator=indicator, scope=scope, as_at=snapshot.as_at, text=data["text"]),
            success="Commentary saved",
            then=reverse("performance:indicator", args=[indicator.key]) + "?" + _query(scope, snapshot)):
        return done
    return render(request, "performance/commentary_form.html", {
        "indicator": indicator, "scope": scope, "snapshot": snapshot, "form": form,
        "query": _query(scope, snapshot),
    })


@require_GET
@allowed(policy.may_view_scorecards)
def drilldown(request, key):
    indicator = _indicator(key)
    scope = _scope(request)
    snapshot = _snapshot(request)
    met = request.GET.get("met", "")
    if met not in dict(MET_CHOICES):
        met = ""
    page_obj = None
    if snapshot is not None:
        rows = selectors.drilldown_rows(indicator=indicator, scope=scope, snapshot=snapshot, met=met)
        page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        selectors.drilldown_name(request.user, page_obj.object_list)
    return render(request, "performance/drilldown.html", {
        "indicator": indicator, "scope": scope, "snapshot": snapshot, "page_obj": page_obj,
        "met": met, "met_choices": MET_CHOICES, "query": _query(scope, snapshot),
        "shows_met": indicator.kind == "percent",
    })


@require_POST
@allowed(policy.may_take_snapshots)
def snapshot_start(request):
    """Take this week's scorecard snapshot now, as a background job; its page shows the progress."""
    job = jobs.start("performance.snapshot", user=request.user, as_at=timezone.localdate().isoformat())
    messages.success(request, "A snapshot is already being taken: this is its progress" if job.already_active
                     else "The scorecard snapshot is being taken. This page shows its progress.")
    return redirect("jobs:detail", job.pk)


@require_GET
@allowed(policy.may_view_scorecards)
def targets(request):
    scope = _scope(request)
    in_force = selectors.targets_in_force(scope)
    rows = [{"indicator": ind, "target": in_force[ind.key], "target_text": ind.format(in_force[ind.key].target)}
            for ind in INDICATORS]
    return render(request, "performance/targets.html", {
        "scope": scope, "rows": rows, "scope_choices": scope_choices(),
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_set_targets)
def target_edit(request, key):
    indicator = _indicator(key)
    scope = _scope(request)
    current = selectors.targets_in_force(scope)[indicator.key]
    own = services.target_current(indicator, scope)
    form = TargetForm(request.POST or None, indicator=indicator,
                      initial={"target": current.target, "amber_tolerance": current.tolerance,
                               "version": own.version if own is not None else 0})
    if done := submit(request, form, lambda data: services.target_set(
            actor=request.user, indicator=indicator, scope=scope, target=data["target"],
            amber_tolerance=data["amber_tolerance"], expected_version=data["version"]),
            success=f"Target for {indicator.title} saved",
            then=reverse("performance:targets") + f"?scope={scope.param}"):
        return done
    return render(request, "performance/target_form.html", {
        "indicator": indicator, "scope": scope, "form": form, "current": current,
        "current_text": indicator.format(current.target),
        "history": selectors.target_history(indicator, scope)[:20],
    })


def _export(request, fmt):
    scope = _scope(request)
    snapshot = _snapshot(request)
    if snapshot is None:
        raise Http404("No scorecard to export yet")
    lines = selectors.scorecard(scope, snapshot)
    name = f"scorecard-{scope.param.replace(':', '-')}-{snapshot.as_at.isoformat()}"
    if fmt == "xlsx":
        body = exports.scorecard_xlsx(scope, snapshot, lines)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.scorecard_pdf(scope, snapshot, lines)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
@allowed(policy.may_view_scorecards)
def export_xlsx(request):
    return _export(request, "xlsx")


@require_GET
@allowed(policy.may_view_scorecards)
def export_pdf(request):
    return _export(request, "pdf")

