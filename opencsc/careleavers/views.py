"""Care leaver pages. Thin: fetch through people.access, parse with forms, write through services."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import allowed
from opencsc.accounts.roles import Role
from opencsc.core.forms import submit
from opencsc.people.access import can, child_for

from . import policy, selectors, services
from .codes import ACCOMMODATION, ACTIVITY, IN_TOUCH
from .forms import (
    AdviserForm,
    ContactForm,
    EligibilityForm,
    PathwayPlanForm,
    ReviewForm,
    SearchForm,
    SupportForm,
)
from .models import Category

PER_PAGE = 25


def _back(child) -> str:
    return reverse("careleavers:overview", args=[child.pk])


@require_GET
def overview(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    data = selectors.care_leaver_overview(user=request.user, child=child)
    suggested = data["suggested"]
    return render(request, "careleavers/overview.html", {
        "child": child, **data,
        "suggested_label": Category(suggested).label if suggested else "",
        "can_record": can(request.user, "record", child),
    })


@require_http_methods(["GET", "POST"])
def eligibility(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    suggested = selectors.suggested_category(child)
    form = EligibilityForm(request.POST or None, initial={"category": suggested})
    if done := submit(request, form, lambda data: services.eligibility_decide(actor=request.user, child=child,
                                                              suggested_category=suggested or "", **data),
                      success="Leaving care category recorded", then=_back(child)):
        return done
    return render(request, "careleavers/eligibility.html", {
        "child": child, "form": form, "suggested_label": Category(suggested).label if suggested else "",
    })


@require_http_methods(["GET", "POST"])
def adviser(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = AdviserForm(request.POST or None, advisers=selectors.advisers())
    if done := submit(request, form, lambda data: services.adviser_allocate(actor=request.user, child=child, **data),
                      success="Personal adviser allocated", then=_back(child)):
        return done
    return render(request, "careleavers/form.html", {
        "child": child, "form": form, "title": "Allocate a personal adviser", "button": "Allocate",
    })


@require_http_methods(["GET", "POST"])
def plan_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = PathwayPlanForm(request.POST or None)
    if done := submit(request, form, lambda data: services.pathway_plan_create(actor=request.user, child=child, **data),
                      success="Pathway plan saved", then=_back(child)):
        return done
    return render(request, "careleavers/form.html", {
        "child": child, "form": form, "title": "Write a pathway plan", "button": "Save pathway plan",
    })


@require_http_methods(["GET", "POST"])
def plan_review(request, child_id, plan_id):
    child = child_for(request.user, child_id, request=request, action="record")
    plan = selectors.plan_for(child=child, plan_id=plan_id)
    form = ReviewForm(request.POST or None)
    if done := submit(request, form, lambda data: services.pathway_plan_review(actor=request.user, plan=plan, **data),
                      success="Pathway plan review saved", then=_back(child)):
        return done
    return render(request, "careleavers/form.html", {
        "child": child, "form": form, "title": "Review the pathway plan", "button": "Save review",
        "caption": f"Pathway plan from {plan.start_date:%-d %b %Y}",
    })


@require_http_methods(["GET", "POST"])
def contact_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = ContactForm(request.POST or None)
    if done := submit(request, form, lambda data: services.contact_record(actor=request.user, child=child, **data),
                      success="Contact recorded", then=_back(child)):
        return done
    return render(request, "careleavers/form.html", {
        "child": child, "form": form, "title": "Record contact", "button": "Save contact",
    })


@require_http_methods(["GET", "POST"])
def support(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    care_leaver = selectors.care_leaver_for(child)
    initial = {f: getattr(care_leaver, f) for f in services.SUPPORT_FIELDS}
    form = SupportForm(request.POST or None, initial={**initial, "version": care_leaver.version})

    def write(data):
        values = dict(data)
        version = values.pop("version")
        return services.support_update(actor=request.user, care_leaver=care_leaver, expected_version=version,
                                       **values)

    if done := submit(request, form, write, success="Support saved", then=_back(child)):
        return done
    return render(request, "careleavers/form.html", {
        "child": child, "form": form, "title": "Support: staying put, bursary and support to 25",
        "button": "Save support",
    })


@require_GET
@allowed(policy.may_view_care_leavers)
def caseload(request):
    advisers = selectors.advisers()
    chosen = request.GET.get("adviser")
    if chosen:
        if not chosen.isdigit():
            raise Http404("No personal adviser found")
        adviser_user = get_object_or_404(advisers, pk=int(chosen))
    else:
        adviser_user = request.user if request.user.role == Role.PERSONAL_ADVISER else None
    rows = selectors.caseload(user=request.user, adviser=adviser_user) if adviser_user else []
    return render(request, "careleavers/caseload.html", {
        "advisers": advisers, "adviser": adviser_user, "rows": rows,
    })


@require_GET
@allowed(policy.may_view_care_leavers)
def authority(request):
    return render(request, "careleavers/authority.html", {
        "rows": selectors.authority_overview(user=request.user),
        "measures": selectors.MEASURES,
    })


@require_GET
@allowed(policy.may_view_care_leavers)
def young_people(request):
    form = SearchForm(request.GET or None, measures=selectors.MEASURES)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.young_people(user=request.user, measure=filters.get("measure", ""),
                                group=filters.get("group", ""), q=filters.get("q", ""))
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    for child in page_obj:
        child.labels = {
            "category": Category(child.category).label if child.category else "",
            "in_touch": IN_TOUCH.label(child.last_in_touch), "activity": ACTIVITY.label(child.last_activity),
            "accommodation": ACCOMMODATION.label(child.last_accommodation),
        }
    return render(request, "careleavers/young_people.html", {
        "form": form, "page_obj": page_obj, "filters": filters,
        "measure_label": selectors.MEASURES[filters["measure"]][0] if filters.get("measure") else "",
    })
