"""Children in care pages. Thin: fetch through people.access, parse with forms, write through services."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import allowed
from opencsc.accounts.roles import Role
from opencsc.core.forms import submit
from opencsc.people.access import can, child_for, children_for

from . import policy, selectors, services
from .forms import (
    BecomeLookedAfterForm,
    CarePlanForm,
    ChildrenInCareFilterForm,
    EscalationProgressForm,
    EscalationRaiseForm,
    EscalationRespondForm,
    IROAppointForm,
    LegalStatusChangeForm,
    PeriodEndForm,
    PlacementChangeForm,
    PlacementDetailsForm,
    ReviewForm,
)

PER_PAGE = 25


@require_GET
def overview(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    return render(request, "care/overview.html", {
        "child": child,
        **selectors.care_overview(user=request.user, child=child),
        "can_record": can(request.user, "record", child),
    })


def _form_page(request, *, child, form, heading: str, button: str, service, success: str, values=None,
               template="care/form.html", extra=None):
    if done := submit(request, form, lambda data: service(**(values(data) if values else data)),
                      success=success, then=reverse("care:overview", args=[child.pk])):
        return done
    return render(request, template, {"child": child, "form": form, "heading": heading, "button": button,
                                      **(extra or {})})


@require_http_methods(["GET", "POST"])
def become_looked_after(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    home = child.addresses.filter(end_date__isnull=True).values_list("postcode", flat=True).first()
    form = BecomeLookedAfterForm(request.POST or None, initial={"home_postcode": home or ""})
    return _form_page(
        request, child=child, form=form, heading="Record that the child became looked after",
        button="Save", success="Recorded: the child became looked after",
        service=lambda **v: services.child_becomes_looked_after(actor=request.user, child=child, **v),
    )


def _open_or_404(child):
    if services.open_period(child) is None:
        raise Http404("This child is not looked after")


@require_http_methods(["GET", "POST"])
def placement_change(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    _open_or_404(child)
    current = selectors.current_episode(child)
    form = PlacementChangeForm(request.POST or None)
    return _form_page(
        request, child=child, form=form, heading="Record a change of placement", button="Save the move",
        success="Placement change recorded", extra={"current": current},
        service=lambda **v: services.placement_change(actor=request.user, child=child, **v),
    )


@require_http_methods(["GET", "POST"])
def legal_status_change(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    _open_or_404(child)
    form = LegalStatusChangeForm(request.POST or None)
    return _form_page(
        request, child=child, form=form, heading="Record a change of legal status", button="Save",
        success="Legal status change recorded", extra={"current": selectors.current_episode(child)},
        service=lambda **v: services.legal_status_change(actor=request.user, child=child, **v),
    )


@require_http_methods(["GET", "POST"])
def period_end(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    _open_or_404(child)
    form = PeriodEndForm(request.POST or None)
    return _form_page(
        request, child=child, form=form, heading="Record that the child ceased to be looked after", button="Save",
        success="Recorded: the child ceased to be looked after",
        service=lambda **v: services.period_end(actor=request.user, child=child, **v),
    )


@require_http_methods(["GET", "POST"])
def placement_edit(request, child_id, placement_id):
    child = child_for(request.user, child_id, request=request, action="record")
    placement = selectors.placement_for(child=child, placement_id=placement_id)
    initial = {f: getattr(placement, f) for f in PlacementDetailsForm.base_fields if f != "version"}
    initial["version"] = placement.version
    form = PlacementDetailsForm(request.POST or None, initial=initial)

    def save(**values):
        version = values.pop("version")
        services.placement_update(actor=request.user, placement=placement, expected_version=version, **values)

    return _form_page(request, child=child, form=form, heading="Change the placement's details", button="Save",
                      success="Placement details saved", service=save, extra={"placement": placement})


@require_http_methods(["GET", "POST"])
def care_plan_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    _open_or_404(child)
    form = CarePlanForm(request.POST or None)
    return _form_page(
        request, child=child, form=form, heading="Record a care plan", button="Save", success="Care plan recorded",
        service=lambda **v: services.care_plan_record(actor=request.user, child=child, **v),
    )


@require_http_methods(["GET", "POST"])
def iro_appoint(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    _open_or_404(child)
    form = IROAppointForm(request.POST or None)
    return _form_page(
        request, child=child, form=form, heading="Appoint an independent reviewing officer", button="Save",
        success="IRO appointed", service=lambda **v: services.iro_appoint(actor=request.user, child=child, **v),
    )


@require_http_methods(["GET", "POST"])
def review_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    _open_or_404(child)
    form = ReviewForm(request.POST or None, initial={"iro": request.user if request.user.role == Role.IRO else None})
    return _form_page(
        request, child=child, form=form, heading="Record a looked-after review", button="Save",
        success="Looked-after review recorded",
        service=lambda **v: services.review_record(actor=request.user, child=child, **v),
    )


@require_http_methods(["GET", "POST"])
@allowed(policy.may_raise_escalation)
def escalation_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    _open_or_404(child)
    form = EscalationRaiseForm(request.POST or None)
    return _form_page(
        request, child=child, form=form, heading="Raise an IRO escalation", button="Raise the escalation",
        success="Escalation raised",
        service=lambda **v: services.escalation_raise(actor=request.user, child=child, **v),
    )


@require_http_methods(["GET", "POST"])
def escalation_respond(request, child_id, escalation_id):
    child = child_for(request.user, child_id, request=request, action="record")
    escalation = selectors.escalation_for(child=child, escalation_id=escalation_id)
    form = EscalationRespondForm(request.POST or None, initial={"version": escalation.version})

    def save(version, **values):
        services.escalation_respond(actor=request.user, escalation=escalation, expected_version=version, **values)

    return _form_page(request, child=child, form=form, heading="Respond to the IRO's escalation", button="Save",
                      success="Response recorded", service=save, extra={"escalation": escalation})


@require_http_methods(["GET", "POST"])
@allowed(policy.may_progress_escalation)
def escalation_progress(request, child_id, escalation_id):
    child = child_for(request.user, child_id, request=request, action="record")
    escalation = selectors.escalation_for(child=child, escalation_id=escalation_id)
    form = EscalationProgressForm(request.POST or None, initial={"version": escalation.version})

    def save(version, **values):
        services.escalation_progress(actor=request.user, escalation=escalation, expected_version=version, **values)

    return _form_page(request, child=child, form=form, heading="Move or resolve the escalation", button="Save",
                      success="Escalation updated", service=save, extra={"escalation": escalation})


@require_GET
@allowed(policy.may_view_children_in_care)
def children_in_care(request):
    form = ChildrenInCareFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.children_in_care(user=request.user, **{k: v for k, v in filters.items() if v})
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "care/children_in_care.html", {
        "form": form, "page_obj": page_obj, "stability": selectors.stability(children_for(request.user)),
        "many": selectors.rules.MANY_PLACEMENTS,
    })


@require_GET
@allowed(policy.may_view_children_in_care)
def escalations(request):
    page_obj = Paginator(selectors.open_escalations(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "care/escalations.html", {"page_obj": page_obj})


@require_GET
@allowed(policy.may_view_iro_caseload)
def iro_caseload(request):
    """The independent reviewing officer's children in care: next review due and open escalations."""
    rows = selectors.iro_caseload(user=request.user, iro=request.user)
    return render(request, "care/iro_caseload.html", {
        "rows": rows, "overdue": sum(1 for r in rows if r.review_overdue),
        "escalating": sum(1 for r in rows if r.escalations),
    })
