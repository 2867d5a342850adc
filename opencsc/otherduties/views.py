"""Other duties pages. Thin: fetch through people.access (or the LADO selectors), parse with forms,
write through services."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import allowed
from opencsc.core.forms import submit
from opencsc.people.access import can, child_for, children_for

from . import policy, selectors, services
from .forms import (
    ExtensionForm,
    FinalOrderForm,
    HearingForm,
    LadoAllegationForm,
    LadoMeetingForm,
    LadoOutcomeForm,
    PrivateFosteringEndForm,
    PrivateFosteringForm,
    PrivateFosteringVisitForm,
    ProceedingsForm,
)

PAGE_SIZE = 50
STATUSES = (("open", "Open"), ("closed", "Closed"), ("all", "All"))


def _status(request) -> str:
    status = request.GET.get("status") or "open"
    return status if status in dict(STATUSES) else "open"


def _child_form(request, child, form, heading, button, **extra):
    return render(request, "otherduties/form.html", {
        "child": child, "form": form, "heading": heading, "button": button,
        "back": "otherduties:overview", **extra,
    })


@require_GET
def overview(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    return render(request, "otherduties/overview.html", {
        "child": child, **selectors.overview(user=request.user, child=child),
        "can_record": can(request.user, "record", child),
    })


@require_http_methods(["GET", "POST"])
def private_fostering_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = PrivateFosteringForm(request.POST or None)
    if done := submit(request, form, lambda data: services.private_fostering_record(
            actor=request.user, child=child, **data), success="Private fostering notification recorded",
            then=reverse("otherduties:overview", args=[child.pk])):
        return done
    return _child_form(request, child, form, "Record a private fostering notification", "Save notification")


@require_http_methods(["GET", "POST"])
def private_fostering_visit(request, child_id, arrangement_id):
    child = child_for(request.user, child_id, request=request, action="record")
    arrangement = selectors.arrangement_for(user=request.user, child=child, arrangement_id=arrangement_id,
                                           request=request)
    form = PrivateFosteringVisitForm(request.POST or None)
    if done := submit(request, form, lambda data: services.private_fostering_visit_record(
            actor=request.user, arrangement=arrangement, **data), success="Private fostering visit recorded",
            then=reverse("otherduties:overview", args=[child.pk])):
        return done
    return _child_form(request, child, form, "Record a private fostering visit", "Save visit", about=arrangement)


@require_http_methods(["GET", "POST"])
def private_fostering_end(request, child_id, arrangement_id):
    child = child_for(request.user, child_id, request=request, action="record")
    arrangement = selectors.arrangement_for(user=request.user, child=child, arrangement_id=arrangement_id,
                                           request=request)
    form = PrivateFosteringEndForm(request.POST or None, initial={"version": arrangement.version})

    def write(data):
        services.private_fostering_end(actor=request.user, arrangement=arrangement, ended_on=data["ended_on"],
                                       end_reason=data["end_reason"], expected_version=data["version"])

    if done := submit(request, form, write, success="Private fostering arrangement ended",
                      then=reverse("otherduties:overview", args=[child.pk])):
        return done
    return _child_form(request, child, form, "End a private fostering arrangement", "Save", about=arrangement)


@require_http_methods(["GET", "POST"])
def proceedings_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = ProceedingsForm(request.POST or None)
    if done := submit(request, form, lambda data: services.care_proceedings_record(
            actor=request.user, child=child, **data), success="Care proceedings recorded",
            then=reverse("otherduties:overview", args=[child.pk])):
        return done
    return _child_form(request, child, form, "Record care proceedings", "Save proceedings")


@require_http_methods(["GET", "POST"])
def hearing_add(request, child_id, proceedings_id):
    child = child_for(request.user, child_id, request=request, action="record")
    proceedings = selectors.proceedings_for(user=request.user, child=child, proceedings_id=proceedings_id,
                                           request=request)
    form = HearingForm(request.POST or None)
    if done := submit(request, form, lambda data: services.hearing_record(
            actor=request.user, proceedings=proceedings, **data), success="Hearing recorded",
            then=reverse("otherduties:overview", args=[child.pk])):
        return done
    return _child_form(request, child, form, "Record a hearing", "Save hearing", about=proceedings)


@require_http_methods(["GET", "POST"])
def extension_add(request, child_id, proceedings_id):
    child = child_for(request.user, child_id, request=request, action="record")
    proceedings = selectors.proceedings_for(user=request.user, child=child, proceedings_id=proceedings_id,
                                           request=request)
    form = ExtensionForm(request.POST or None)
    if done := submit(request, form, lambda data: services.extension_record(
            actor=request.user, proceedings=proceedings, **data), success="Extension recorded",
            then=reverse("otherduties:overview", args=[child.pk])):
        return done
    return _child_form(request, child, form, "Record an extension", "Save extension", about=proceedings)


@require_http_methods(["GET", "POST"])
def final_order(request, child_id, proceedings_id):
    child = child_for(request.user, child_id, request=request, action="record")
    proceedings = selectors.proceedings_for(user=request.user, child=child, proceedings_id=proceedings_id,
                                           request=request)
    form = FinalOrderForm(request.POST or None, initial={"version": proceedings.version})

    def write(data):
        services.final_order_record(actor=request.user, proceedings=proceedings, final_order=data["final_order"],
                                    final_order_on=data["final_order_on"], expected_version=data["version"])

    if done := submit(request, form, write, success="Final order recorded",
                      then=reverse("otherduties:overview", args=[child.pk])):
        return done
    return _child_form(request, child, form, "Record the final order", "Save final order", about=proceedings)


@require_GET
@allowed(policy.may_view_proceedings_list)
def proceedings_list(request):
    status = _status(request)
    rows = selectors.proceedings_list(user=request.user, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "otherduties/proceedings_list.html", {
        "page_obj": page, "status": status, "statuses": STATUSES, "weeks": selectors.STATUTORY_WEEKS,
    })


@require_GET
@allowed(policy.may_view_private_fostering_list)
def private_fostering_list(request):
    page = Paginator(selectors.private_fostering_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "otherduties/private_fostering_list.html", {"page_obj": page})


# --- LADO ---------------------------------------------------------------------------------------


@require_GET
@allowed(policy.may_view_lado)
def lado_list(request):
    status = _status(request)
    search = (request.GET.get("q") or "").strip()
    rows = selectors.lado_allegations(user=request.user, status=status, search=search)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today, lado = timezone.localdate(), selectors.lado_timescale()
    items = [{"allegation": a, "timeliness": selectors.lado_timeliness(a, today, timescale=lado)} for a in page]
    return render(request, "otherduties/lado_list.html", {
        "page_obj": page, "items": items, "status": status, "statuses": STATUSES, "q": search,
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_record_lado)
def lado_add(request):
    form = LadoAllegationForm(request.POST or None, visible_children=children_for(request.user))
    if done := submit(request, form, lambda data: services.lado_allegation_record(actor=request.user, **data),
                      success="Allegation recorded",
                      then=lambda allegation: reverse("otherduties:lado_detail", args=[allegation.pk])):
        return done
    return render(request, "otherduties/lado_form.html", {"form": form, "heading": "Record an allegation",
                                                          "button": "Save allegation"})


@require_GET
@allowed(policy.may_view_lado)
def lado_detail(request, allegation_id):
    allegation = selectors.lado_allegation_for(user=request.user, allegation_id=allegation_id, request=request)
    return render(request, "otherduties/lado_detail.html", selectors.lado_detail(user=request.user,
                                                                                 allegation=allegation))


@require_http_methods(["GET", "POST"])
@allowed(policy.may_record_lado)
def lado_meeting_add(request, allegation_id):
    allegation = selectors.lado_allegation_for(user=request.user, allegation_id=allegation_id, request=request)
    form = LadoMeetingForm(request.POST or None)
    if done := submit(request, form, lambda data: services.lado_meeting_record(
            actor=request.user, allegation=allegation, **data), success="Meeting recorded",
            then=reverse("otherduties:lado_detail", args=[allegation.pk])):
        return done
    return render(request, "otherduties/lado_form.html", {
        "form": form, "allegation": allegation, "heading": "Record a meeting", "button": "Save meeting"})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_record_lado)
def lado_outcome(request, allegation_id):
    allegation = selectors.lado_allegation_for(user=request.user, allegation_id=allegation_id, request=request)
    form = LadoOutcomeForm(request.POST or None, initial={"version": allegation.version})

    def write(data):
        services.lado_outcome_record(actor=request.user, allegation=allegation, outcome=data["outcome"],
                                     outcome_on=data["outcome_on"], outcome_summary=data["outcome_summary"],
                                     expected_version=data["version"])

    if done := submit(request, form, write, success="Outcome recorded",
                      then=reverse("otherduties:lado_detail", args=[allegation.pk])):
        return done
    return render(request, "otherduties/lado_form.html", {
        "form": form, "allegation": allegation, "heading": "Record the outcome", "button": "Save outcome"})
