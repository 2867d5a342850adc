"""Child protection pages. Thin: fetch through people.access, parse with forms, write through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.assessment.selectors import open_episode_for
from opencsc.core.forms import apply_errors
from opencsc.core.templatetags.govuk import govuk_error_summary
from opencsc.people.access import can, child_for

from . import selectors, services
from .forms import (
    ActionFormSet,
    AttendeeFormSet,
    ConferenceForm,
    CPPlanEndForm,
    CPPlanStartForm,
    EPOForm,
    PoliceProtectionForm,
    Section47OutcomeForm,
    StrategyDiscussionForm,
    action_rows,
    attendance_rows,
)


def _errors(*forms):
    return govuk_error_summary(*forms)["errors"]


@require_GET
def overview(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    return render(request, "protection/overview.html", {
        "child": child,
        **selectors.protection_overview(user=request.user, child=child),
        "can_record": can(request.user, "record", child),
    })


@require_http_methods(["GET", "POST"])
def strategy_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = StrategyDiscussionForm(request.POST or None)
    people = AttendeeFormSet(request.POST or None, prefix="attendee")
    if request.method == "POST" and form.is_valid() & people.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.strategy_discussion_record(actor=request.user, child=child, attendance=attendance_rows(people),
                                                **values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Strategy discussion recorded")
            return redirect("protection:overview", child.pk)
    return render(request, "protection/strategy_form.html", {
        "child": child, "form": form, "people": people, "errors": _errors(form, *people.forms),
        "open_episode": open_episode_for(child),
    })


@require_http_methods(["GET", "POST"])
def s47_outcome(request, child_id, s47_id):
    child = child_for(request.user, child_id, request=request, action="record")
    enquiry = selectors.section47_for(user=request.user, child=child, section47_id=s47_id)
    form = Section47OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.section47_outcome_record(actor=request.user, section47=enquiry, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Section 47 outcome recorded")
            return redirect("protection:overview", child.pk)
    return render(request, "protection/s47_outcome.html", {"child": child, "enquiry": enquiry, "form": form})


@require_http_methods(["GET", "POST"])
def conference_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    enquiries = list(selectors.open_enquiries_for(child))
    form = ConferenceForm(request.POST or None, enquiries=enquiries)
    people = AttendeeFormSet(request.POST or None, prefix="attendee")
    if request.method == "POST" and form.is_valid() & people.is_valid():
        values = dict(form.cleaned_data)
        values["end_reason"] = values["end_reason"] or "no_longer_at_risk"
        try:
            conference = services.conference_record(actor=request.user, child=child,
                                                    attendance=attendance_rows(people), **values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{conference.get_kind_display()} recorded")
            if conference.decision == conference.Decision.PLAN:
                return redirect("protection:cp_plan_start", child.pk, conference.pk)
            return redirect("protection:overview", child.pk)
    return render(request, "protection/conference_form.html", {
        "child": child, "form": form, "people": people, "errors": _errors(form, *people.forms),
        "enquiries": enquiries,
    })


@require_http_methods(["GET", "POST"])
def cp_plan_start(request, child_id, conference_id):
    child = child_for(request.user, child_id, request=request, action="record")
    conference = selectors.conference_for(user=request.user, child=child, conference_id=conference_id)
    form = CPPlanStartForm(request.POST or None, initial={"initial_category": conference.category})
    actions = ActionFormSet(request.POST or None, prefix="action")
    if request.method == "POST" and form.is_valid() & actions.is_valid():
        try:
            services.cp_plan_start(actor=request.user, conference=conference, actions=action_rows(actions),
                                   **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Child protection plan started")
            return redirect("protection:overview", child.pk)
    return render(request, "protection/cp_plan_start.html", {
        "child": child, "conference": conference, "form": form, "actions": actions,
        "errors": _errors(form, *actions.forms),
    })


@require_http_methods(["GET", "POST"])
def cp_plan_end(request, child_id, cp_plan_id):
    child = child_for(request.user, child_id, request=request, action="record")
    cp_plan = selectors.cp_plan_for(user=request.user, child=child, cp_plan_id=cp_plan_id)
    form = CPPlanEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cp_plan_end(actor=request.user, cp_plan=cp_plan, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Child protection plan ended")
            return redirect("protection:overview", child.pk)
    return render(request, "protection/cp_plan_end.html", {"child": child, "cp_plan": cp_plan, "form": form})


@require_http_methods(["GET", "POST"])
def police_protection_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = PoliceProtectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.police_protection_record(
                actor=request.user, child=child, started_at=data["started_at"], ended_at=data["ended_at"],
                ended_how=data["ended_how"], circumstances=data["circumstances"],
                police_reference=data["police_reference"],
            )
        except ValidationError as error:
            apply_errors(form, error, {"started_at": "started_on", "ended_at": "ended_on"})
        else:
            messages.success(request, "Police protection recorded")
            return redirect("protection:overview", child.pk)
    return render(request, "protection/simple_form.html", {
        "child": child, "form": form, "heading": "Record police protection", "button": "Save police protection",
    })


@require_http_methods(["GET", "POST"])
def epo_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = EPOForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.epo_record(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Emergency protection order recorded")
            return redirect("protection:overview", child.pk)
    return render(request, "protection/simple_form.html", {
        "child": child, "form": form, "heading": "Record an emergency protection order",
        "button": "Save order",
    })
