"""Writes for early help: episodes, assessments, the team around the family, plans, reviews,
closure, and step-down and step-up with the panel's decision.

Each service checks its rules first, writes in a transaction and records an audit event.
Callers fetch the child through `people.access.child_for(..., action="record")`; the
services check the role again.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opencsc.assessment.models import CINEpisode
from opencsc.casework import services as casework_services
from opencsc.casework.models import Plan
from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.frontdoor import services as frontdoor_services
from opencsc.people.access import require
from opencsc.people.models import Child, Relationship

from . import policy
from .models import (
    SCORE_MAX,
    SCORE_MIN,
    EarlyHelpAssessment,
    EarlyHelpEpisode,
    EarlyHelpPlan,
    Family,
    OutcomeArea,
    OutcomeScore,
    Review,
    StepRequest,
    TeamMember,
)

ASSESSMENT_FIELDS = ("start_date", "history", "wishes_and_feelings", "family_views", "strengths", "needs",
                     "completed_date")
ALREADY_OPEN = "This child already has an open early help episode, started on {day}"
NO_STEP_DOWN = "There is no accepted step-down for this child waiting to be taken on"
ASSESS_FIRST = "Complete the early help assessment before starting the plan"
PLAN_FIRST = "Start the early help plan before recording a review"
SCORE_EVERY_AREA = "Score every area from 1 to 10"
STEP_UP_SOURCE = "5D"  # DfE referral source: LA services – early help
STEP_DOWN_THROUGH_START = "Start the early help episode to record that the family was taken on"


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def _strip(value) -> str:
    return (value or "").strip()


def _require_open(episode: EarlyHelpEpisode) -> None:
    if episode.closure_date is not None:
        raise ValidationError(f"This early help episode closed on {govuk_date(episode.closure_date)}")


def _date_check(errors: dict, field: str, value, *, name: str, not_before: dt.date | None = None,
                before_name: str = "") -> None:
    """The usual date rules: entered, not in the future, not before an earlier date."""
    if value is None:
        errors.setdefault(field, f"Enter the {name}")
    elif value > timezone.localdate():
        errors.setdefault(field, f"The {name} must be today or in the past")
    elif not_before is not None and value < not_before:
        errors.setdefault(field, f"The {name} must be the same as or after {before_name} ({govuk_date(not_before)})")


def check_scores(scores: dict | None) -> dict[str, int]:
    """Every area scored, each a whole number from 1 to 10."""
    scores = scores or {}
    if set(scores) != set(OutcomeArea.values) or any(
        not isinstance(v, int) or isinstance(v, bool) or not SCORE_MIN <= v <= SCORE_MAX for v in scores.values()
    ):
        raise ValidationError({"scores": SCORE_EVERY_AREA})
    return dict(scores)


def _save_scores(episode: EarlyHelpEpisode, scores: dict[str, int], on: dt.date, review: Review | None = None):
    OutcomeScore.objects.bulk_create(
        OutcomeScore(episode=episode, review=review, scored_on=on, area=area, score=score)
        for area, score in scores.items()
    )


# --- Families and episodes ----------------------------------------------------------------


def _siblings(child: Child):
    return Relationship.objects.filter(
        Q(child=child, related_child__isnull=False) | Q(related_child=child)
    ).values_list("child_id", "related_child_id")


def family_for(child: Child) -> Family | None:
    """The family of a brother or sister already open to early help, so a household is worked with as one."""
    related = {pk for pair in _siblings(child) for pk in pair} - {child.pk, None}
    episode = (
        EarlyHelpEpisode.objects.filter(child_id__in=related, closure_date__isnull=True)
        .select_related("family").order_by("start_date", "id").first()
    )
    return episode.family if episode else None


def episode_start(
    *,
    actor,
    child: Child,
    start_date: dt.date,
    source: str,
    reason: str,
    team=None,
) -> EarlyHelpEpisode:
    """Open early help for the child, in a sibling's family if one is open, else a new family.

    Starting from a step-down takes the child's accepted step-down on: the step-down's outcome
    becomes "taken on" on the start date.
    """
    require(actor, "record", child)
    reason = _strip(reason)
    errors: dict[str, str] = {}
    _date_check(errors, "start_date", start_date, name="start date")
    if source not in EarlyHelpEpisode.Source.values:
        errors["source"] = "Select how the family came to early help"
    if not reason:
        errors["reason"] = "Enter why the family needs early help"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()
        open_episode = EarlyHelpEpisode.objects.filter(child=child, closure_date__isnull=True).first()
        if open_episode is not None:
            raise ValidationError(ALREADY_OPEN.format(day=govuk_date(open_episode.start_date)))
        step = None
        if source == EarlyHelpEpisode.Source.STEP_DOWN:
            step = (StepRequest.objects.select_for_update()
                    .filter(child=child, direction=StepRequest.Direction.STEP_DOWN,
                            panel_decision=StepRequest.Decision.ACCEPTED, outcome="")
                    .order_by("requested_on", "id").first())
            if step is None:
                raise ValidationError({"source": NO_STEP_DOWN})
            if start_date < step.panel_date:
                raise ValidationError({"start_date": (
                    f"The start date must be the same as or after the panel accepted the step-down "
                    f"({govuk_date(step.panel_date)})")})
        family = family_for(child)
        if family is None:
            family = Family.objects.create(name=f"{child.last_name} family", created_by=actor)
            audit(actor=actor, action=AuditEvent.Action.CREATED, instance=family, child=child,
                  changes={"name": [None, family.name]}, summary="Family opened to early help")
        episode = EarlyHelpEpisode(child=child, family=family, team=team, start_date=start_date, source=source,
                                   reason=reason, created_by=actor)
        episode.full_clean()
        episode.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=episode, child=child,
              changes=_created(episode), summary="Early help started")
        if step is not None:
            update_with_history(step, actor=actor, expected_version=step.version, child=child,
                                early_help_episode=episode, outcome=StepRequest.Outcome.TAKEN_ON,
                                outcome_date=start_date)
    return episode


def assessment_record(*, actor, episode: EarlyHelpEpisode, scores: dict | None = None,
                      expected_version: int | None = None, **values) -> EarlyHelpAssessment:
    """Start or change the episode's early help assessment.

    Completing it (a completed date) needs the child's wishes and feelings and the starting
    score in every outcome area; a completed assessment cannot be changed.
    """
    child = episode.child
    require(actor, "record", child)
    _require_open(episode)
    unknown = set(values) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields {sorted(unknown)}")
    existing = EarlyHelpAssessment.objects.filter(episode=episode).first()
    if existing is not None and existing.completed_date is not None:
        raise ValidationError(f"This assessment was completed on {govuk_date(existing.completed_date)} and cannot be changed")
    merged = {f: values.get(f, getattr(existing, f) if existing else None) for f in ASSESSMENT_FIELDS}
    for text in ("history", "wishes_and_feelings", "family_views", "strengths", "needs"):
        merged[text] = _strip(merged[text])
    errors: dict[str, str] = {}
    _date_check(errors, "start_date", merged["start_date"], name="assessment start date",
                not_before=episode.start_date, before_name="early help started")
    completed = merged["completed_date"]
    if completed is not None:
        _date_check(errors, "completed_date", completed, name="completed date",
                    not_before=merged["start_date"] if "start_date" not in errors else None,
                    before_name="the assessment started")
        if not merged["wishes_and_feelings"]:
            errors["wishes_and_feelings"] = "Record the child's wishes and feelings before completing the assessment"
        try:
            scores = check_scores(scores)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if existing is None:
            assessment = EarlyHelpAssessment(episode=episode, created_by=actor, **merged)
            assessment.full_clean()
            assessment.save()
            audit(actor=actor, action=AuditEvent.Action.CREATED, instance=assessment, child=child,
                  changes=_created(assessment),
                  summary="Early help assessment completed" if completed else "Early help assessment started")
        else:
            assessment = existing
            update_with_history(assessment, actor=actor,
                                expected_version=assessment.version if expected_version is None else expected_version,
                                child=child, **merged)
        if completed is not None:
            _save_scores(episode, scores, completed)
    return assessment


def member_add(*, actor, episode: EarlyHelpEpisode, name: str, agency: str, role: str, joined_on: dt.date,
               is_lead: bool = False) -> TeamMember:
    """Add someone to the team around the family. A new lead professional replaces the current one."""
    child = episode.child
    require(actor, "record", child)
    _require_open(episode)
    values = {"name": _strip(name), "agency": _strip(agency), "role": _strip(role)}
    errors: dict[str, str] = {}
    for field, message in (("name", "Enter their name"), ("agency", "Enter their agency"),
                           ("role", "Enter their role")):
        if not values[field]:
            errors[field] = message
    _date_check(errors, "joined_on", joined_on, name="date they joined")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if is_lead:
            for lead in TeamMember.objects.select_for_update().filter(family=episode.family, is_lead=True,
                                                                      left_on__isnull=True):
                update_with_history(lead, actor=actor, expected_version=None, child=child, is_lead=False)
        member = TeamMember(family=episode.family, joined_on=joined_on, is_lead=bool(is_lead), created_by=actor,
                            **values)
        member.full_clean()
        member.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=member, child=child, changes=_created(member),
              summary="Lead professional named" if is_lead else "Added to the team around the family")
    return member


def open_plan(episode: EarlyHelpEpisode) -> EarlyHelpPlan | None:
    return episode.plans.select_related("plan").filter(plan__end_date__isnull=True).first()


def plan_start(*, actor, episode: EarlyHelpEpisode, start_date: dt.date, actions: list[dict], summary: str = "",
               contingency: str = "", child_friendly_summary: str = "",
               review_due: dt.date | None = None) -> EarlyHelpPlan:
    """Start the early help plan (a casework Plan of kind early_help) with its outcome-focused actions."""
    child = episode.child
    require(actor, "record", child)
    _require_open(episode)
    assessment = EarlyHelpAssessment.objects.filter(episode=episode).first()
    if assessment is None or assessment.completed_date is None:
        raise ValidationError(ASSESS_FIRST)
    if open_plan(episode) is not None:
        raise ValidationError("This episode already has an early help plan")
    errors: dict[str, str] = {}
    _date_check(errors, "start_date", start_date, name="plan's start date", not_before=assessment.completed_date,
                before_name="the assessment was completed")
    if not actions:
        errors["actions"] = "Add at least one action to the plan"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = casework_services.plan_create(
            actor=actor, child=child, kind=Plan.Kind.EARLY_HELP, start_date=start_date, summary=summary,
            contingency=contingency, child_friendly_summary=child_friendly_summary, review_due=review_due,
        )
        for action in actions:
            casework_services.plan_action_add(actor=actor, plan=plan, **action)
        link = EarlyHelpPlan.objects.create(episode=episode, plan=plan)
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=link, child=child,
              changes={"plan": [None, plan.pk]}, summary="Early help plan started")
    return link


def review_record(*, actor, episode: EarlyHelpEpisode, held_on: dt.date, progress: str, scores: dict,
                  childs_views: str = "", next_review_due: dt.date | None = None) -> Review:
    """Review the plan: what changed, the child's views, and every area scored again."""
    child = episode.child
    require(actor, "record", child)
    _require_open(episode)
    link = open_plan(episode)
    if link is None:
        raise ValidationError(PLAN_FIRST)
    errors: dict[str, str] = {}
    _date_check(errors, "held_on", held_on, name="review date", not_before=link.plan.start_date,
                before_name="the plan started")
    if not _strip(progress):
        errors["progress"] = "Enter what has changed"
    if next_review_due is not None and held_on is not None and next_review_due <= held_on:
        errors["next_review_due"] = "The next review must be after this one"
    try:
        scores = check_scores(scores)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = Review(episode=episode, held_on=held_on, progress=_strip(progress), childs_views=_strip(childs_views),
                        next_review_due=next_review_due, created_by=actor)
        review.full_clean()
        review.save()
        _save_scores(episode, scores, held_on, review)
        if next_review_due is not None:
            update_with_history(link.plan, actor=actor, expected_version=link.plan.version, child=child,
                                review_due=next_review_due)
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=review, child=child, changes=_created(review),
              summary="Early help plan reviewed")
    return review


def episode_close(*, actor, episode: EarlyHelpEpisode, closure_date: dt.date, closure_reason: str,
                  closure_summary: str = "", expected_version: int | None = None) -> EarlyHelpEpisode:
    """Close early help with its reason; ends the open plan on the same day."""
    child = episode.child
    require(actor, "record", child)
    _require_open(episode)
    errors: dict[str, str] = {}
    _date_check(errors, "closure_date", closure_date, name="closure date", not_before=episode.start_date,
                before_name="early help started")
    if closure_reason not in EarlyHelpEpisode.ClosureReason.values:
        errors["closure_reason"] = "Select the reason for closing"
    elif closure_reason == EarlyHelpEpisode.ClosureReason.STEPPED_UP and not episode.step_requests.filter(
            direction=StepRequest.Direction.STEP_UP, panel_decision=StepRequest.Decision.ACCEPTED).exists():
        errors["closure_reason"] = "Only a step-up the panel accepted can close early help as stepped up"
    link = open_plan(episode)
    if link and closure_date and "closure_date" not in errors and closure_date < link.plan.start_date:
        errors["closure_date"] = (f"The closure date must be the same as or after the plan started "
                                  f"({govuk_date(link.plan.start_date)})")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if link is not None:
            casework_services.plan_end(actor=actor, plan=link.plan, end_date=closure_date)
        update_with_history(episode, actor=actor,
                            expected_version=episode.version if expected_version is None else expected_version,
                            child=child, closure_date=closure_date, closure_reason=closure_reason,
                            closure_summary=_strip(closure_summary))
    episode.refresh_from_db()
    return episode


# --- Step-up and step-down ----------------------------------------------------------------


def step_up_request(*, actor, episode: EarlyHelpEpisode, requested_on: dt.date, reason: str) -> StepRequest:
    """Ask the panel to step the child up from early help to children's social care (the MASH)."""
    child = episode.child
    require(actor, "record", child)
    _require_open(episode)
    errors: dict[str, str] = {}
    _date_check(errors, "requested_on", requested_on, name="date of the request", not_before=episode.start_date,
                before_name="early help started")
    if not _strip(reason):
        errors["reason"] = "Enter why the child needs children's social care"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if episode.step_requests.filter(direction=StepRequest.Direction.STEP_UP, outcome="").exists():
            raise ValidationError("A step-up for this episode is already waiting for a decision")
        step = StepRequest(child=child, direction=StepRequest.Direction.STEP_UP, requested_on=requested_on,
                           reason=_strip(reason), early_help_episode=episode, created_by=actor)
        step.full_clean()
        step.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=step, child=child, changes=_created(step),
              summary="Step-up to children's social care requested")
    return step


def _check_decision(errors, *, panel_date, decision, not_before, before_name):
    _date_check(errors, "panel_date", panel_date, name="panel date", not_before=not_before, before_name=before_name)
    if decision not in StepRequest.Decision.values:
        errors["panel_decision"] = "Select the panel's decision"


def step_down_decide(*, actor, cin_episode: CINEpisode, panel_date: dt.date, panel_decision: str,
                     panel_notes: str = "") -> StepRequest:
    """The early help panel's decision on a step-down recorded when an episode of need closed."""
    child = cin_episode.child
    require(actor, "record", child)
    policy.may_record_panel_decision.require(actor)
    if not cin_episode.step_down_to_early_help or cin_episode.closure_date is None:
        raise ValidationError("This episode of need was not closed with a step-down to early help")
    errors: dict[str, str] = {}
    _check_decision(errors, panel_date=panel_date, decision=panel_decision,
                    not_before=cin_episode.step_down_date or cin_episode.closure_date,
                    before_name="the step-down")
    if errors:
        raise ValidationError(errors)
    declined = panel_decision == StepRequest.Decision.DECLINED
    with transaction.atomic():
        if StepRequest.objects.select_for_update().filter(cin_episode=cin_episode,
                                                          direction=StepRequest.Direction.STEP_DOWN).exists():
            raise ValidationError("The panel has already decided on this step-down")
        step = StepRequest(
            child=child, direction=StepRequest.Direction.STEP_DOWN, cin_episode=cin_episode,
            requested_on=cin_episode.step_down_date or cin_episode.closure_date,
            reason=f"Episode of need closed: {cin_episode.get_reason_for_closure_display()}",
            panel_date=panel_date, panel_decision=panel_decision, panel_notes=_strip(panel_notes),
            outcome=StepRequest.Outcome.NOT_TAKEN_ON if declined else "",
            outcome_date=panel_date if declined else None, created_by=actor,
        )
        step.full_clean()
        step.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=step, child=child, changes=_created(step),
              summary=f"Step-down to early help {'not accepted' if declined else 'accepted'} by the panel")
    return step


def _front_door_contact(*, actor, step: StepRequest):
    """Step-up accepted: the child goes to the front door (MASH) as a contact from early help (source 5D)."""
    today = timezone.localdate()
    received_at = timezone.now() if step.panel_date >= today else timezone.make_aware(
        dt.datetime.combine(step.panel_date, dt.time(12, 0)))
    return frontdoor_services.contact_create(
        actor=actor, children=[step.child], received_at=received_at, referrer_name=actor.display_name,
        referrer_role="Early help step-up panel", referral_source=STEP_UP_SOURCE, concerns=step.reason,
    )


def step_up_decide(*, actor, step: StepRequest, panel_date: dt.date, panel_decision: str, panel_notes: str = "",
                   expected_version: int | None = None) -> StepRequest:
    """The panel's decision on a step-up. Not accepted: the family stays in early help."""
    child = step.child
    require(actor, "record", child)
    policy.may_record_panel_decision.require(actor)
    if step.direction != StepRequest.Direction.STEP_UP:
        raise ValidationError("This is not a step-up")
    if step.panel_decision:
        raise ValidationError(f"The panel decided on this step-up on {govuk_date(step.panel_date)}")
    errors: dict[str, str] = {}
    _check_decision(errors, panel_date=panel_date, decision=panel_decision, not_before=step.requested_on,
                    before_name="the step-up was requested")
    if errors:
        raise ValidationError(errors)
    declined = panel_decision == StepRequest.Decision.DECLINED
    with transaction.atomic():
        values = {"panel_date": panel_date, "panel_decision": panel_decision, "panel_notes": _strip(panel_notes)}
        if declined:
            values.update(outcome=StepRequest.Outcome.NOT_TAKEN_ON, outcome_date=panel_date)
        update_with_history(step, actor=actor,
                            expected_version=step.version if expected_version is None else expected_version,
                            child=child, **values)
        if not declined:
            contact = _front_door_contact(actor=actor, step=step)
            StepRequest.objects.filter(pk=step.pk).update(frontdoor_contact=contact)
    step.refresh_from_db()
    return step


def step_outcome(*, actor, step: StepRequest, outcome: str, outcome_date: dt.date, outcome_notes: str = "",
                 expected_version: int | None = None) -> StepRequest:
    """Record whether the family was taken on after the panel accepted the step.

    A step-up taken on links the child's episode of need (when there is one) and closes early help
    as stepped up; a step-down is taken on by starting the early help episode.
    """
    child = step.child
    require(actor, "record", child)
    if step.panel_decision != StepRequest.Decision.ACCEPTED:
        raise ValidationError("The panel must accept the step before its outcome is recorded")
    if step.outcome:
        raise ValidationError(f"The outcome was recorded on {govuk_date(step.outcome_date)}")
    errors: dict[str, str] = {}
    if outcome not in StepRequest.Outcome.values:
        errors["outcome"] = "Select whether the family was taken on"
    elif outcome == StepRequest.Outcome.TAKEN_ON and step.direction == StepRequest.Direction.STEP_DOWN:
        errors["outcome"] = STEP_DOWN_THROUGH_START
    _date_check(errors, "outcome_date", outcome_date, name="date of the outcome", not_before=step.panel_date,
                before_name="the panel's decision")
    if outcome == StepRequest.Outcome.NOT_TAKEN_ON and not _strip(outcome_notes):
        errors["outcome_notes"] = "Enter why the family was not taken on"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        values = {"outcome": outcome, "outcome_date": outcome_date, "outcome_notes": _strip(outcome_notes)}
        if outcome == StepRequest.Outcome.TAKEN_ON:
            values["cin_episode"] = (CINEpisode.objects.filter(child=child, referral_date__gte=step.requested_on)
                                     .order_by("referral_date", "id").first())
        update_with_history(step, actor=actor,
                            expected_version=step.version if expected_version is None else expected_version,
                            child=child, **values)
        episode = step.early_help_episode
        if outcome == StepRequest.Outcome.TAKEN_ON and episode is not None and episode.closure_date is None:
            episode_close(actor=actor, episode=episode, closure_date=max(outcome_date, episode.start_date),
                          closure_reason=EarlyHelpEpisode.ClosureReason.STEPPED_UP,
                          closure_summary="Taken on by children's social care")
    step.refresh_from_db()
    return step
