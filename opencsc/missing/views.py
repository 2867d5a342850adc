"""Missing children pages. Thin: fetch through people.access, parse with forms, write through services."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import allowed
from opencsc.core.forms import submit
from opencsc.core.templatetags.govuk import govuk_error_summary
from opencsc.people.access import can, child_for

from . import policy, selectors, services
from .forms import (
    AssessmentForm,
    AttendeeFormSet,
    EpisodeForm,
    InterviewForm,
    MeetingForm,
    ReportForm,
    ReturnForm,
    aliases,
    attendance_rows,
)

PAGE_SIZE = 50


def _overview(child) -> str:
    return reverse("missing:overview", args=[child.pk])


def _form_page(request, child, form, heading, button, **extra):
    return render(request, "missing/form.html", {
        "child": child, "form": form, "heading": heading, "button": button, **extra,
    })


@require_GET
def overview(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    return render(request, "missing/overview.html", {
        "child": child, **selectors.missing_overview(user=request.user, child=child),
        "can_record": can(request.user, "record", child),
    })


@require_http_methods(["GET", "POST"])
def episode_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = EpisodeForm(request.POST or None)

    def write(data):
        return services.missing_episode_record(
            actor=request.user, child=child, kind=data["kind"], missing_from=data["missing_from"],
            started_at=data["started_at"], ended_at=data["ended_at"],
            reported_to_police=data["reported_to_police"], police_reference=data["police_reference"],
            where_found=data["where_found"], risks=data["risks"],
        )

    if done := submit(request, form, write, success="Missing episode recorded", then=_overview(child),
                      aliases=aliases("started", "ended")):
        return done
    return _form_page(request, child, form, "Record a missing episode", "Save missing episode")


@require_http_methods(["GET", "POST"])
def episode_return(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    form = ReturnForm(request.POST or None, initial={"version": episode.version})
    if done := submit(request, form,
                      lambda data: services.missing_episode_return(
                          actor=request.user, episode=episode, ended_at=data["ended_at"],
                          where_found=data["where_found"], expected_version=data["version"]),
                      success="Return recorded", then=_overview(child), aliases=aliases("ended")):
        return done
    return _form_page(request, child, form, "Record the child's return", "Save return", episode=episode)


@require_http_methods(["GET", "POST"])
def interview_add(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    form = InterviewForm(request.POST or None)
    if done := submit(request, form,
                      lambda data: services.return_interview_record(
                          actor=request.user, episode=episode, offered_at=data["offered_at"],
                          response=data["response"], completed_at=data["completed_at"],
                          interviewer=data["interviewer"], findings=data["findings"]),
                      success="Return home interview recorded", then=_overview(child),
                      aliases=aliases("offered", "completed")):
        return done
    due = selectors.rhi_due(episode.ended_at) if episode.ended_at else None
    return _form_page(request, child, form, "Record a return home interview", "Save return home interview",
                      episode=episode, rhi_due=due)


@require_http_methods(["GET", "POST"])
def assessment_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = AssessmentForm(request.POST or None)
    if done := submit(request, form,
                      lambda data: services.exploitation_assessment_record(actor=request.user, child=child, **data),
                      success="Exploitation risk assessment recorded", then=_overview(child)):
        return done
    return _form_page(request, child, form, "Record an exploitation risk assessment", "Save assessment")


@require_http_methods(["GET", "POST"])
def meeting_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = MeetingForm(request.POST or None)
    people = AttendeeFormSet(request.POST or None, prefix="attendee")
    if done := submit(request, form,
                      lambda data: services.exploitation_meeting_record(
                          actor=request.user, child=child, attendance=attendance_rows(people), **data),
                      success="Exploitation meeting recorded", then=_overview(child), also=(people,)):
        return done
    return render(request, "missing/meeting_form.html", {
        "child": child, "form": form, "people": people,
        "errors": govuk_error_summary(form, *people.forms)["errors"],
    })


@require_GET
@allowed(policy.may_view_missing_lists)
def currently_missing(request):
    page = Paginator(selectors.currently_missing(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "missing/currently_missing.html", {"page_obj": page, "now": timezone.now()})


@require_GET
@allowed(policy.may_view_missing_lists)
def exploitation_reviews(request):
    overdue_only = request.GET.get("overdue") == "1"
    rows = selectors.latest_assessments(user=request.user, overdue_only=overdue_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "missing/exploitation_reviews.html", {
        "page_obj": page, "overdue_only": overdue_only, "today": timezone.localdate(),
    })


def _quarter(request):
    quarters = selectors.quarters_to_choose(timezone.localdate())
    default = quarters[1]  # the last complete quarter
    quarter = selectors.Quarter.parse(request.GET.get("quarter"), default)
    return quarter, quarters


@require_GET
@allowed(policy.may_view_missing_lists)
def report(request):
    quarter, quarters = _quarter(request)
    form = ReportForm(initial={"quarter": quarter.key}, quarters=quarters)
    return render(request, "missing/report.html", {
        "form": form, **selectors.missing_report(user=request.user, quarter=quarter),
    })


@require_GET
@allowed(policy.may_view_missing_lists)
def report_children(request):
    quarter, _ = _quarter(request)
    measure = request.GET.get("measure") or "all"
    if measure not in selectors.MEASURES:
        measure = "all"
    children = selectors.report_children(user=request.user, quarter=quarter, measure=measure)
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "missing/report_children.html", {
        "page_obj": page, "quarter": quarter, "measure": measure, "measure_label": selectors.MEASURES[measure],
    })

