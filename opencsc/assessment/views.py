"""Pages for a child's episodes of need. Thin: access through `people.access.child_for()`,
rules in services.py, reads in selectors.py."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import allowed
from opencsc.core.forms import submit
from opencsc.people import policy as people_policy
from opencsc.people.access import can, child_for

from . import policy, selectors, services
from .forms import (
    AssessmentEditForm,
    AssessmentForm,
    AuthoriseForm,
    CINPlanForm,
    CloseForm,
    PlanActionForm,
    ReferralForm,
    ReturnForm,
    SubmitForm,
)

PER_PAGE = 25
ACTION_BLOCKS = 3


def _to_episode(child, episode) -> str:
    return reverse("assessment:episode_detail", args=[child.pk, episode.pk])


def _versioned(data) -> tuple[int | None, dict]:
    """The form's values without its version number, and the version number (for the stale-record check)."""
    values = dict(data)
    return values.pop("version"), values


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
    if done := submit(request, form, lambda data: services.referral_create(actor=request.user, child=child, **data),
                      success=lambda episode: "Re-referral recorded" if episode.is_re_referral else "Referral recorded",
                      then=lambda episode: _to_episode(child, episode)):
        return done
    return render(request, "assessment/referral_form.html", {"child": child, "form": form})


@require_GET
def episode_detail(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    context = selectors.episode_detail(user=request.user, child=child, episode_id=episode_id)
    context.update({"child": child, "can_record": can(request.user, "record", child)})
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

    def save(data):
        if assessment is None:
            return services.assessment_start(actor=request.user, episode=episode, **data)
        version, values = _versioned(data)
        return services.assessment_update(actor=request.user, assessment=assessment, expected_version=version,
                                          **values)

    if done := submit(request, form, save, success="Assessment started" if assessment is None else "Assessment saved",
                      then=_to_episode(child, episode)):
        return done
    return render(request, "assessment/assessment_form.html", {
        "child": child, "episode": episode, "assessment": assessment, "form": form,
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_authorise_assessment)
def assessment_authorise(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    assessment = selectors.open_assessment(episode)
    if assessment is None:
        raise Http404("No assessment in progress")
    form = AuthoriseForm(request.POST or None, initial={"version": assessment.version})

    def authorise(data):
        version, values = _versioned(data)
        return services.assessment_authorise(actor=request.user, assessment=assessment, expected_version=version,
                                             **values)

    if done := submit(request, form, authorise, success="Assessment authorised", then=_to_episode(child, episode)):
        return done
    return render(request, "assessment/authorise_form.html", {
        "child": child, "episode": episode, "assessment": assessment, "form": form,
        "timeliness": selectors.assessment_timeliness(episode, assessment),
    })


def _assessment_in_progress(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    assessment = selectors.open_assessment(episode)
    if assessment is None:
        raise Http404("No assessment in progress")
    return child, episode, assessment


@require_http_methods(["GET", "POST"])
def assessment_submit(request, child_id, episode_id):
    """The social worker submits the assessment for authorisation (a check of what is recorded, then one button)."""
    child, episode, assessment = _assessment_in_progress(request, child_id, episode_id)
    form = SubmitForm(request.POST or None, initial={"version": assessment.version})
    if done := submit(request, form, lambda data: services.assessment_submit(
            actor=request.user, assessment=assessment, expected_version=data["version"]),
            success="Assessment submitted for authorisation", then=_to_episode(child, episode)):
        return done
    return render(request, "assessment/submit_form.html", {
        "child": child, "episode": episode, "assessment": assessment, "form": form,
        "timeliness": selectors.assessment_timeliness(episode, assessment),
    })


@require_http_methods(["GET", "POST"])
@allowed(policy.may_authorise_assessment)
def assessment_return(request, child_id, episode_id):
    """A manager returns a submitted assessment to the social worker, with the reason."""
    child, episode, assessment = _assessment_in_progress(request, child_id, episode_id)
    form = ReturnForm(request.POST or None, initial={"version": assessment.version})

    def send_back(data):
        version, values = _versioned(data)
        return services.assessment_return(actor=request.user, assessment=assessment, expected_version=version,
                                          **values)

    if done := submit(request, form, send_back, success="Assessment returned to the social worker",
                      then=_to_episode(child, episode)):
        return done
    return render(request, "assessment/return_form.html", {
        "child": child, "episode": episode, "assessment": assessment, "form": form,
    })


def _queue_page(request, *, title, items, empty, intro=""):
    return render(request, "assessment/work_queue.html", {
        "title": title, "items": items, "empty_text": empty, "intro": intro})


@require_GET
@allowed(policy.may_authorise_assessment)
def awaiting_authorisation(request):
    return _queue_page(request, title="Assessments awaiting your authorisation",
                       items=selectors.awaiting_authorisation_items(request.user),
                       empty="No assessments are waiting for your authorisation.",
                       intro="Assessments the social workers you manage have submitted, oldest first. Each is due "
                             "45 working days after the referral.")


@require_GET
@allowed(people_policy.may_record)
def returned(request):
    return _queue_page(request, title="Assessments returned to you", items=selectors.returned_items(request.user),
                       empty="No assessments have been returned to you.")


@require_GET
@allowed(people_policy.may_record)
def next_steps(request):
    return _queue_page(request, title="Next steps after an assessment",
                       items=selectors.next_steps_items(request.user),
                       empty="No assessment outcomes are waiting for you to act on them.",
                       intro="For the children allocated to you. The child in need plan's meetings and visits, and "
                             "a strategy discussion, are in your due list with their dates.")


@require_http_methods(["GET", "POST"])
def cin_plan_start(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    existing = services.cin_plan_open(episode)
    if episode.closure_date is not None or (existing is not None and not services.cin_plan_unwritten(existing)):
        raise Http404("No child in need plan can be started here")
    data = request.POST or None
    form = CINPlanForm(data, initial={"start_date": existing.plan.start_date} if existing else None)
    action_forms = [PlanActionForm(data, prefix=f"action-{i}", first=i == 1) for i in range(1, ACTION_BLOCKS + 1)]
    if done := submit(request, form, lambda data: services.cin_plan_start(
            actor=request.user, episode=episode, actions=[af.cleaned_data for af in action_forms if not af.is_blank()],
            **data), success="Child in need plan written" if existing else "Child in need plan started",
            then=_to_episode(child, episode), also=action_forms):
        return done
    return render(request, "assessment/cin_plan_form.html", {
        "child": child, "episode": episode, "form": form, "action_forms": action_forms, "existing": existing,
    })


@require_http_methods(["GET", "POST"])
def episode_close(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    if episode.closure_date is not None:
        raise Http404("This episode is already closed")
    form = CloseForm(request.POST or None, initial={"version": episode.version})

    def close(data):
        version, values = _versioned(data)
        return services.episode_close(actor=request.user, episode=episode, expected_version=version, **values)

    if done := submit(request, form, close, success="Episode of need closed", then=_to_episode(child, episode)):
        return done
    return render(request, "assessment/close_form.html", {
        "child": child, "episode": episode, "form": form, "open_cin_plan": services.cin_plan_open(episode),
    })
