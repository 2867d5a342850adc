"""Writes for child protection: strategy discussions, section 47 enquiries, conferences, plans,
police protection and emergency protection orders.

Each service checks its guards first, writes in a transaction and records an audit event with
the old and new values. Callers fetch the child with `people.access.child_for(..., action="record")`;
the services check the role again so that no path skips it. Attendance and plans are kept in the
shared casework Meeting and Plan records (through the casework services).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.assessment.models import CINEpisode
from opencsc.assessment.selectors import open_episode_for
from opencsc.casework import services as casework
from opencsc.casework.models import Meeting, Plan
from opencsc.codes import CATEGORY_OF_ABUSE
from opencsc.core import events
from opencsc.core.audit import audit, field_values
from opencsc.core.models import AuditEvent
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people.access import require
from opencsc.people.models import Child

from . import rules
from .models import (
    Conference,
    CPPlan,
    EmergencyProtectionOrder,
    PoliceProtection,
    Section47,
    StrategyDiscussion,
)

NO_EPISODE_FOR_STRATEGY = (
    "Record a referral for this child before the strategy discussion: "
    "a strategy discussion belongs to an open episode of need"
)
NO_EPISODE_FOR_TRANSFER_IN = (
    "Record a referral for this child before the transfer-in conference: "
    "a conference belongs to an open episode of need"
)
EPISODE_CLOSED = "The episode of need closed while this was being recorded. Record a new referral first"
PLAN_NEEDS_CONFERENCE = "A child protection plan must follow an initial or transfer-in conference that decided on a plan"
POLICE_PROTECTION_HOURS = 72
EPO_DAYS = 8
EPO_EXTENSION_DAYS = 7


def _strip(value) -> str:
    return (value or "").strip()


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def _fresh_episode(episode_id) -> CINEpisode | None:
    """The episode as it is now (a cached instance may predate its closure)."""
    return CINEpisode.objects.filter(pk=episode_id).first() if episode_id else None


def _lock_open_episode(episode: CINEpisode | None) -> None:
    """Inside a transaction: stop if the episode was closed meanwhile (it stays open until we commit)."""
    if episode is not None and not CINEpisode.objects.select_for_update().filter(
        pk=episode.pk, closure_date__isnull=True
    ).exists():
        raise ValidationError(EPISODE_CLOSED)


def _check_after_referral(errors: dict, field: str, value, episode: CINEpisode | None, what: str) -> None:
    """CIN census rules 2889 and 1104: nothing in an episode comes before its referral."""
    if value is not None and episode is not None and value < episode.referral_date and field not in errors:
        errors[field] = f"The date of the {what} must be on or after the referral date ({govuk_date(episode.referral_date)})"


def _check_past(errors: dict, field: str, value, message: str) -> None:
    if value is not None and value > timezone.localdate():
        errors[field] = message


def open_cp_plan(child: Child) -> CPPlan | None:
    return (
        CPPlan.objects.filter(child=child, plan__end_date__isnull=True)
        .select_related("plan", "conference__meeting")
        .order_by("-plan__start_date", "-id")
        .first()
    )


def section47_in_progress(child: Child) -> Section47 | None:
    """An enquiry with no outcome and no initial conference yet."""
    return (
        Section47.objects.filter(child=child, outcome="")
        .exclude(conferences__kind=Conference.Kind.INITIAL)
        .select_related("strategy_discussion__meeting")
        .order_by("-strategy_discussion__meeting__held_on", "-id")
        .first()
    )


# --- Strategy discussions -----------------------------------------------------------------


def strategy_discussion_record(
    *,
    actor,
    child: Child,
    held_on: dt.date,
    information_shared: str,
    decision: str,
    decision_reason: str = "",
    chair: str = "",
    attendance=(),
) -> StrategyDiscussion:
    """Record a strategy discussion, who took part from which agency, and its decision.

    A decision to start a section 47 enquiry starts one, dated the day of the discussion. Both
    belong to the child's open episode of need: without one, the discussion is refused.
    """
    require(actor, "record", child)
    episode = open_episode_for(child)
    if episode is None:
        raise ValidationError(NO_EPISODE_FOR_STRATEGY)
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the strategy discussion"
    _check_past(errors, "held_on", held_on, "The date of the strategy discussion must be today or in the past")
    _check_after_referral(errors, "held_on", held_on, episode, "strategy discussion")
    if not _strip(information_shared):
        errors["information_shared"] = "Enter the information shared"
    if decision not in StrategyDiscussion.Decision.values:
        errors["decision"] = "Select the decision"
    if not list(attendance):
        errors["attendance"] = "Enter at least one person who took part"
    if decision == StrategyDiscussion.Decision.S47 and "decision" not in errors:
        running = section47_in_progress(child)
        if running is not None:
            errors["decision"] = (
                f"A section 47 enquiry is already in progress (started {govuk_date(running.start_date)}). "
                "Record its outcome first"
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_open_episode(episode)
        meeting = casework.meeting_record(
            actor=actor, child=child, kind=Meeting.Kind.STRATEGY, held_on=held_on, chair=chair,
            summary=_strip(information_shared), attendance=attendance,
        )
        discussion = StrategyDiscussion(
            child=child, episode=episode, meeting=meeting, information_shared=_strip(information_shared), decision=decision,
            decision_reason=_strip(decision_reason), recorded_by=actor,
        )
        discussion.full_clean()
        discussion.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=discussion, child=child,
              changes=_created(discussion),
              summary=f"Strategy discussion recorded: {discussion.get_decision_display().lower()}")
        if decision == StrategyDiscussion.Decision.S47:
            enquiry = Section47(child=child, episode=episode, strategy_discussion=discussion)
            enquiry.full_clean()
            enquiry.save()
            audit(actor=actor, action=AuditEvent.Action.CREATED, instance=enquiry, child=child,
                  changes={"start_date": [None, held_on.isoformat()]}, summary="Section 47 enquiry started")
    return discussion


# --- Section 47 enquiries -----------------------------------------------------------------


def section47_outcome_record(
    *, actor, section47: Section47, outcome: str, completed_on: dt.date, outcome_summary: str = ""
) -> Section47:
    """Record the outcome of a section 47 enquiry (once). Only substantiated concerns lead to a conference."""
    require(actor, "record", section47.child)
    if section47.outcome:
        raise ValidationError({"outcome": "The outcome of this enquiry has already been recorded"})
    errors: dict[str, str] = {}
    if outcome not in Section47.Outcome.values:
        errors["outcome"] = "Select the outcome of the enquiry"
    start = section47.start_date
    if completed_on is None:
        errors["completed_on"] = "Enter the date the enquiry was completed"
    elif completed_on > timezone.localdate():
        errors["completed_on"] = "The date the enquiry was completed must be today or in the past"
    elif completed_on < start:
        errors["completed_on"] = f"The completion date must be on or after the strategy discussion on {govuk_date(start)}"
    if outcome and outcome != Section47.Outcome.SUBSTANTIATED and section47.conferences.exists():
        errors["outcome"] = "An initial conference has already been held for this enquiry"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Section47.objects.select_for_update().get(pk=section47.pk)
        if locked.outcome:
            raise ValidationError({"outcome": "The outcome of this enquiry has already been recorded"})
        locked.outcome = outcome
        locked.completed_on = completed_on
        locked.outcome_summary = _strip(outcome_summary)
        locked.icpc_not_required = outcome != Section47.Outcome.SUBSTANTIATED
        locked.outcome_recorded_by = actor
        locked.version += 1
        locked.full_clean()
        locked.save()
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=locked, child=locked.child,
              changes={"outcome": ["", outcome], "completed_on": [None, completed_on.isoformat()],
                       "icpc_not_required": [False, locked.icpc_not_required]},
              summary=f"Section 47 outcome recorded: {locked.get_outcome_display().lower()}")
    return locked


# --- Conferences --------------------------------------------------------------------------


def _check_conference(
    *, child, kind, held_on, decision, category, section47, transfer_notified_on
) -> tuple[CPPlan | None, CINEpisode | None]:
    """Check a conference; return the open plan and the episode of need the conference belongs to.

    An initial conference belongs to its enquiry's episode, a review to its plan's, and a
    transfer-in conference to the child's open episode (refused without one).
    """
    errors: dict[str, str] = {}
    plan = open_cp_plan(child)
    if kind not in Conference.Kind.values:
        raise ValidationError({"kind": "Select the kind of conference"})
    episode = None
    if kind == Conference.Kind.TRANSFER_IN:
        episode = open_episode_for(child)
        if episode is None:
            raise ValidationError(NO_EPISODE_FOR_TRANSFER_IN)
    elif kind == Conference.Kind.INITIAL and section47 is not None and section47.child_id == child.pk:
        episode = _fresh_episode(section47.episode_id)
    elif kind == Conference.Kind.REVIEW and plan is not None:
        episode = _fresh_episode(plan.episode_id)
    if held_on is None:
        errors["held_on"] = "Enter the date of the conference"
    _check_past(errors, "held_on", held_on, "The date of the conference must be today or in the past")
    if decision not in Conference.DECISIONS[kind]:
        errors["decision"] = "Select the conference's decision"
    if category and category not in CATEGORY_OF_ABUSE:
        errors["category"] = "Select the category of abuse"
    if decision == Conference.Decision.PLAN and not category:
        errors["category"] = "Select the category of abuse"
    if kind == Conference.Kind.INITIAL:
        if section47 is None or section47.child_id != child.pk:
            errors["section47"] = "Select the section 47 enquiry this conference follows"
        else:
            start = section47.start_date
            if section47.outcome and section47.outcome != Section47.Outcome.SUBSTANTIATED:
                errors["section47"] = "This section 47 enquiry found that no conference was needed"
            elif section47.conferences.filter(kind=Conference.Kind.INITIAL).exists():
                errors["section47"] = "An initial conference has already been recorded for this enquiry"
            if held_on is not None and held_on < start and "held_on" not in errors:
                errors["held_on"] = f"The conference date must be on or after the strategy discussion on {govuk_date(start)}"
    if kind == Conference.Kind.TRANSFER_IN:
        if transfer_notified_on is None:
            errors["transfer_notified_on"] = "Enter the date the notification of the transfer was received"
        elif held_on is not None and held_on < transfer_notified_on and "held_on" not in errors:
            errors["held_on"] = (
                f"The conference date must be on or after the notification on {govuk_date(transfer_notified_on)}"
            )
    if episode is not None and episode.closure_date is not None and held_on is not None \
            and held_on > episode.closure_date and "held_on" not in errors:
        errors["held_on"] = (
            f"The episode of need closed on {govuk_date(episode.closure_date)}. Record a new referral before the conference"
        )
    _check_after_referral(errors, "held_on", held_on, episode, "conference")
    if kind in (Conference.Kind.INITIAL, Conference.Kind.TRANSFER_IN) and plan is not None:
        errors["kind"] = (
            f"The child already has a child protection plan (from {govuk_date(plan.start_date)}). "
            "Record a review conference instead"
        )
    if kind == Conference.Kind.REVIEW:
        if plan is None:
            errors["kind"] = "The child has no child protection plan to review"
        elif held_on is not None and held_on < plan.start_date and "held_on" not in errors:
            errors["held_on"] = f"The review date must be on or after the plan started on {govuk_date(plan.start_date)}"
    if errors:
        raise ValidationError(errors)
    return plan, episode


def conference_record(
    *,
    actor,
    child: Child,
    kind: str,
    held_on: dt.date,
    decision: str,
    category: str = "",
    chair: str = "",
    child_attended: bool = False,
    child_contributed: bool = False,
    summary: str = "",
    attendance=(),
    section47: Section47 | None = None,
    transfer_notified_on: dt.date | None = None,
    end_reason: str = CPPlan.EndReason.NO_LONGER_AT_RISK,
) -> Conference:
    """Record an initial, review or transfer-in conference with attendance by agency.

    A review updates the plan's latest category of abuse, and a review deciding that the plan
    ends, ends it on the day of the conference.
    """
    require(actor, "record", child)
    plan, episode = _check_conference(child=child, kind=kind, held_on=held_on, decision=decision, category=category,
                             section47=section47, transfer_notified_on=transfer_notified_on)
    if kind == Conference.Kind.REVIEW and decision == Conference.Decision.PLAN_ENDS \
            and end_reason not in CPPlan.EndReason.values:
        raise ValidationError({"end_reason": "Select why the plan ended"})
    reviewed = plan if kind == Conference.Kind.REVIEW else None
    with transaction.atomic():
        if kind == Conference.Kind.TRANSFER_IN:
            _lock_open_episode(episode)
        meeting = casework.meeting_record(
            actor=actor, child=child, kind=Conference.MEETING_KINDS[kind], held_on=held_on,
            plan=reviewed.plan if reviewed else None, chair=chair, child_attended=child_attended,
            child_contributed=child_contributed, summary=summary, attendance=attendance,
        )
        conference = Conference(
            child=child, episode=episode, kind=kind, meeting=meeting, decision=decision, category=category or "",
            section47=section47 if kind == Conference.Kind.INITIAL else None, cp_plan=reviewed,
            transfer_notified_on=transfer_notified_on if kind == Conference.Kind.TRANSFER_IN else None,
            recorded_by=actor,
        )
        conference.full_clean()
        conference.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=conference, child=child,
              changes=_created(conference),
              summary=f"{conference.get_kind_display()} recorded: {conference.get_decision_display().lower()}")
        if reviewed is not None:
            changes = {}
            if category and category != reviewed.latest_category:
                changes["latest_category"] = [reviewed.latest_category, category]
                reviewed.latest_category = category
            if decision == Conference.Decision.PLAN_ENDS:
                casework.plan_end(actor=actor, plan=reviewed.plan, end_date=held_on)
                changes["end_reason"] = ["", end_reason]
                changes["ended_by_conference"] = [None, conference.pk]
                reviewed.end_reason = end_reason
                reviewed.ended_by_conference = conference
            if changes:
                reviewed.full_clean()
                reviewed.save(update_fields=["latest_category", "end_reason", "ended_by_conference"])
                audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=reviewed, child=child,
                      changes=changes, summary="Child protection plan updated at a review conference")
    return conference


# --- Child protection plans ---------------------------------------------------------------


def cp_plan_start(
    *,
    actor,
    conference: Conference,
    contingency: str,
    actions,
    summary: str = "",
    child_friendly_summary: str = "",
    initial_category: str = "",
) -> CPPlan:
    """Start the plan an initial or transfer-in conference decided on, from the day of the conference.

    `actions` are SMART actions: dicts of what_must_change, action, responsible, responsible_agency,
    due_date and measure. At least one is needed, and a contingency plan.
    """
    child = conference.child
    require(actor, "record", child)
    if conference.kind not in (Conference.Kind.INITIAL, Conference.Kind.TRANSFER_IN) \
            or conference.decision != Conference.Decision.PLAN:
        raise ValidationError(PLAN_NEEDS_CONFERENCE)
    if CPPlan.objects.filter(conference=conference).exists():
        raise ValidationError("A child protection plan has already been started from this conference")
    current = open_cp_plan(child)
    if current is not None:
        raise ValidationError(f"The child already has a child protection plan (from {govuk_date(current.start_date)})")
    episode = _fresh_episode(conference.episode_id)
    if episode is not None and episode.closure_date is not None:
        raise ValidationError(
            f"The episode of need closed on {govuk_date(episode.closure_date)}. "
            "A child protection plan needs an open episode: record a new referral first"
        )
    errors: dict[str, str] = {}
    category = initial_category or conference.category
    if category not in CATEGORY_OF_ABUSE:
        errors["initial_category"] = "Select the category of abuse"
    if not _strip(contingency):
        errors["contingency"] = "Enter the contingency plan"
    actions = list(actions)
    if not actions:
        errors["actions"] = "Add at least one action to the plan"
    if errors:
        raise ValidationError(errors)
    start = conference.held_on
    with transaction.atomic():
        _lock_open_episode(episode)
        plan = casework.plan_create(
            actor=actor, child=child, kind=Plan.Kind.CHILD_PROTECTION, start_date=start, summary=summary,
            contingency=contingency, child_friendly_summary=child_friendly_summary,
            review_due=rules.first_review_due(start),
        )
        for row in actions:
            casework.plan_action_add(actor=actor, plan=plan, **row)
        Meeting.objects.filter(pk=conference.meeting_id).update(plan=plan)
        events.announce(conference.meeting)  # the meeting now belongs to the plan (not audited itself)
        cp_plan = CPPlan(child=child, episode=episode, conference=conference, plan=plan, initial_category=category,
                         latest_category=category)
        cp_plan.full_clean()
        cp_plan.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=cp_plan, child=child,
              changes=_created(cp_plan), summary="Child protection plan started")
    return cp_plan


def cp_plan_end(*, actor, cp_plan: CPPlan, end_date: dt.date, end_reason: str) -> CPPlan:
    """End a child protection plan: not before it started, not in the future, only once."""
    require(actor, "record", cp_plan.child)
    if end_reason not in CPPlan.EndReason.values:
        raise ValidationError({"end_reason": "Select why the plan ended"})
    with transaction.atomic():
        casework.plan_end(actor=actor, plan=cp_plan.plan, end_date=end_date)
        cp_plan.end_reason = end_reason
        cp_plan.save(update_fields=["end_reason"])
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=cp_plan, child=cp_plan.child,
              changes={"end_date": [None, end_date.isoformat()], "end_reason": ["", end_reason]},
              summary="Child protection plan ended")
    return cp_plan


# --- Police protection and emergency protection orders ------------------------------------


def police_protection_record(
    *,
    actor,
    child: Child,
    started_at: dt.datetime,
    circumstances: str,
    ended_at: dt.datetime | None = None,
    ended_how: str = "",
    police_reference: str = "",
) -> PoliceProtection:
    """Record police protection (at most 72 hours), and its end if known."""
    require(actor, "record", child)
    errors: dict[str, str] = {}
    now = timezone.now()
    for name, value in (("started_at", started_at), ("ended_at", ended_at)):
        if value is not None and timezone.is_naive(value):
            raise ValueError(f"{name} must be timezone-aware")
    if started_at is None:
        errors["started_at"] = "Enter when the child was taken into police protection"
    elif started_at > now:
        errors["started_at"] = "The start of police protection must be now or in the past"
    if not _strip(circumstances):
        errors["circumstances"] = "Enter the circumstances"
    if ended_at is not None and started_at is not None and "started_at" not in errors:
        if ended_at > now:
            errors["ended_at"] = "The end of police protection must be now or in the past"
        elif ended_at < started_at:
            errors["ended_at"] = "The end of police protection must be after its start"
        elif ended_at - started_at > dt.timedelta(hours=POLICE_PROTECTION_HOURS):
            errors["ended_at"] = "Police protection cannot last more than 72 hours"
    if ended_at is not None and ended_how not in PoliceProtection.EndedHow.values:
        errors["ended_how"] = "Select how police protection ended"
    if ended_at is None and ended_how:
        errors["ended_at"] = "Enter when police protection ended"
    if errors:
        raise ValidationError(errors)
    record = PoliceProtection(
        child=child, started_at=started_at, ended_at=ended_at, ended_how=ended_how or "",
        police_reference=_strip(police_reference), circumstances=_strip(circumstances), recorded_by=actor,
    )
    record.full_clean()
    with transaction.atomic():
        record.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=record, child=child, changes=_created(record),
              summary="Police protection recorded")
    return record


def epo_record(
    *,
    actor,
    child: Child,
    made_on: dt.date,
    expires_on: dt.date,
    circumstances: str,
    court: str = "",
    extended_to: dt.date | None = None,
    ended_on: dt.date | None = None,
) -> EmergencyProtectionOrder:
    """Record an emergency protection order: at most 8 days, extended once by at most 7 days."""
    require(actor, "record", child)
    errors: dict[str, str] = {}
    if made_on is None:
        errors["made_on"] = "Enter the date the order was made"
    _check_past(errors, "made_on", made_on, "The date the order was made must be today or in the past")
    if not _strip(circumstances):
        errors["circumstances"] = "Enter the circumstances"
    if expires_on is None:
        errors["expires_on"] = "Enter the date the order expires"
    elif made_on is not None:
        latest = made_on + dt.timedelta(days=EPO_DAYS)
        if expires_on < made_on:
            errors["expires_on"] = "The expiry date must be on or after the date the order was made"
        elif expires_on > latest:
            errors["expires_on"] = f"An emergency protection order cannot last more than 8 days (until {govuk_date(latest)})"
    if extended_to is not None and expires_on is not None and "expires_on" not in errors:
        if extended_to <= expires_on:
            errors["extended_to"] = "The extension must end after the order's expiry date"
        elif extended_to > expires_on + dt.timedelta(days=EPO_EXTENSION_DAYS):
            errors["extended_to"] = "An emergency protection order can be extended by 7 days at most"
    if ended_on is not None and made_on is not None and not errors:
        last = extended_to or expires_on
        if ended_on < made_on:
            errors["ended_on"] = "The date the order ended must be on or after the date it was made"
        elif ended_on > last:
            errors["ended_on"] = f"The date the order ended must be on or before its expiry ({govuk_date(last)})"
        else:
            _check_past(errors, "ended_on", ended_on, "The date the order ended must be today or in the past")
    if errors:
        raise ValidationError(errors)
    order = EmergencyProtectionOrder(
        child=child, made_on=made_on, expires_on=expires_on, extended_to=extended_to, ended_on=ended_on,
        court=_strip(court), circumstances=_strip(circumstances), recorded_by=actor,
    )
    order.full_clean()
    with transaction.atomic():
        order.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=order, child=child, changes=_created(order),
              summary="Emergency protection order recorded")
    return order
