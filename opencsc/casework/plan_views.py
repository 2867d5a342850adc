"""Plans with SMART actions, meetings with progress, visits and management oversight.

Thin views: the child comes through `people.access.child_for()` ("view_casework" to read,
"record" to write); the rules are in services.py and the reads in selectors.py.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.core.forms import submit
from opencsc.people.access import can, child_for

from . import evidence, policy, selectors, services
from .forms import MeetingForm, OversightForm, PlanActionForm, PlanEndForm, VisitFilterForm, VisitForm
from .models import Plan, PlanAction
from .views import _page


def _plan(request, child, plan_id) -> Plan:
    return selectors.plan_for(user=request.user, child=child, plan_id=plan_id)


@require_GET
def plans(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    page_obj = _page(request, selectors.plans_for(user=request.user, child=child))
    for plan in page_obj:
        plan.overdue_for_review = selectors.plan_is_overdue_for_review(plan)
    return render(request, "casework/plans.html", {"child": child, "page_obj": page_obj})


@require_GET
def plan_detail(request, child_id, plan_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    plan = _plan(request, child, plan_id)
    detail = selectors.plan_detail(user=request.user, child=child, plan=plan)
    return render(request, "casework/plan_detail.html", {
        "child": child, "plan": plan, "detail": detail,
        "can_record": can(request.user, "record", child) and plan.end_date is None,
    })


@require_GET
def plan_child_version(request, child_id, plan_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    plan = _plan(request, child, plan_id)
    actions = [row.action for row in selectors.plan_detail(user=request.user, child=child, plan=plan).actions
               if row.action.status != PlanAction.Status.STOPPED]
    review_upcoming = plan.end_date is None and plan.review_due is not None and not selectors.plan_is_overdue_for_review(
        plan)
    return render(request, "casework/plan_child_version.html", {
        "child": child, "plan": plan, "actions": actions, "review_upcoming": review_upcoming})


def _plan_url(child, plan) -> str:
    return reverse("casework:plan_detail", args=[child.pk, plan.pk])


def _open_plan_for_recording(request, child_id, plan_id):
    child = child_for(request.user, child_id, request=request, action="record")
    plan = _plan(request, child, plan_id)
    return child, plan


@require_http_methods(["GET", "POST"])
def plan_action_add(request, child_id, plan_id):
    child, plan = _open_plan_for_recording(request, child_id, plan_id)
    form = PlanActionForm(request.POST or None)
    if done := submit(request, form, lambda data: services.plan_action_add(actor=request.user, plan=plan, **data),
                      success="Action added to the plan", then=_plan_url(child, plan)):
        return done
    return render(request, "casework/plan_action_form.html", {"child": child, "plan": plan, "form": form})


@require_http_methods(["GET", "POST"])
def plan_meeting_add(request, child_id, plan_id):
    child, plan = _open_plan_for_recording(request, child_id, plan_id)
    actions = list(plan.actions.exclude(status__in=[PlanAction.Status.DONE, PlanAction.Status.STOPPED])
                   .order_by("order", "id"))
    initial_kind = {Plan.Kind.CHILD_PROTECTION: "core_group", Plan.Kind.CHILD_IN_NEED: "cin_meeting"}.get(
        plan.kind, "other")
    form = MeetingForm(request.POST or None, actions=actions, initial={"kind": initial_kind})
    if done := submit(request, form,
                      lambda data: services.meeting_record(actor=request.user, child=child, plan=plan,
                                                           attendance=form.attendance(), progress=form.progress(),
                                                           **form.meeting_values()),
                      success="Meeting recorded", then=_plan_url(child, plan)):
        return done
    return render(request, "casework/plan_meeting_form.html", {"child": child, "plan": plan, "form": form})


@require_http_methods(["GET", "POST"])
def plan_end(request, child_id, plan_id):
    child, plan = _open_plan_for_recording(request, child_id, plan_id)
    form = PlanEndForm(request.POST or None)
    if done := submit(request, form,
                      lambda data: services.plan_end(actor=request.user, plan=plan, end_date=data["end_date"]),
                      success=f"{plan.get_kind_display()} ended", then=_plan_url(child, plan)):
        return done
    return render(request, "casework/plan_end.html", {"child": child, "plan": plan, "form": form})


@require_http_methods(["GET", "POST"])
def visits(request, child_id):
    action = "record" if request.method == "POST" else "view_casework"
    child = child_for(request.user, child_id, request=request, action=action)
    can_record = can(request.user, "record", child)
    form = VisitForm(request.POST or None, targets=evidence.targets_for(child)) if can_record else None
    if form is not None and (done := submit(
            request, form, lambda data: services.visit_record(actor=request.user, child=child, **data),
            success="Visit recorded", then=reverse("casework:visits", args=[child.pk]))):
        return done
    # Its own ids: the record-a-visit form on the same page also has a "kind" field.
    filter_form = VisitFilterForm(request.GET or None, auto_id="filter_%s")
    kind = filter_form.cleaned_data["kind"] if filter_form.is_bound and filter_form.is_valid() else ""
    return render(request, "casework/visits.html", {
        "child": child,
        "form": form,
        "filter_form": filter_form,
        "filtered": bool(kind),
        "page_obj": _page(request, selectors.visits_for(user=request.user, child=child, kind=kind or None)),
        "can_record": can_record,
    })


@require_http_methods(["GET", "POST"])
def oversight(request, child_id):
    if request.method == "POST":  # the role may record oversight at all: asked before the child is looked up
        policy.may_record_oversight.require(request.user, request=request)
        child = child_for(request.user, child_id, request=request, action="record")
    else:
        child = child_for(request.user, child_id, request=request, action="view_casework")
    can_record = services.can_record_oversight(request.user, child)
    form = OversightForm(request.POST or None) if can_record else None
    if form is not None and (done := submit(
            request, form,
            lambda data: services.oversight_record(actor=request.user, child=child, actions=form.actions(),
                                                   **form.record_values()),
            success="Management oversight recorded", then=reverse("casework:oversight", args=[child.pk]))):
        return done
    return render(request, "casework/oversight.html", {
        "child": child,
        "form": form,
        "page_obj": _page(request, selectors.oversight_for(user=request.user, child=child)),
        "can_record": can_record,
    })


