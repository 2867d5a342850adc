"""Early help pages. Thin: access through `people.access.child_for()`, rules in services.py,
reads in selectors.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from opencsc.accounts.policy import allowed
from opencsc.core.forms import submit
from opencsc.people.access import can, child_for

from . import policy, selectors, services
from .forms import (
    AssessmentForm,
    CloseForm,
    DecisionForm,
    EpisodeStartForm,
    ListFilterForm,
    MemberForm,
    OutcomeForm,
    PlanActionForm,
    PlanForm,
    ReviewForm,
    StepUpDecisionForm,
    StepUpForm,
)
from .models import EarlyHelpAssessment, StepRequest

PER_PAGE = 25
ACTION_BLOCKS = 3


def _to_episode(child, episode) -> str:
    return reverse("earlyhelp:episode_detail", args=[child.pk, episode.pk])


def _to_overview(child) -> str:
    return reverse("earlyhelp:overview", args=[child.pk])


def _versioned(data) -> tuple[int | None, dict]:
    """The form's values without its version number, and the version number (for the stale-record check)."""
    values = dict(data)
    return values.pop("version"), values


def _open_episode(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    episode = selectors.episode_for(user=request.user, child=child, episode_id=episode_id)
    if episode.closure_date is not None:
        raise Http404("This early help episode is closed")
    return child, episode


def _form_page(request, *, child, episode, form, template="earlyhelp/form.html", heading, button, **extra):
    return render(request, template, {"child": child, "episode": episode, "form": form, "heading": heading,
                                      "button": button, **extra})


@require_GET
def overview(request, child_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    context = selectors.child_overview(user=request.user, child=child)
    context.update({
        "child": child,
        "can_record": can(request.user, "record", child),
        "has_open": any(e.closure_date is None for e in context["episodes"]),
    })
    return render(request, "earlyhelp/overview.html", context)


@require_http_methods(["GET", "POST"])
def episode_start(request, child_id):
    child = child_for(request.user, child_id, request=request, action="record")
    open_episode = child.early_help_episodes.filter(closure_date__isnull=True).first()
    if open_episode is not None and request.method == "GET":
        messages.info(request, "This child is already open to early help")
        return redirect("earlyhelp:episode_detail", child.pk, open_episode.pk)
    form = EpisodeStartForm(request.POST or None)
    team = request.user.team if request.user.team and request.user.team.kind == "early_help" else None
    if done := submit(request, form, lambda data: services.episode_start(
            actor=request.user, child=child, team=team, **data),
            success=lambda episode: f"Early help started. {child.full_name} is in the {episode.family}",
            then=lambda episode: _to_episode(child, episode)):
        return done
    return _form_page(request, child=child, episode=None, form=form, heading="Start early help",
                      button="Start early help")


@require_GET
def episode_detail(request, child_id, episode_id):
    child = child_for(request.user, child_id, request=request, action="view_casework")
    context = selectors.episode_detail(user=request.user, child=child, episode_id=episode_id)
    context.update({"child": child, "can_record": can(request.user, "record", child)})
    return render(request, "earlyhelp/episode_detail.html", context)


@require_http_methods(["GET", "POST"])
def assessment(request, child_id, episode_id):
    child, episode = _open_episode(request, child_id, episode_id)
    existing = EarlyHelpAssessment.objects.filter(episode=episode).first()
    if existing is not None and existing.completed_date is not None:
        raise Http404("This assessment is complete")
    initial = {f: getattr(existing, f) for f in services.ASSESSMENT_FIELDS} if existing else {}
    if existing:
        initial["version"] = existing.version
    form = AssessmentForm(request.POST or None, initial=initial)
    if done := submit(request, form, lambda data: services.assessment_record(
            actor=request.user, episode=episode, scores=form.scores() or None,
            expected_version=data.get("version"), **form.values()),
            success=lambda _: ("Early help assessment completed" if form.cleaned_data.get("completed_date")
                               else "Early help assessment saved"),
            then=_to_episode(child, episode)):
        return done
    return _form_page(request, child=child, episode=episode, form=form, template="earlyhelp/assessment_form.html",
                      heading="Early help assessment", button="Save assessment")


@require_http_methods(["GET", "POST"])
def member_add(request, child_id, episode_id):
    child, episode = _open_episode(request, child_id, episode_id)
    form = MemberForm(request.POST or None)
    if done := submit(request, form, lambda data: services.member_add(actor=request.user, episode=episode, **data),
                      success="Added to the team around the family", then=_to_episode(child, episode)):
        return done
    return _form_page(request, child=child, episode=episode, form=form,
                      heading="Add someone to the team around the family", button="Add to the team")


@require_http_methods(["GET", "POST"])
def plan_start(request, child_id, episode_id):
    child, episode = _open_episode(request, child_id, episode_id)
    data = request.POST or None
    form = PlanForm(data)
    action_forms = [PlanActionForm(data, prefix=f"action-{i}", first=i == 1) for i in range(1, ACTION_BLOCKS + 1)]
    if done := submit(request, form, lambda data: services.plan_start(
            actor=request.user, episode=episode, actions=[af.cleaned_data for af in action_forms if not af.is_blank()],
            **data), success="Early help plan started", then=_to_episode(child, episode), also=action_forms):
        return done
    return render(request, "earlyhelp/plan_form.html", {
        "child": child, "episode": episode, "form": form, "action_forms": action_forms})


@require_http_methods(["GET", "POST"])
def review_add(request, child_id, episode_id):
    child, episode = _open_episode(request, child_id, episode_id)
    form = ReviewForm(request.POST or None)
    if done := submit(request, form, lambda data: services.review_record(
            actor=request.user, episode=episode, scores=form.scores(), **form.values()),
            success="Review recorded", then=_to_episode(child, episode)):
        return done
    return _form_page(request, child=child, episode=episode, form=form, template="earlyhelp/review_form.html",
                      heading="Review the early help plan", button="Save review")


@require_http_methods(["GET", "POST"])
def step_up(request, child_id, episode_id):
    child, episode = _open_episode(request, child_id, episode_id)
    form = StepUpForm(request.POST or None)
    if done := submit(request, form, lambda data: services.step_up_request(actor=request.user, episode=episode, **data),
                      success="Step-up requested: it now waits for the panel", then=_to_episode(child, episode)):
        return done
    return _form_page(request, child=child, episode=episode, form=form,
                      heading="Ask the panel to step up to children's social care", button="Send to the panel")


@require_http_methods(["GET", "POST"])
def episode_close(request, child_id, episode_id):
    child, episode = _open_episode(request, child_id, episode_id)
    form = CloseForm(request.POST or None, initial={"version": episode.version})

    def close(data):
        version, values = _versioned(data)
        return services.episode_close(actor=request.user, episode=episode, expected_version=version, **values)

    if done := submit(request, form, close, success="Early help closed", then=_to_episode(child, episode)):
        return done
    return _form_page(request, child=child, episode=episode, form=form, heading="Close early help",
                      button="Close early help")


@require_http_methods(["GET", "POST"])
@allowed(policy.may_record_panel_decision)
def step_down_decision(request, child_id, cin_episode_id):
    child = child_for(request.user, child_id, request=request, action="record")
    cin_episode = selectors.step_down_for(user=request.user, child=child, cin_episode_id=cin_episode_id)
    form = DecisionForm(request.POST or None)
    if done := submit(request, form, lambda data: services.step_down_decide(
            actor=request.user, cin_episode=cin_episode, **data),
            success="The panel's decision on the step-down is recorded", then=_to_overview(child)):
        return done
    return _form_page(request, child=child, episode=None, form=form, heading="Panel decision on a step-down",
                      button="Save decision", cin_episode=cin_episode)


@require_http_methods(["GET", "POST"])
@allowed(policy.may_record_panel_decision)
def step_decision(request, child_id, step_id):
    child = child_for(request.user, child_id, request=request, action="record")
    step = selectors.step_for(user=request.user, child=child, step_id=step_id)
    if step.direction != StepRequest.Direction.STEP_UP or step.panel_decision:
        raise Http404("No step-up waiting for the panel")
    form = StepUpDecisionForm(request.POST or None, initial={"version": step.version})
    if done := submit(request, form, lambda data: services.step_up_decide(
            actor=request.user, step=step, expected_version=data["version"],
            **{k: v for k, v in data.items() if k != "version"}),
            success="The panel's decision on the step-up is recorded", then=_to_overview(child)):
        return done
    return _form_page(request, child=child, episode=step.early_help_episode, form=form,
                      heading="Panel decision on a step-up", button="Save decision", step=step)


@require_http_methods(["GET", "POST"])
def step_outcome(request, child_id, step_id):
    child = child_for(request.user, child_id, request=request, action="record")
    step = selectors.step_for(user=request.user, child=child, step_id=step_id)
    if step.panel_decision != StepRequest.Decision.ACCEPTED or step.outcome:
        raise Http404("No accepted step waiting for its outcome")
    form = OutcomeForm(request.POST or None, initial={"version": step.version})

    def record(data):
        version, values = _versioned(data)
        return services.step_outcome(actor=request.user, step=step, expected_version=version, **values)

    if done := submit(request, form, record, success="Outcome recorded", then=_to_overview(child)):
        return done
    return _form_page(request, child=child, episode=step.early_help_episode, form=form,
                      heading=f"Outcome of the {step.get_direction_display().lower()}", button="Save outcome",
                      step=step)


@require_GET
@allowed(policy.may_view_early_help)
def dashboard(request):
    return render(request, "earlyhelp/dashboard.html", selectors.dashboard(user=request.user))


SHOW = {
    "families": "Families in early help",
    "step_downs": "Step-downs not yet settled",
    "step_ups": "Step-ups not yet settled",
}


@require_GET
@allowed(policy.may_view_early_help)
def children_list(request):
    show = request.GET.get("show") if request.GET.get("show") in SHOW else "families"
    form = ListFilterForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_bound and form.is_valid() else ""
    if show == "families":
        items = selectors.families(user=request.user, query=query)
    else:
        direction = StepRequest.Direction.STEP_DOWN if show == "step_downs" else StepRequest.Direction.STEP_UP
        items = selectors.pending(user=request.user, direction=direction)
    page_obj = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "earlyhelp/children_list.html", {
        "show": show, "heading": SHOW[show], "form": form, "page_obj": page_obj, "query": query,
    })
