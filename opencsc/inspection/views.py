"""Inspection and action plan pages. Thin: the permissions (policy.py), reads through selectors, parsing
with forms, writes through services. A role that may not use a page gets 403; a missing record 404; both
are written to the access log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opencsc.accounts.policy import allowed
from opencsc.core.forms import submit
from opencsc.timescales.authority import national_calendar

from . import policy, selectors, services
from .export import action_plan_xlsx
from .forms import (
    ActionEditForm,
    ActionForm,
    AreaForm,
    InspectionEditForm,
    InspectionForm,
    PasteAreasForm,
    ProgressForm,
)
from .parsing import parse_areas

PAGE_SIZE = 50


def _form(request, form, heading, button, *, inspection=None, back=None, **extra):
    return render(request, "inspection/form.html", {
        "form": form, "heading": heading, "button": button, "inspection": inspection, "back": back, **extra})


def _plan_url(inspection):
    return reverse("inspection:detail", args=[inspection.pk])


@require_GET
@allowed(policy.may_view_inspections)
def inspection_list(request):
    rows = selectors.inspections_for(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today, calendar = timezone.localdate(), national_calendar()
    items = [{"inspection": i, "deadline": selectors.deadline(i, today=today, calendar=calendar)} for i in page]
    return render(request, "inspection/list.html", {
        "page_obj": page, "items": items})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_enter_inspections)
def inspection_add(request):
    form = InspectionForm(request.POST or None)
    if done := submit(request, form, lambda data: services.inspection_create(actor=request.user, **data),
                      success="Inspection entered", then=_plan_url):
        return done
    return _form(request, form, "Enter an inspection", "Save inspection")


@require_GET
@allowed(policy.may_view_inspections)
def inspection_detail(request, inspection_id):
    inspection = selectors.inspection_for(request.user, inspection_id, request=request)
    context = selectors.action_plan(inspection)
    return render(request, "inspection/detail.html", context)


@require_http_methods(["GET", "POST"])
@allowed(policy.may_enter_inspections)
def inspection_edit(request, inspection_id):
    inspection = selectors.inspection_for(request.user, inspection_id, request=request)
    initial = {f: getattr(inspection, f) for f in services.EDITABLE}
    form = InspectionEditForm(request.POST or None, initial={**initial, "version": inspection.version})

    def write(data):
        data = dict(data)
        version = data.pop("version")
        services.inspection_update(actor=request.user, inspection=inspection, expected_version=version, **data)

    if done := submit(request, form, write, success="Inspection updated", then=_plan_url(inspection)):
        return done
    return _form(request, form, "Change the inspection", "Save changes", inspection=inspection,
                 back=_plan_url(inspection))


@require_http_methods(["GET", "POST"])
@allowed(policy.may_enter_inspections)
def areas_paste(request, inspection_id):
    """Paste the report's list; see it as areas (preview); then save. The text is kept on every step."""
    inspection = selectors.inspection_for(request.user, inspection_id, request=request)
    form = PasteAreasForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        parsed = parse_areas(form.cleaned_data["text"])
        if "save" in request.POST:
            def write(data):
                services.areas_add_from_text(actor=request.user, inspection=inspection, text=data["text"],
                                             is_priority_action=data["is_priority_action"])

            if done := submit(request, form, write, success="Areas for improvement saved",
                              then=_plan_url(inspection)):
                return done
        elif not parsed.items:
            form.add_error("text", "Paste at least one area for improvement")
        if not form.errors:
            preview = parsed
    return render(request, "inspection/paste.html", {"form": form, "inspection": inspection, "preview": preview})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_enter_inspections)
def area_edit(request, inspection_id, area_id):
    inspection = selectors.inspection_for(request.user, inspection_id, request=request)
    area = selectors.area_for(request.user, inspection, area_id, request=request)
    form = AreaForm(request.POST or None, initial={
        "text": area.text, "is_priority_action": area.is_priority_action, "order": area.order,
        "indicator_keys": area.indicator_keys, "version": area.version})

    def write(data):
        services.area_update(actor=request.user, area=area, expected_version=data["version"], text=data["text"],
                             is_priority_action=data["is_priority_action"], order=data["order"],
                             indicator_keys=data["indicator_keys"])

    if done := submit(request, form, write, success="Area for improvement updated", then=_plan_url(inspection)):
        return done
    return _form(request, form, "Change an area for improvement", "Save changes", inspection=inspection,
                 back=_plan_url(inspection), area=area)


@require_POST
@allowed(policy.may_enter_inspections)
def area_remove(request, inspection_id, area_id):
    inspection = selectors.inspection_for(request.user, inspection_id, request=request)
    area = selectors.area_for(request.user, inspection, area_id, request=request)
    try:
        services.area_remove(actor=request.user, area=area)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Area for improvement removed")
    return redirect("inspection:detail", inspection.pk)


@require_http_methods(["GET", "POST"])
@allowed(policy.may_change_inspection_actions)
def action_add(request, inspection_id, area_id):
    inspection = selectors.inspection_for(request.user, inspection_id, request=request)
    area = selectors.area_for(request.user, inspection, area_id, request=request)
    form = ActionForm(request.POST or None, owners=selectors.owners())

    def write(data):
        services.action_create(actor=request.user, area=area, **data)

    if done := submit(request, form, write, success="Action added", then=_plan_url(inspection)):
        return done
    return _form(request, form, "Add an action", "Save action", inspection=inspection, back=_plan_url(inspection),
                 area=area)


@require_GET
@allowed(policy.may_own_inspection_actions)
def action_detail(request, action_id):
    action = selectors.action_for(request.user, action_id, request=request)
    today = timezone.localdate()
    return render(request, "inspection/action.html", {
        "row": selectors.action_row(action, today), "action": action, "history": selectors.action_history(action),
        "can_update": services.can_update(request.user, action),
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_change_inspection_actions)
def action_edit(request, action_id):
    action = selectors.action_for(request.user, action_id, request=request)
    form = ActionEditForm(request.POST or None, owners=selectors.owners(), initial={
        "description": action.description, "owner": action.owner_id, "due_on": action.due_on,
        "version": action.version})

    def write(data):
        services.action_edit(actor=request.user, action=action, expected_version=data["version"],
                             description=data["description"], owner=data["owner"], due_on=data["due_on"])

    if done := submit(request, form, write, success="Action updated", then=_action_url(action)):
        return done
    return _form(request, form, "Change an action", "Save changes", inspection=action.area.inspection,
                 back=_action_url(action), action=action)


def _action_url(action):
    return reverse("inspection:action", args=[action.pk])


@require_http_methods(["GET", "POST"])
@allowed(policy.may_own_inspection_actions)
def action_update(request, action_id):
    action = selectors.action_for(request.user, action_id, to_update=True, request=request)
    form = ProgressForm(request.POST or None, initial={
        "status": action.status, "evidence_of_impact": action.evidence_of_impact,
        "completed_on": action.completed_on, "version": action.version})

    def write(data):
        services.action_progress(actor=request.user, action=action, expected_version=data["version"],
                                 note=data["note"], status=data["status"],
                                 evidence_of_impact=data["evidence_of_impact"], completed_on=data["completed_on"])

    if done := submit(request, form, write, success="Progress recorded", then=_action_url(action)):
        return done
    return _form(request, form, "Record progress", "Save progress", inspection=action.area.inspection,
                 back=_action_url(action), action=action)


SHOW = (("outstanding", "Not done"), ("all", "All"))


@require_GET
@allowed(policy.may_own_inspection_actions)
def my_actions(request):
    show = request.GET.get("show") if request.GET.get("show") in dict(SHOW) else "outstanding"
    rows = selectors.my_actions(request.user, show=show)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "inspection/my_actions.html", {
        "page_obj": page, "rows": [selectors.action_row(a, today) for a in page], "show": show, "shows": SHOW})


@require_GET
@allowed(policy.may_view_inspections)
def overdue(request):
    rows = selectors.overdue_actions(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "inspection/overdue.html", {
        "page_obj": page, "rows": [selectors.action_row(a, today) for a in page]})


@require_GET
@allowed(policy.may_view_inspections)
def export(request, inspection_id):
    inspection = selectors.inspection_for(request.user, inspection_id, request=request)
    content = action_plan_xlsx(selectors.action_plan(inspection))
    response = HttpResponse(content,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"action-plan-{inspection.kind.replace('_', '-')}-{inspection.started_on:%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
