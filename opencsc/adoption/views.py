"""Adoption pages. Thin: children through `people.access.child_for()`, adopters through
`adoption.access.adopter_for()`, rules in services.py, reads in selectors.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.roles import READ_ALL_ROLES
from opencsc.core.audit import StaleRecordError, update_with_history
from opencsc.core.forms import apply_errors
from opencsc.people.access import can, child_for

from . import rules, selectors, services
from .access import adopter_for, adopters_for, can_see_adopters
from .forms import (
    AdoptionOrderForm,
    HouseholdForm,
    MatchForm,
    PermanenceOrderForm,
    PlacementForm,
    PlacementOrderForm,
    PlanEndForm,
    PlanStartForm,
    ReviewForm,
    StageForm,
    VisitForm,
    WithdrawForm,
)

PER_PAGE = 25


def _require_reader(user) -> None:
    if user.role not in READ_ALL_ROLES:
        raise PermissionDenied("You cannot see the adoption service's figures")


def _require_adopters(user) -> None:
    if not can_see_adopters(user):
        raise PermissionDenied("Only adoption team staff and managers can see adopters' records")


def _form_page(request, *, child, form, heading, button, back, caption=""):
    return render(request, "adoption/form.html", {
        "child": child, "form": form, "heading": heading, "button": button, "back": back, "caption": caption,
    })


@require_GET
def overview(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    return render(request, "adoption/overview.html", {
        "child": child, **selectors.child_adoption(user=request.user, child=child),
        "can_record": can(request.user, "record", child),
    })


@require_http_methods(["GET", "POST"])
def plan_start(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = PlanStartForm(request.POST or None, initial={"entered_care_on": selectors.care_started_on(child)})
    if request.method == "POST" and form.is_valid():
        try:
            services.adoption_plan_start(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Decision that the child should be placed for adoption recorded")
            return redirect("adoption:overview", child.pk)
    return _form_page(request, child=child, form=form, button="Save decision",
                      heading="Decision that the child should be placed for adoption",
                      back="adoption:overview")


# One page per milestone of the plan: (form, service, heading, button, message).
MILESTONES = {
    "placement_order": (PlacementOrderForm, services.placement_order_record, "Placement order",
                        "Save placement order", "Placement order recorded"),
    "match": (MatchForm, services.adoption_match_record, "Match with adopters", "Save match", "Match recorded"),
    "placement": (PlacementForm, services.adoptive_placement_record, "Placed for adoption", "Save placement",
                  "Placement for adoption recorded"),
    "adoption_order": (AdoptionOrderForm, services.adoption_order_record, "Adoption order",
                       "Save adoption order", "Adoption order recorded"),
    "plan_end": (PlanEndForm, services.adoption_plan_end, "The plan for adoption has changed", "End the plan",
                 "Plan for adoption ended"),
}


@require_http_methods(["GET", "POST"])
def milestone(request, child_id, plan_id, step):
    child = child_for(request.user, child_id, request=request, action="record")
    form_class, service, heading, button, message = MILESTONES[step]
    if step == "match":
        _require_adopters(request.user)
    plan = selectors.plan_for(user=request.user, child=child, plan_id=plan_id)
    if not plan.is_open:
        raise Http404("This plan for adoption is closed")
    kwargs = {"households": adopters_for(request.user).filter(approved_on__isnull=False, withdrawn_on__isnull=True)
              .order_by("name")} if step == "match" else {}
    form = form_class(request.POST or None, initial={"version": plan.version}, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            service(actor=request.user, plan=plan, expected_version=data.pop("version"), **data)
        except ValidationError as error:
            apply_errors(form, error)
        except StaleRecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect("adoption:overview", child.pk)
    return _form_page(request, child=child, form=form, heading=heading, button=button, back="adoption:overview",
                      caption=str(plan))


def _plan_record(request, child_id, plan_id, *, form_class, service, heading, button, message):
    child = child_for(request.user, child_id, request=request, action="record")
    plan = selectors.plan_for(user=request.user, child=child, plan_id=plan_id)
    if not plan.is_open:
        raise Http404("This plan for adoption is closed")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, message)
            return redirect("adoption:overview", child.pk)
    return _form_page(request, child=child, form=form, heading=heading, button=button, back="adoption:overview",
                      caption=str(plan))


@require_http_methods(["GET", "POST"])
def review_add(request, child_id, plan_id):
    return _plan_record(request, child_id, plan_id, form_class=ReviewForm, service=services.adoption_review_record,
                        heading="Adoption review", button="Save review", message="Adoption review recorded")


@require_http_methods(["GET", "POST"])
def visit_add(request, child_id, plan_id):
    return _plan_record(request, child_id, plan_id, form_class=VisitForm, service=services.adoption_visit_record,
                        heading="Visit to a child placed for adoption", button="Save visit",
                        message="Visit recorded")


@require_http_methods(["GET", "POST"])
def order_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = PermanenceOrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.permanence_order_record(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{order.get_kind_display()} recorded")
            return redirect("adoption:overview", child.pk)
    return _form_page(request, child=child, form=form, button="Save order", back="adoption:overview",
                      heading="Special guardianship or child arrangements order")


# --- The service's pages ------------------------------------------------------------------


@require_GET
def dashboard(request):
    _require_reader(request.user)
    today = timezone.localdate()
    waiting = selectors.children_waiting(user=request.user, today=today)
    sees_adopters = can_see_adopters(request.user)
    window = rules.window(today)
    return render(request, "adoption/dashboard.html", {
        "scores": selectors.scorecard(user=request.user, today=today),
        "window_start": window[0], "window_end": window[1],
        "stages": selectors.plan_stage_counts(waiting),
        "longest": waiting[:10],
        "orders": selectors.recent_orders(user=request.user, today=today),
        "sees_adopters": sees_adopters,
        "adopter_stages": selectors.adopter_stage_counts(selectors.adopter_rows(user=request.user, today=today))
        if sees_adopters else [],
    })


@require_GET
def measure(request, code):
    _require_reader(request.user)
    score = selectors.score_for(user=request.user, code=code)
    page_obj = Paginator(score.rows, PER_PAGE).get_page(request.GET.get("page"))
    window = rules.window(timezone.localdate())
    return render(request, "adoption/measure.html", {
        "score": score, "page_obj": page_obj, "window_start": window[0], "window_end": window[1],
    })


@require_GET
def waiting(request):
    _require_reader(request.user)
    stage = request.GET.get("stage", "")
    if stage not in rules.CHILD_STAGES:
        stage = ""
    rows = selectors.children_waiting(user=request.user, stage=stage)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    stages = [(k, rules.CHILD_STAGES[k]) for k in (rules.DECIDED, rules.ORDERED, rules.CHILD_MATCHED,
                                                    rules.CHILD_PLACED)]
    return render(request, "adoption/waiting.html", {"page_obj": page_obj, "stage": stage, "stages": stages})


@require_GET
def adopters(request):
    _require_adopters(request.user)
    stage = request.GET.get("stage", "")
    if stage not in rules.STAGES:
        stage = ""
    search = request.GET.get("q", "").strip()
    rows = selectors.adopter_rows(user=request.user, stage=stage, search=search)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "adoption/adopters.html", {
        "page_obj": page_obj, "stage": stage, "q": search, "stages": list(rules.STAGES.items()),
    })


@require_http_methods(["GET", "POST"])
def adopter_add(request):
    _require_adopters(request.user)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        legal_status = data.pop("legal_status", "")
        try:
            with transaction.atomic():
                household = services.adopter_household_create(actor=request.user, **data)
                if legal_status:  # audited as a change; services.adopter_household_create does not take it yet
                    update_with_history(household, actor=request.user, expected_version=household.version,
                                        legal_status=legal_status)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Adopters' enquiry recorded")
            return redirect("adoption:adopter_detail", household.pk)
    return _form_page(request, child=None, form=form, heading="Record an adopters' enquiry", button="Save",
                      back="adoption:adopters")


@require_GET
def adopter_detail(request, household_id):
    household = adopter_for(request.user, household_id, request=request)
    return render(request, "adoption/adopter_detail.html", {
        **selectors.household_detail(household, user=request.user),
        "next_stage": services.next_stage(household),
    })


STAGE_HEADINGS = {"stage_one_on": "Stage one started", "stage_two_on": "Stage two started",
                  "approved_on": "Approved as adopters"}


@require_http_methods(["GET", "POST"])
def adopter_stage(request, household_id):
    household = adopter_for(request.user, household_id, request=request)
    step = services.next_stage(household)
    if step is None:
        raise Http404("No further stage")
    form = StageForm(request.POST or None, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.adopter_stage_record(actor=request.user, household=household,
                                          expected_version=data.pop("version"), **data)
        except ValidationError as error:
            apply_errors(form, error)
        except StaleRecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{STAGE_HEADINGS[step]}: recorded")
            return redirect("adoption:adopter_detail", household.pk)
    return render(request, "adoption/household_form.html", {
        "household": household, "form": form, "heading": STAGE_HEADINGS[step], "button": "Save",
    })


@require_http_methods(["GET", "POST"])
def adopter_withdraw(request, household_id):
    household = adopter_for(request.user, household_id, request=request)
    if household.withdrawn_on:
        raise Http404("Already withdrawn")
    form = WithdrawForm(request.POST or None, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.adopter_withdraw(actor=request.user, household=household, expected_version=data.pop("version"),
                                      **data)
        except ValidationError as error:
            apply_errors(form, error)
        except StaleRecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Withdrawal recorded")
            return redirect("adoption:adopter_detail", household.pk)
    return render(request, "adoption/household_form.html", {
        "household": household, "form": form, "heading": "Withdrew or not approved", "button": "Save",
    })
