"""Timescale pages: My work, the team view, the overdue list, the rules and the authority's settings.

Views are thin: the selectors decide what each user may see (always from
``people.access.children_for``), the services decide what may change. A page a
role may not use answers 403 (``policy``), a record the user may not see 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.models import Team, User
from opencsc.accounts.policy import allowed
from opencsc.core import work
from opencsc.core.audit import StaleRecordError
from opencsc.core.db_router import reading_from_replica
from opencsc.core.forms import posted_version, submit
from opencsc.people.access import child_for, children_for

from . import policy, selectors, services
from .authority import authority_calendar, authority_settings
from .core import AMBER, GREEN, RED, RULES, RULES_BY_CODE, effective_rule
from .core.docs import _amber as amber_text
from .core.docs import counting as counting_text
from .forms import ClosureDayForm, MissedReasonForm, OverdueFilterForm, RuleSettingForm, TeamFilterForm
from .models import ClosureDay, LocalRuleSetting

PER_PAGE = 25


def _group(items):
    groups = []
    for status, heading in ((RED, "Overdue"), (AMBER, "Due soon"), (GREEN, "On track")):
        these = [i for i in items if i.rag == status]
        groups.append({"status": status, "heading": heading, "items": these})
    return groups


@require_GET
@allowed(policy.may_view_my_work)
def my_work(request):
    """Everything the user must act on: the work queues waiting for them (core.work: decisions,
    authorisations, handovers, reviews...), then what is due for the children allocated to them."""
    items = selectors.my_work(user=request.user)
    return render(request, "timescales/my_work.html", {
        "groups": _group(items), "total": len(items), "today": timezone.localdate(),
        "reminder": selectors.due_reminder(user=request.user), "queues": work.queues_for(request.user),
    })


def _teams_for(user) -> list[Team]:
    if policy.may_view_any_team_work(user):
        return list(Team.objects.filter(is_active=True).order_by("name"))
    return [user.team] if user.team_id else []


@require_GET
@allowed(policy.may_view_team_work)
def team(request):
    teams = _teams_for(request.user)
    chosen = None
    wanted = request.GET.get("team") or (str(request.user.team_id) if request.user.team_id else "")
    chosen = next((t for t in teams if str(t.pk) == wanted), teams[0] if teams else None)
    workers = list(User.objects.filter(team=chosen, is_active=True).order_by("first_name", "last_name", "id")) \
        if chosen else []
    form = TeamFilterForm(request.GET or None, teams=teams, workers=workers)
    criteria = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        worker = next((w for w in workers if str(w.pk) == data.get("worker")), None)
        criteria = {"worker": worker, "rule": data.get("rule") or None, "status": data.get("status") or None}
    rows = selectors.team_work(user=request.user, team=chosen, **criteria) if chosen else []
    totals = {s: sum(r.counts[s] for r in rows) for s in (RED, AMBER, GREEN)}
    return render(request, "timescales/team.html", {
        "team": chosen, "form": form, "rows": rows, "totals": totals,
        "filtered": any(criteria.values()),
    })


@require_GET
@allowed(policy.may_view_overdue)
@reading_from_replica()
def overdue(request):
    teams = list(Team.objects.filter(is_active=True).order_by("name"))
    form = OverdueFilterForm(request.GET or None, teams=teams)
    rule = chosen_team = None
    if form.is_bound and form.is_valid():
        rule = form.cleaned_data.get("rule") or None
        chosen_team = next((t for t in teams if str(t.pk) == form.cleaned_data.get("team")), None)
    items = selectors.overdue(user=request.user, rule=rule, team=chosen_team)
    page_obj = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    page_obj.object_list = selectors.with_children(list(page_obj.object_list), children=children_for(request.user))
    return render(request, "timescales/overdue.html", {
        "form": form, "page_obj": page_obj, "filtered": bool(rule or chosen_team),
    })


def _rule_rows(settings):
    rows = []
    for rule in sorted(RULES, key=lambda r: (r.row, r.code)):
        current = effective_rule(rule, settings)
        rows.append({
            "rule": current, "timescale": current.describe_length(), "amber": amber_text(current),
            "changed": rule.code in settings, "counting": counting_text(current),
            "editable": rule.configurable or current.counts_working_days,
        })
    return rows


@require_GET
def rules(request):
    settings = authority_settings()
    closures = ClosureDay.objects.filter(date__gte=timezone.localdate())
    return render(request, "timescales/rules.html", {
        "rows": _rule_rows(settings), "closures": closures,
    })


@require_GET
@allowed(policy.may_change_timescales)
def settings_page(request):
    settings = authority_settings()
    rows = _rule_rows(settings)
    return render(request, "timescales/settings.html", {
        "rows": [r for r in rows if r["rule"].configurable],
        "national_rows": [r for r in rows if not r["rule"].configurable and r["editable"]],
        "closures": ClosureDay.objects.all(), "closure_form": ClosureDayForm(),
    })


def _setting_initial(rule, version):
    initial = {"length": rule.length, "unit": rule.unit, "amber_length": rule.amber_within.length,
               "amber_unit": rule.amber_within.unit, "version": version,
               "closures": "skip" if rule.applies_closures else "count",
               "count_start_day": "yes" if rule.counts_start_day else "no"}
    if rule.then:
        initial.update(then_length=rule.then[-1].length, then_unit=rule.then[-1].unit)
    elif rule.is_sequence:
        initial.update(then_length=rule.length, then_unit=rule.unit)
    return initial


@require_http_methods(["GET", "POST"])
@allowed(policy.may_change_timescales)
def setting_edit(request, rule_code):
    default = RULES_BY_CODE.get(rule_code)
    if default is None or not (default.configurable or default.counts_working_days):
        raise Http404("No such timescale setting")
    stored = LocalRuleSetting.objects.filter(rule_code=rule_code).first()
    version = stored.version if stored else 0
    current = effective_rule(default, authority_settings())
    if request.method == "POST" and "reset" in request.POST:
        try:
            services.rule_setting_update(rule_code=rule_code, values={}, actor=request.user,
                                         expected_version=posted_version(request.POST))
        except StaleRecordError as error:
            messages.error(request, str(error))
            return redirect("timescales:setting_edit", rule_code)
        messages.success(request, f"{default.name}: back to the default")
        return redirect("timescales:settings")
    form = RuleSettingForm(request.POST or None, rule=default, current=current,
                           initial=_setting_initial(current, version))
    if done := submit(request, form,
                      lambda data: services.rule_setting_update(rule_code=rule_code, values=form.values(),
                                                                actor=request.user,
                                                                expected_version=data["version"]),
                      success=f"{default.name}: changed", then=reverse("timescales:settings")):
        return done
    return render(request, "timescales/setting_edit.html", {
        "rule": default, "current": current, "form": form, "amber": amber_text(default),
        "counting": counting_text(current), "default_counting": counting_text(default),
        "changed": stored is not None and bool(stored.values),
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_change_timescales)
def closure_days(request):
    form = ClosureDayForm()
    if request.method == "POST" and request.POST.get("remove"):
        day = get_object_or_404(ClosureDay, pk=request.POST["remove"] if request.POST["remove"].isdigit() else 0)
        services.closure_day_remove(day=day, actor=request.user)
        messages.success(request, f"Closure day removed: {date_format(day.date, 'j M Y')}")
        return redirect("timescales:closure_days")
    if request.method == "POST":
        form = ClosureDayForm(request.POST)
        if done := submit(request, form,
                          lambda data: services.closure_day_add(date=data["date"], reason=data["reason"],
                                                                actor=request.user),
                          success=lambda day: f"Closure day added: {date_format(day.date, 'j M Y')}",
                          then=reverse("timescales:closure_days")):
            return done
    return render(request, "timescales/closure_days.html", {
        "form": form, "closures": ClosureDay.objects.all(),
        "calendar": authority_calendar(),
    })


def _parse_due(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def missed_reason(request, child_id, rule_code):
    child = child_for(request.user, child_id, request=request, action="record")
    rule = RULES_BY_CODE.get(rule_code)
    if rule is None:
        raise Http404("No such timescale")
    scope = request.GET.get("scope", "")
    due = _parse_due(request.GET.get("due"))
    today = timezone.localdate()
    candidates = [
        i for i in selectors.child_next_due(user=request.user, child=child, completed_since=today - dt.timedelta(365))
        if i.rule_code == rule_code and i.scope == scope and i.rag in (RED, "done_late")
        and (due is None or i.due_date == due)
    ]
    item = candidates[0] if candidates else None
    form = MissedReasonForm(request.POST or None, initial={"reason": item.late_reason if item else ""})
    if request.method == "POST":
        if item is None:
            raise Http404("Nothing to record")
        if form.is_valid():
            services.missed_reason_record(child=child, rule_code=rule_code, scope=scope, due_date=item.due_date,
                                          reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, f"Reason recorded: {rule.name}")
            return redirect("timescales:my_work")
    return render(request, "timescales/missed_reason.html", {
        "child": child, "rule": rule, "item": item, "form": form,
    })
