"""Pages for health, education, contact and rights. Thin: access through `people.access`,
rules in services.py, reads in selectors.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import allowed
from opencsc.core.forms import submit
from opencsc.people.access import can, child_for

from . import policy, rules, selectors, services
from .forms import (
    AdvocacyOfferForm,
    ComplaintForm,
    ComplaintUpdateForm,
    ContactArrangementForm,
    ContactEndForm,
    DentalCheckForm,
    EducationTermForm,
    ExclusionForm,
    HealthAssessmentForm,
    HealthStatusForm,
    ListFilterForm,
    PEPForm,
    RightsExplainedForm,
    SDQForm,
)

PER_PAGE = 25
SDQ_BANDS = {code for code, *_ in rules.SDQ_BANDS}


def _versioned(data: dict) -> dict:
    """The form's values with its hidden version passed as the service's expected_version."""
    values = dict(data)
    return {"expected_version": values.pop("version"), **values}


@dataclass(frozen=True)
class Kind:
    heading: str
    form: type
    service: object
    done: str


KINDS: dict[str, Kind] = {
    "health-assessment": Kind("Record a health assessment", HealthAssessmentForm,
                              services.health_assessment_record, "Health assessment recorded"),
    "dental-check": Kind("Record a dental check", DentalCheckForm, services.dental_check_record,
                         "Dental check recorded"),
    "health-facts": Kind("Record immunisations, development and substance misuse", HealthStatusForm,
                         services.health_status_record, "Health facts recorded"),
    "sdq": Kind("Record a strengths and difficulties questionnaire", SDQForm, services.sdq_record, "SDQ recorded"),
    "pep": Kind("Record a personal education plan meeting", PEPForm, services.pep_record,
                "Personal education plan recorded"),
    "school-term": Kind("Record school, attendance and attainment for a term", EducationTermForm,
                        services.education_term_record, "School term recorded"),
    "exclusion": Kind("Record an exclusion", ExclusionForm, services.exclusion_record, "Exclusion recorded"),
    "contact": Kind("Record a contact arrangement", ContactArrangementForm, services.contact_arrangement_record,
                    "Contact arrangement recorded"),
    "advocacy": Kind("Record an offer of advocacy", AdvocacyOfferForm, services.advocacy_offer_record,
                     "Advocacy offer recorded"),
    "complaint": Kind("Record a complaint", ComplaintForm, services.complaint_record, "Complaint recorded"),
    "rights": Kind("Record that the child was told their rights", RightsExplainedForm,
                   services.rights_explained_record, "Rights explained recorded"),
}


@require_GET
def overview(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    return render(request, "wellbeing/overview.html", {
        "child": child,
        **selectors.child_overview(child=child),
        "can_record": can(request.user, "record", child),
        "kinds": KINDS,
    })


@require_http_methods(["GET", "POST"])
def record_add(request, child_id, kind):
    child = child_for(request.user, child_id, request=request, action="record")
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("No such record")
    extra = {"this_year": rules.term_of(timezone.localdate())[0]} if spec.form is EducationTermForm else {}
    form = spec.form(request.POST or None, **extra)
    if done := submit(request, form, lambda data: spec.service(actor=request.user, child=child, **data),
                      success=spec.done, then=reverse("wellbeing:overview", args=[child.pk])):
        return done
    return render(request, "wellbeing/record_form.html", {
        "child": child, "form": form, "heading": spec.heading, "button": "Save",
    })


@require_http_methods(["GET", "POST"])
def contact_end(request, child_id, arrangement_id):
    child = child_for(request.user, child_id, request=request, action="record")
    arrangement = selectors.contact_arrangement_for(user=request.user, child=child, arrangement_id=arrangement_id)
    if arrangement.end_date is not None:
        raise Http404("This arrangement has ended")
    form = ContactEndForm(request.POST or None, initial={"version": arrangement.version})
    if done := submit(request, form,
                      lambda data: services.contact_arrangement_end(actor=request.user, arrangement=arrangement,
                                                                    **_versioned(data)),
                      success="Contact arrangement ended", then=reverse("wellbeing:overview", args=[child.pk])):
        return done
    return render(request, "wellbeing/record_form.html", {
        "child": child, "form": form, "heading": f"End the contact arrangement with {arrangement.with_whom}",
        "button": "End the arrangement",
    })


@require_http_methods(["GET", "POST"])
def complaint_update(request, child_id, complaint_id):
    child = child_for(request.user, child_id, request=request, action="record")
    complaint = selectors.complaint_for(user=request.user, child=child, complaint_id=complaint_id)
    if not complaint.is_open:
        raise Http404("This complaint is closed")
    form = ComplaintUpdateForm(request.POST or None, initial={"version": complaint.version, "stage": complaint.stage})
    if done := submit(request, form,
                      lambda data: services.complaint_update(actor=request.user, complaint=complaint,
                                                             **_versioned(data)),
                      success="Complaint updated", then=reverse("wellbeing:overview", args=[child.pk])):
        return done
    return render(request, "wellbeing/record_form.html", {
        "child": child, "form": form, "heading": f"Update the complaint received {complaint.received_on:%-d %b %Y}",
        "button": "Save",
    })


@require_GET
@allowed(policy.may_view_wellbeing_figures)
def dashboard(request):
    """The virtual school's and health team's figures for children in care, with drill-down."""
    return render(request, "wellbeing/dashboard.html", selectors.overview_figures(user=request.user))


LIST_TITLES = {
    "health": "Children in care without an in-date health assessment",
    "dental": "Children in care without a dental check in the last 12 months",
    "pep": "Children in care without a personal education plan this term",
    "sdq": "Children in care aged 4 to 16 by their latest SDQ score",
}


@require_GET
@allowed(policy.may_view_wellbeing_figures)
def children(request):
    measure = request.GET.get("measure", "health")
    band = request.GET.get("band", "")
    if measure not in LIST_TITLES or (band and (measure != "sdq" or band not in {*SDQ_BANDS, "none"})):
        raise Http404("No such list")
    form = ListFilterForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    qs = selectors.children_list(user=request.user, measure=measure, band=band, query=query)
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    band_label = next((label for code, label, *_ in rules.SDQ_BANDS if code == band),
                      "No score in the last 12 months" if band == "none" else "")
    return render(request, "wellbeing/children.html", {
        "title": LIST_TITLES[measure], "measure": measure, "band": band, "band_label": band_label,
        "form": form, "query": query, "page_obj": page_obj,
    })
