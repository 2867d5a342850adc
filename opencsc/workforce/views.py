"""Workforce pages. Thin: selectors decide what each user may see, services decide what may change."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import allowed
from opencsc.casework import policy as casework_policy
from opencsc.casework import selectors as casework_selectors
from opencsc.casework.models import Allocation
from opencsc.casework.services import allocation_transfer, can_allocate
from opencsc.core.db_router import reading_from_replica
from opencsc.core.forms import submit
from opencsc.core.templatetags.govuk import govuk_error_summary
from opencsc.people.access import child_for

from . import policy, selectors, services, work
from .forms import (
    AllocationForm,
    DiscussionFormSet,
    SettingsForm,
    SupervisionForm,
    WorkerProfileForm,
    discussion_rows,
)

PER_PAGE = 25


@require_GET
@allowed(policy.may_view_workload)
def workload(request):
    teams = selectors.teams_for(request.user)
    wanted = request.GET.get("team") or (str(request.user.team_id) if request.user.team_id else "")
    chosen = next((t for t in teams if str(t.pk) == wanted), teams[0] if teams else None)
    load = selectors.team_workload(user=request.user, team=chosen) if chosen else None
    return render(request, "workforce/workload.html", {
        "teams": teams, "team": chosen, "load": load, "settings": selectors.workforce_settings(),
    })


@require_GET
@allowed(policy.may_view_workload)
def worker(request, user_id):
    person = selectors.worker_for(user=request.user, worker_id=user_id, request=request)
    row = selectors.workloads([person])[0]
    sessions = selectors.sessions_for(request.user).filter(supervisees=person)[:10]
    return render(request, "workforce/worker.html", {
        "person": person, "row": row, "caseload": selectors.worker_caseload(user=request.user, worker=person),
        "sessions": sessions,
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_edit_worker_profile)
def profile_edit(request, user_id):
    person = selectors.worker_for(user=request.user, worker_id=user_id, request=request)
    row = selectors.workloads([person])[0]
    profile = getattr(person, "worker_profile", None) if selectors._has_profile(person) else None
    initial = {"experience": row.experience, "fte": row.fte, "version": profile.version if profile else 1}
    form = WorkerProfileForm(request.POST or None, initial=initial)
    if done := submit(request, form, lambda data: services.worker_profile_save(
            actor=request.user, worker=person, expected_version=data["version"], experience=data["experience"],
            fte=data["fte"]), success="Worker's experience and hours saved",
            then=reverse("workforce:worker", args=[person.pk])):
        return done
    return render(request, "workforce/profile_form.html", {"person": person, "form": form})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_change_workforce_settings)
def settings_page(request):
    current = selectors.workforce_settings()
    form = SettingsForm(request.POST or None, instance=current, initial={"version": current.version})
    if done := submit(request, form, lambda data: services.workforce_settings_update(
            actor=request.user, expected_version=data["version"], **{k: data[k] for k in services.SETTINGS_FIELDS}),
            success="Workforce settings saved", then=reverse("workforce:settings")):
        return done
    return render(request, "workforce/settings.html", {"form": form})


@require_GET
@allowed(policy.may_view_worker_changes)
@reading_from_replica()
def many_workers(request):
    children = selectors.children_with_many_workers(user=request.user)
    page_obj = Paginator(children, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "workforce/many_workers.html", {
        "page_obj": page_obj, "threshold": selectors.workforce_settings().many_workers,
    })


@require_GET
@allowed(policy.may_view_supervision)
def supervision_list(request):
    page_obj = Paginator(selectors.sessions_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    overdue = []
    if policy.may_view_workload(request.user):
        rows = selectors.workloads(selectors.case_holders(selectors.teams_for(request.user)))
        overdue = sorted((r for r in rows if r.supervision_overdue), key=lambda r: r.supervision_due)
    return render(request, "workforce/supervision_list.html", {
        "page_obj": page_obj, "overdue": overdue,
    })


@require_http_methods(["GET", "POST"])
@allowed(casework_policy.may_record_oversight)
def supervision_add(request):
    workers = selectors.supervisable_workers(request.user)
    children = list(selectors.discussable_children(request.user)[:1000])
    form = SupervisionForm(request.POST or None, workers=workers)
    cases = DiscussionFormSet(request.POST or None, prefix="case", children=children)
    if done := submit(request, form, lambda data: services.supervision_record(
            actor=request.user, kind=data["kind"], held_on=data["held_on"], supervisees=data["supervisees"],
            notes=data["notes"], discussions=discussion_rows(cases, {c.pk: c for c in children})),
            success="Supervision recorded", also=[cases],
            then=lambda session: reverse("workforce:supervision_detail", args=[session.pk])):
        return done
    return render(request, "workforce/supervision_form.html", {
        "form": form, "cases": cases, "errors": govuk_error_summary(form, *cases.forms)["errors"],
        "no_workers": not workers.exists(),
    })


@require_GET
@allowed(policy.may_view_supervision)
def supervision_detail(request, session_id):
    session = selectors.session_for(user=request.user, session_id=session_id, request=request)
    return render(request, "workforce/supervision_detail.html", {
        "session": session, "discussions": selectors.session_discussions(user=request.user, session=session),
    })


@require_GET
def child_allocations(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    return render(request, "workforce/child.html", {
        "child": child, **selectors.child_workforce(child=child), "can_allocate": can_allocate(request.user, child),
    })


def _likely_team(request, child, teams):
    """The team the form offers first: the one asked for (?team=, from the awaiting-allocation list), the child's
    current team, or the manager's own."""
    by_pk = {str(t.pk): t for t in teams}
    current = Allocation.objects.filter(child=child, end_date__isnull=True).order_by("-start_date", "-id").first()
    for candidate in (request.GET.get("team", ""), str(current.team_id) if current else "",
                      str(request.user.team_id or "")):
        if candidate in by_pk:
            return by_pk[candidate]
    return None


@require_http_methods(["GET", "POST"])
@allowed(casework_policy.may_allocate)
def allocate(request, child_id):
    child = child_for(request.user, child_id, request=request, action="edit")  # may allocate: may edit the child
    teams = list(casework_selectors.allocation_teams())
    form = AllocationForm(request.POST or None, teams=teams, workers=casework_selectors.allocatable_workers(),
                          likely_team=_likely_team(request, child, teams),
                          initial={"start_date": timezone.localdate()})
    if done := submit(request, form, lambda data: allocation_transfer(actor=request.user, child=child, **data),
                      success=lambda allocation: f"{child.full_name} allocated to "
                      f"{allocation.worker.display_name if allocation.worker else 'the team'} ({allocation.team.name})",
                      then=reverse("workforce:child", args=[child.pk])):
        return done
    loads = {r.worker.pk: r for r in selectors.workloads(selectors.case_holders(selectors.teams_for(request.user)))}
    return render(request, "workforce/allocate.html", {
        "child": child, "form": form, **selectors.child_workforce(child=child),
        "loads": sorted(loads.values(), key=lambda r: r.weighted),
    })


@require_GET
@allowed(casework_policy.may_allocate)
def awaiting_allocation(request):
    queue = work.AWAITING_ALLOCATION
    return render(request, "casework/work_queue.html", {"queue": queue, "items": queue.items(request.user)})


@require_GET
@allowed(casework_policy.may_hold_cases)
def newly_allocated(request):
    queue = work.NEWLY_ALLOCATED
    return render(request, "casework/work_queue.html", {"queue": queue, "items": queue.items(request.user)})
