"""Child protection pages. Thin: fetch through people.access, parse with forms, write through services."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.assessment.selectors import open_episode_for
from opencsc.core.forms import submit
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


def _to_overview(child) -> str:
    return reverse("protection:overview", args=[child.pk])


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
    if done := submit(request, form, lambda data: services.strategy_discussion_record(
            actor=request.user, child=child, attendance=attendance_rows(people), **data),
            success="Strategy discussion recorded", then=_to_overview(child), also=[people]):
        return done
    return render(request, "protection/strategy_form.html", {
        "child": child, "form": form, "people": people, "errors": _errors(form, *people.forms),
        "open_episode": open_episode_for(child),
    })


@require_http_methods(["GET", "POST"])
def s47_outcome(request, child_id, s47_id):
    child = child_for(request.user, child_id, request=request, action="record")
    enquiry = selectors.section47_for(user=request.user, child=child, section47_id=s47_id)
    form = Section47OutcomeForm(request.POST or None)
    if done := submit(request, form, lambda data: services.section47_outcome_record(
            actor=request.user, section47=enquiry, **data),
            success="Section 47 outcome recorded", then=_to_overview(child)):
        return done
    return render(request, "protection/s47_outcome.html", {"child": child, "enquiry": enquiry, "form": form})


@require_http_methods(["GET", "POST"])
def conference_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    enquiries = list(selectors.open_enquiries_for(child))
    form = ConferenceForm(request.POST or None, enquiries=enquiries)
    people = AttendeeFormSet(request.POST or None, prefix="attendee")

    def record(data):
        values = {**data, "end_reason": data["end_reason"] or "no_longer_at_risk"}
        return services.conference_record(actor=request.user, child=child, attendance=attendance_rows(people),
                                          **values)

    def then(conference):
        if conference.decision == conference.Decision.PLAN:
            return reverse("protection:cp_plan_start", args=[child.pk, conference.pk])
        return _to_overview(child)

    if done := submit(request, form, record, success=lambda conference: f"{conference.get_kind_display()} recorded",
                      then=then, also=[people]):
        return done
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
    if done := submit(request, form, lambda data: services.cp_plan_start(
            actor=request.user, conference=conference, actions=action_rows(actions), **data),
            success="Child protection plan started", then=_to_overview(child), also=[actions]):
        return done
    return render(request, "protection/cp_plan_start.html", {
        "child": child, "conference": conference, "form": form, "actions": actions,
        "errors": _errors(form, *actions.forms),
    })


@require_http_methods(["GET", "POST"])
def cp_plan_end(request, child_id, cp_plan_id):
    child = child_for(request.user, child_id, request=request, action="record")
    cp_plan = selectors.cp_plan_for(user=request.user, child=child, cp_plan_id=cp_plan_id)
    form = CPPlanEndForm(request.POST or None)
    if done := submit(request, form, lambda data: services.cp_plan_end(actor=request.user, cp_plan=cp_plan, **data),
                      success="Child protection plan ended", then=_to_overview(child)):
        return done
    return render(request, "protection/cp_plan_end.html", {"child": child, "cp_plan": cp_plan, "form": form})


@require_http_methods(["GET", "POST"])
def police_protection_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = PoliceProtectionForm(request.POST or None)
    if done := submit(request, form, lambda data: services.police_protection_record(
            actor=request.user, child=child, started_at=data["started_at"], ended_at=data["ended_at"],
            ended_how=data["ended_how"], circumstances=data["circumstances"],
            police_reference=data["police_reference"]),
            success="Police protection recorded", then=_to_overview(child),
            aliases={"started_at": "started_on", "ended_at": "ended_on"}):
        return done
    return render(request, "protection/simple_form.html", {
        "child": child, "form": form, "heading": "Record police protection", "button": "Save police protection",
    })


@require_http_methods(["GET", "POST"])
def epo_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = EPOForm(request.POST or None)
    if done := submit(request, form, lambda data: services.epo_record(actor=request.user, child=child, **data),
                      success="Emergency protection order recorded", then=_to_overview(child)):
        return done
    return render(request, "protection/simple_form.html", {
        "child": child, "form": form, "heading": "Record an emergency protection order",
        "button": "Save order",
    })
