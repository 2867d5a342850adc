"""Workforce pages. Thin: selectors decide what each user may see, services decide what may change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.models import Team, User
from opencsc.casework.services import OVERSIGHT_ROLES, allocation_transfer, can_allocate
from opencsc.core.audit import StaleRecordError
from opencsc.core.forms import apply_errors
from opencsc.core.templatetags.govuk import govuk_error_summary
from opencsc.people.access import child_for

from . import selectors, services
from .forms import (
    AllocationForm,
    DiscussionFormSet,
    SettingsForm,
    SupervisionForm,
    WorkerProfileForm,
    discussion_rows,
)

PER_PAGE = 25


def _require_role(request, roles) -> None:
    if request.user.role not in roles:
        raise Http404("Page not found")


@require_GET
def workload(request):
    _require_role(request, selectors.WORKLOAD_ROLES)
    teams = selectors.teams_for(request.user)
    wanted = request.GET.get("team") or (str(request.user.team_id) if request.user.team_id else "")
    chosen = next((t for t in teams if str(t.pk) == wanted), teams[0] if teams else None)
    load = selectors.team_workload(user=request.user, team=chosen) if chosen else None
    return render(request, "workforce/workload.html", {
        "teams": teams, "team": chosen, "load": load, "settings": selectors.workforce_settings(),
    })


@require_GET
def worker(request, user_id):
    _require_role(request, selectors.WORKLOAD_ROLES)
    person = selectors.worker_for(user=request.user, worker_id=user_id)
    row = selectors.workloads([person])[0]
    sessions = selectors.sessions_for(request.user).filter(supervisees=person)[:10]
    return render(request, "workforce/worker.html", {
        "person": person, "row": row, "caseload": selectors.worker_caseload(user=request.user, worker=person),
        "sessions": sessions,
    })


@require_http_methods(["GET", "POST"])
def profile_edit(request, user_id):
    _require_role(request, selectors.WORKLOAD_ROLES)
    person = selectors.worker_for(user=request.user, worker_id=user_id)
    row = selectors.workloads([person])[0]
    profile = getattr(person, "worker_profile", None) if selectors._has_profile(person) else None
    initial = {"experience": row.experience, "fte": row.fte, "version": profile.version if profile else 1}
    form = WorkerProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.worker_profile_save(actor=request.user, worker=person, expected_version=data["version"],
                                         experience=data["experience"], fte=data["fte"])
        except StaleRecordError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Worker's experience and hours saved")
            return redirect("workforce:worker", person.pk)
    return render(request, "workforce/profile_form.html", {"person": person, "form": form})


@require_http_methods(["GET", "POST"])
def settings_page(request):
    _require_role(request, services.SETTINGS_ROLES)
    current = selectors.workforce_settings()
    form = SettingsForm(request.POST or None, instance=current, initial={"version": current.version})
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in services.SETTINGS_FIELDS}
        try:
            services.workforce_settings_update(actor=request.user, expected_version=form.cleaned_data["version"],
                                               **values)
        except StaleRecordError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Workforce settings saved")
            return redirect("workforce:settings")
    return render(request, "workforce/settings.html", {"form": form})


@require_GET
def many_workers(request):
    _require_role(request, selectors.CHANGES_ROLES)
    children = selectors.children_with_many_workers(user=request.user)
    page_obj = Paginator(children, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "workforce/many_workers.html", {
        "page_obj": page_obj, "threshold": selectors.workforce_settings().many_workers,
    })


@require_GET
def supervision_list(request):
    _require_role(request, selectors.SUPERVISION_ROLES)
    page_obj = Paginator(selectors.sessions_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    overdue = []
    if request.user.role in selectors.WORKLOAD_ROLES:
        rows = selectors.workloads(selectors.case_holders(selectors.teams_for(request.user)))
        overdue = sorted((r for r in rows if r.supervision_overdue), key=lambda r: r.supervision_due)
    return render(request, "workforce/supervision_list.html", {
        "page_obj": page_obj, "overdue": overdue, "can_record": request.user.role in OVERSIGHT_ROLES,
    })


@require_http_methods(["GET", "POST"])
def supervision_add(request):
    _require_role(request, OVERSIGHT_ROLES)
    workers = selectors.supervisable_workers(request.user)
    children = list(selectors.discussable_children(request.user)[:1000])
    form = SupervisionForm(request.POST or None, workers=workers)
    cases = DiscussionFormSet(request.POST or None, prefix="case", children=children)
    if request.method == "POST" and form.is_valid() & cases.is_valid():
        data = form.cleaned_data
        try:
            session = services.supervision_record(
                actor=request.user, kind=data["kind"], held_on=data["held_on"], supervisees=data["supervisees"],
                notes=data["notes"], discussions=discussion_rows(cases, {c.pk: c for c in children}),
            )
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Supervision recorded")
            return redirect("workforce:supervision_detail", session.pk)
    return render(request, "workforce/supervision_form.html", {
        "form": form, "cases": cases, "errors": govuk_error_summary(form, *cases.forms)["errors"],
        "no_workers": not workers.exists(),
    })


@require_GET
def supervision_detail(request, session_id):
    _require_role(request, selectors.SUPERVISION_ROLES)
    session = selectors.session_for(user=request.user, session_id=session_id)
    return render(request, "workforce/supervision_detail.html", {
        "session": session, "discussions": selectors.session_discussions(user=request.user, session=session),
    })


@require_GET
def child_allocations(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    return render(request, "workforce/child.html", {
        "child": child, **selectors.child_workforce(child=child), "can_allocate": can_allocate(request.user, child),
    })


@require_http_methods(["GET", "POST"])
def allocate(request, child_id):
    child = child_for(request.user, child_id, request=request, action="edit")
    if not can_allocate(request.user, child):
        raise Http404("Page not found")
    teams = Team.objects.filter(is_active=True).exclude(kind="partner").order_by("name")
    workers = (User.objects.filter(is_active=True, role__in=selectors.CASE_HOLDING_ROLES, team__isnull=False)
               .select_related("team").order_by("team__name", "first_name", "last_name"))
    form = AllocationForm(request.POST or None, teams=teams, workers=workers)
    if request.method == "POST" and form.is_valid():
        try:
            allocation_transfer(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Allocation saved")
            return redirect("workforce:child", child.pk)
    loads = {r.worker.pk: r for r in selectors.workloads(selectors.case_holders(selectors.teams_for(request.user)))}
    return render(request, "workforce/allocate.html", {
        "child": child, "form": form, **selectors.child_workforce(child=child),
        "loads": sorted(loads.values(), key=lambda r: r.weighted),
    })
