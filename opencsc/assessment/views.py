"""Pages for a child's episodes of need. Thin: access through `people.access.child_for()`,
rules in services.py, reads in selectors.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.roles import MANAGER_ROLES
from opencsc.core.audit import StaleRecordError
from opencsc.core.forms import apply_errors
from opencsc.people.access import can, child_for

from . import selectors, services
from .forms import (
    AssessmentEditForm,
    AssessmentForm,
    AuthoriseForm,
    CINPlanForm,
    CloseForm,
    PlanActionForm,
    ReferralForm,
)

PER_PAGE = 25
ACTION_BLOCKS = 3


def _is_manager(user) -> bool:
    return user.role in MANAGER_ROLES


@require_GET
def episodes(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    qs = selectors.episodes_for(user=request.user, child=child)
    page_obj = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "assessment/episodes.html", {
        "child": child,
        "page_obj": page_obj,
        "has_open": any(e.closure_date is None for e in page_obj) or qs.filter(closure_date__isnull=True).exists(),
        "can_record": can(request.user, "record", child),
    })


@require_http_methods(["GET", "POST"])
def referral_add(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            episode = services.referral_create(actor=request.user, child=child, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Re-referral recorded" if episode.is_re_referral else "Referral recorded")
            return redirect("assessment:episode_detail", child.pk, episode.pk)
    return render(request, "assessment/referral_form.html", {"child": child, "form": form})


@require_GET
def episode_detail(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    context = selectors.episode_detail(user=request.user, child=child, episode_id=episode_id)
    can_record = can(request.user, "record", child)
    context.update({
        "child": child,
        "can_record": can_record,
        "can_authorise": can_record and _is_manager(request.user),
    })
    return render(request, "assessment/episode_detail.html", context)


@require_http_methods(["GET", "POST"])
def assessment_edit(request, child_id, episode_id):
    """Start the episode's assessment, or change the one in progress."""
    child = child_for(request.user, child_id, request=request, action="record")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    if episode.closure_date is not None:
        raise Http404("This episode is closed")
    assessment = selectors.open_assessment(episode)
    if assessment is None:
        form = AssessmentForm(request.POST or None)
    else:
        initial = {f: getattr(assessment, f) for f in services.ASSESSMENT_FIELDS}
        initial["version"] = assessment.version
        form = AssessmentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if assessment is None:
                services.assessment_start(actor=request.user, episode=episode, **data)
                messages.success(request, "Assessment started")
            else:
                version = data.pop("version")
                services.assessment_update(actor=request.user, assessment=assessment, expected_version=version,
                                           **data)
                messages.success(request, "Assessment saved")
        except ValidationError as error:
            apply_errors(form, error)
        except StaleRecordError as error:
            form.add_error(None, str(error))
        else:
            return redirect("assessment:episode_detail", child.pk, episode.pk)
    return render(request, "assessment/assessment_form.html", {
        "child": child, "episode": episode, "assessment": assessment, "form": form,
    })


@require_http_methods(["GET", "POST"])
def assessment_authorise(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    if not _is_manager(request.user):
        raise PermissionDenied("Only team managers and service managers can authorise an assessment")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    assessment = selectors.open_assessment(episode)
    if assessment is None:
        raise Http404("No assessment in progress")
    form = AuthoriseForm(request.POST or None, initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.assessment_authorise(actor=request.user, assessment=assessment,
                                          expected_version=data.pop("version"), **data)
        except ValidationError as error:
            apply_errors(form, error)
        except StaleRecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Assessment authorised")
            return redirect("assessment:episode_detail", child.pk, episode.pk)
    return render(request, "assessment/authorise_form.html", {
        "child": child, "episode": episode, "assessment": assessment, "form": form,
        "timeliness": selectors.assessment_timeliness(episode, assessment),
    })


@require_http_methods(["GET", "POST"])
def cin_plan_start(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    if episode.closure_date is not None or services.cin_plan_open(episode) is not None:
        raise Http404("No child in need plan can be started here")
    data = request.POST or None
    form = CINPlanForm(data)
    action_forms = [PlanActionForm(data, prefix=f"action-{i}", first=i == 1) for i in range(1, ACTION_BLOCKS + 1)]
    if request.method == "POST":
        valid = form.is_valid()
        valid = all([af.is_valid() for af in action_forms]) and valid
        if valid:
            actions = [af.cleaned_data for af in action_forms if not af.is_blank()]
            try:
                services.cin_plan_start(actor=request.user, episode=episode, actions=actions, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Child in need plan started")
                return redirect("assessment:episode_detail", child.pk, episode.pk)
    return render(request, "assessment/cin_plan_form.html", {
        "child": child, "episode": episode, "form": form, "action_forms": action_forms,
    })


@require_http_methods(["GET", "POST"])
def episode_close(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    if episode.closure_date is not None:
        raise Http404("This episode is already closed")
    form = CloseForm(request.POST or None, initial={"version": episode.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.episode_close(actor=request.user, episode=episode, expected_version=data.pop("version"),
                                   **data)
        except ValidationError as error:
            apply_errors(form, error)
        except StaleRecordError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Episode of need closed")
            return redirect("assessment:episode_detail", child.pk, episode.pk)
    return render(request, "assessment/close_form.html", {
        "child": child, "episode": episode, "form": form, "open_cin_plan": services.cin_plan_open(episode),
    })
