"""Adoption pages. Thin: children through `people.access.child_for()`, adopters through
`adoption.access.adopter_for()`, rules in services.py, reads in selectors.py."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import allowed
from opencsc.core.audit import update_with_history
from opencsc.core.forms import submit
from opencsc.people.access import can, child_for

from . import policy, rules, selectors, services
from .access import adopter_for, adopters_for, can_see_adopters, require_adopters
from .forms import (
    AdopterForm,
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


def _versioned(data: dict) -> dict:
    """The form's values with its hidden version passed as the service's expected_version."""
    values = dict(data)
    return {"expected_version": values.pop("version"), **values}


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
    if done := submit(request, form, lambda data: services.adoption_plan_start(actor=request.user, child=child, **data),
                      success="Decision that the child should be placed for adoption recorded",
                      then=reverse("adoption:overview", args=[child.pk])):
        return done
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
    if step == "match":  # matching names adopters: adoption team staff and managers only, refused before any look-up
        require_adopters(request.user, request=request, perm=policy.may_record_adopters)
    child = child_for(request.user, child_id, request=request, action="record")
    form_class, service, heading, button, message = MILESTONES[step]
    plan = selectors.plan_for(user=request.user, child=child, plan_id=plan_id)
    if not plan.is_open:
        raise Http404("This plan for adoption is closed")
    kwargs = {"households": adopters_for(request.user).filter(approved_on__isnull=False, withdrawn_on__isnull=True)
              .order_by("name")} if step == "match" else {}
    form = form_class(request.POST or None, initial={"version": plan.version}, **kwargs)
    if done := submit(request, form, lambda data: service(actor=request.user, plan=plan, **_versioned(data)),
                      success=message, then=reverse("adoption:overview", args=[child.pk])):
        return done
    return _form_page(request, child=child, form=form, heading=heading, button=button, back="adoption:overview",
                      caption=str(plan))


def _plan_record(request, child_id, plan_id, *, form_class, service, heading, button, message):
    child = child_for(request.user, child_id, request=request, action="record")
    plan = selectors.plan_for(user=request.user, child=child, plan_id=plan_id)
    if not plan.is_open:
        raise Http404("This plan for adoption is closed")
    form = form_class(request.POST or None)
    if done := submit(request, form, lambda data: service(actor=request.user, plan=plan, **data),
                      success=message, then=reverse("adoption:overview", args=[child.pk])):
        return done
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
    if done := submit(request, form,
                      lambda data: services.permanence_order_record(actor=request.user, child=child, **data),
                      success=lambda order: f"{order.get_kind_display()} recorded",
                      then=reverse("adoption:overview", args=[child.pk])):
        return done
    return _form_page(request, child=child, form=form, button="Save order", back="adoption:overview",
                      heading="Special guardianship or child arrangements order")


# --- The service's pages ------------------------------------------------------------------


@require_GET
@allowed(policy.may_view_adoption_service)
def dashboard(request):
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
@allowed(policy.may_view_adoption_service)
def measure(request, code):
    score = selectors.score_for(user=request.user, code=code)
    page_obj = Paginator(score.rows, PER_PAGE).get_page(request.GET.get("page"))
    window = rules.window(timezone.localdate())
    return render(request, "adoption/measure.html", {
        "score": score, "page_obj": page_obj, "window_start": window[0], "window_end": window[1],
    })


@require_GET
@allowed(policy.may_view_adoption_service)
def waiting(request):
    stage = request.GET.get("stage", "")
    if stage not in rules.CHILD_STAGES:
        stage = ""
    rows = selectors.children_waiting(user=request.user, stage=stage)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    stages = [(k, rules.CHILD_STAGES[k]) for k in (rules.DECIDED, rules.ORDERED, rules.CHILD_MATCHED,
                                                    rules.CHILD_PLACED)]
    return render(request, "adoption/waiting.html", {"page_obj": page_obj, "stage": stage, "stages": stages})


@require_GET
@allowed(policy.may_view_adopters)
def adopters(request):
    require_adopters(request.user, request=request)
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
@allowed(policy.may_record_adopters)
def adopter_add(request):
    require_adopters(request.user, request=request, perm=policy.may_record_adopters)
    form = HouseholdForm(request.POST or None)

    def write(data):
        data = dict(data)
        legal_status = data.pop("legal_status", "")
        with transaction.atomic():
            household = services.adopter_household_create(actor=request.user, **data)
            if legal_status:  # audited as a change; services.adopter_household_create does not take it yet
                update_with_history(household, actor=request.user, expected_version=household.version,
                                    legal_status=legal_status)
        return household

    if done := submit(request, form, write, success="Adopters' enquiry recorded",
                      then=lambda household: reverse("adoption:adopter_detail", args=[household.pk])):
        return done
    return _form_page(request, child=None, form=form, heading="Record an adopters' enquiry", button="Save",
                      back="adoption:adopters")


@require_GET
def adopter_detail(request, household_id):
    # adopter_for refuses a role that may never see adopters (403) before the look-up, naming the household
    household = adopter_for(request.user, household_id, request=request)
    return render(request, "adoption/adopter_detail.html", {
        **selectors.household_detail(household, user=request.user),
        "next_stage": services.next_stage(household),
    })


@require_http_methods(["GET", "POST"])
def adopter_person_add(request, household_id):
    """Record one of the household's adopters, checked against the people already known (issue 19)."""
    household = adopter_for(request.user, household_id, request=request, perm=policy.may_record_adopters)
    if household.withdrawn_on:
        raise Http404("Already withdrawn")
    form = AdopterForm(request.POST or None)
    settled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        settled = form.settle_matches(selectors.adopter_matches(
            user=request.user, first_name=data["first_name"], last_name=data["last_name"],
            date_of_birth=data["date_of_birth"]))

    def write(data):
        return services.adopter_add(actor=request.user, household=household, first_name=data["first_name"],
                                    last_name=data["last_name"], date_of_birth=data["date_of_birth"],
                                    sex=data["sex"] or "U", matches=form.matches,
                                    chosen=form.chosen if form.matches else None)

    if settled and (done := submit(
            request, form, write, then=reverse("adoption:adopter_detail", args=[household.pk]),
            success=lambda adopter: f"{adopter.person} recorded as an adopter"
                                    + (": their existing record is linked" if adopter.match_check_id
                                       and adopter.match_check.chose_existing else ""))):
        return done
    return render(request, "adoption/adopter_form.html", {"household": household, "form": form})


STAGE_HEADINGS = {"stage_one_on": "Stage one started", "stage_two_on": "Stage two started",
                  "approved_on": "Approved as adopters"}


@require_http_methods(["GET", "POST"])
def adopter_stage(request, household_id):
    household = adopter_for(request.user, household_id, request=request, perm=policy.may_record_adopters)
    step = services.next_stage(household)
    if step is None:
        raise Http404("No further stage")
    form = StageForm(request.POST or None, initial={"version": household.version})
    if done := submit(request, form,
                      lambda data: services.adopter_stage_record(actor=request.user, household=household,
                                                                 **_versioned(data)),
                      success=f"{STAGE_HEADINGS[step]}: recorded",
                      then=reverse("adoption:adopter_detail", args=[household.pk])):
        return done
    return render(request, "adoption/household_form.html", {
        "household": household, "form": form, "heading": STAGE_HEADINGS[step], "button": "Save",
    })


@require_http_methods(["GET", "POST"])
def adopter_withdraw(request, household_id):
    household = adopter_for(request.user, household_id, request=request, perm=policy.may_record_adopters)
    if household.withdrawn_on:
        raise Http404("Already withdrawn")
    form = WithdrawForm(request.POST or None, initial={"version": household.version})
    if done := submit(request, form,
                      lambda data: services.adopter_withdraw(actor=request.user, household=household,
                                                             **_versioned(data)),
                      success="Withdrawal recorded", then=reverse("adoption:adopter_detail", args=[household.pk])):
        return done
    return render(request, "adoption/household_form.html", {
        "household": household, "form": form, "heading": "Withdrew or not approved", "button": "Save",
    })
