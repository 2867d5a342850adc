"""Writes for children in care: periods of care, episodes and placements, care plans, IROs,
looked-after reviews and IRO escalations.

Each service checks its guards first (the role, then the SSDA903 rules over the child's whole
run of episodes as it would be after the change: see rules.py), then writes in one transaction
and records an audit event for every row it creates or changes. A refused change changes
nothing. Callers fetch the child with `people.access.child_for(..., action="record")`; the
services check the role again so that no path skips it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.casework import services as casework
from opencsc.casework.models import Meeting, Plan
from opencsc.codes import REVIEW_PARTICIPATION
from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people import access
from opencsc.people.models import Child

from . import policy, rules
from .models import (
    CareEpisode,
    CarePlan,
    IROAppointment,
    IROEscalation,
    LookedAfterReview,
    PeriodOfCare,
    PermanenceOption,
    Placement,
)

NOT_LOOKED_AFTER = "This child is not looked after: record that they became looked after first"
ALREADY_LOOKED_AFTER = "This child is already looked after (since {day})"
PLACEMENT_FIELDS = ("placement_type", "provider", "carer_name", "urn", "postcode", "in_authority", "distance_km",
                    "siblings_placed_together", "visit_regime")


def _strip(value) -> str:
    return (value or "").strip()


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def _check_date(errors: dict, field: str, value, what: str) -> None:
    if value is None:
        errors.setdefault(field, f"Enter the {what}")
    elif value > timezone.localdate():
        errors.setdefault(field, f"The {what} must be today or in the past")


def open_period(child: Child) -> PeriodOfCare | None:
    return PeriodOfCare.objects.filter(child=child, end_date__isnull=True).first()


def _lock_open(child: Child):
    """Inside a transaction: the open period, placement and episode, locked (or refuse)."""
    period = PeriodOfCare.objects.select_for_update().filter(child=child, end_date__isnull=True).first()
    episode = CareEpisode.objects.select_for_update().filter(child=child, end_date__isnull=True).first()
    if period is None or episode is None:
        raise ValidationError(NOT_LOOKED_AFTER)
    placement = Placement.objects.select_for_update().get(pk=episode.placement_id)
    return period, placement, episode


def _row(episode: CareEpisode, placement: Placement) -> rules.Row:
    return rules.Row(
        start_date=episode.start_date, end_date=episode.end_date, reason_new_episode=episode.reason_new_episode,
        legal_status=episode.legal_status, category_of_need=episode.category_of_need,
        placement_type=placement.placement_type, provider=placement.provider, reason_ceased=episode.reason_ceased,
        placement_key=placement.pk, home_postcode=episode.home_postcode, placement_postcode=placement.postcode,
        reason_place_change=placement.reason_for_change if episode.end_date == placement.end_date else "",
    )


def history_rows(child: Child) -> list[rules.Row]:
    """The child's recorded episodes as the rules see them, oldest first (one query)."""
    episodes = CareEpisode.objects.filter(child=child).select_related("placement").order_by("start_date", "id")
    return [_row(e, e.placement) for e in episodes]


def _check_rows(rows: list[rules.Row], child: Child, *, from_position: int, fields: dict[str, str] | None = None):
    """Refuse if a rule breaks at or after `from_position` (older rows are as they were)."""
    errors: dict[str, str] = {}
    fields = fields or {}
    for position, field, message in rules.episode_errors(rows, child.date_of_birth):
        if position >= from_position:
            errors.setdefault(fields.get(field, field), message)
    if errors:
        raise ValidationError(errors)


def _placement_values(values: dict) -> dict:
    out = {k: values.get(k) for k in PLACEMENT_FIELDS if k in values}
    for key in ("carer_name", "urn", "postcode", "provider"):
        if key in out:
            out[key] = _strip(out[key]).upper() if key in ("postcode", "urn", "provider") else _strip(out[key])
    if out.get("distance_km") is not None:
        out["distance_km"] = Decimal(str(out["distance_km"]))
    return out


def _check_placement(errors: dict, values: dict) -> None:
    distance = values.get("distance_km")
    if distance not in (None, "") and Decimal(str(distance)) < 0:
        errors["distance_km"] = "The distance from home must be 0 or more"
    if values.get("siblings_placed_together") not in Placement.Siblings.values:
        errors["siblings_placed_together"] = "Select whether the child is placed with their brothers and sisters"
    if values.get("visit_regime", Placement.VisitRegime.STANDARD) not in Placement.VisitRegime.values:
        errors["visit_regime"] = "Select the visiting pattern"


def _new_placement(*, actor, child, period, start_date, values: dict) -> Placement:
    placement = Placement(child=child, period=period, start_date=start_date, created_by=actor, **values)
    placement.full_clean()
    placement.save()
    audit(actor=actor, action=AuditEvent.Action.CREATED, instance=placement, child=child,
          changes=_created(placement), summary=f"Placement started ({placement.placement_type})")
    return placement


def _new_episode(*, actor, child, period, placement, start_date, rne, legal_status, category_of_need,
                 home_postcode) -> CareEpisode:
    episode = CareEpisode(
        child=child, period=period, placement=placement, start_date=start_date, reason_new_episode=rne,
        legal_status=legal_status, category_of_need=category_of_need, home_postcode=_strip(home_postcode).upper(),
        created_by=actor,
    )
    episode.full_clean()
    episode.save()
    audit(actor=actor, action=AuditEvent.Action.CREATED, instance=episode, child=child, changes=_created(episode),
          summary=f"Episode of care started ({rne}, {legal_status}, {placement.placement_type})")
    return episode


def _close(instance, *, actor, child, summary: str, **values) -> None:
    before = field_values(instance, list(values))
    for key, value in values.items():
        setattr(instance, key, value)
    if hasattr(instance, "version"):
        instance.version += 1
    instance.full_clean()
    instance.save()
    changes = {k: [before[k], field_values(instance, [k])[k]] for k in values}
    audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=instance, child=child, changes=changes,
          summary=summary)


# --- Becoming looked after, changes, ceasing ----------------------------------------------


def child_becomes_looked_after(
    *, actor, child: Child, start_date: dt.date, legal_status: str, category_of_need: str, home_postcode: str = "",
    **placement,
) -> PeriodOfCare:
    """Start a period of care: its first episode (RNE S) and first placement, from the same day."""
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    _check_date(errors, "start_date", start_date, "date the child became looked after")
    values = _placement_values(placement)
    _check_placement(errors, values)
    current = open_period(child)
    if current is not None:
        errors["start_date"] = ALREADY_LOOKED_AFTER.format(day=govuk_date(current.start_date))
    if errors:
        raise ValidationError(errors)
    rows = history_rows(child)
    rows.append(rules.Row(
        start_date=start_date, end_date=None, reason_new_episode=rules.STARTED, legal_status=legal_status,
        category_of_need=category_of_need, placement_type=values.get("placement_type", ""),
        provider=values.get("provider", ""), placement_key="new", home_postcode=home_postcode,
        placement_postcode=values.get("postcode", ""),
    ))
    _check_rows(rows, child, from_position=len(rows) - 1)
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()
        if open_period(child) is not None:
            raise ValidationError({"start_date": "This child became looked after while this was being recorded"})
        period = PeriodOfCare(child=child, start_date=start_date, created_by=actor)
        period.full_clean()
        period.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=period, child=child, changes=_created(period),
              summary="Became looked after")
        placement_obj = _new_placement(actor=actor, child=child, period=period, start_date=start_date, values=values)
        _new_episode(actor=actor, child=child, period=period, placement=placement_obj, start_date=start_date,
                     rne=rules.STARTED, legal_status=legal_status, category_of_need=category_of_need,
                     home_postcode=home_postcode)
    return period


def placement_change(
    *, actor, child: Child, change_date: dt.date, reason_for_change: str, legal_status: str = "", **placement,
) -> Placement:
    """Move the child: the open episode and placement end (REC X1) and new ones start the same day.

    With a new legal status too, the new episode is a change of both (RNE B), else of placement only (P); a
    placement for adoption with the current foster carers is U or T instead (SSDA903 rules 217, 435, 436).
    """
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    _check_date(errors, "change_date", change_date, "date of the move")
    values = _placement_values(placement)
    _check_placement(errors, values)
    if errors:
        raise ValidationError(errors)
    if open_period(child) is None:
        raise ValidationError(NOT_LOOKED_AFTER)
    with transaction.atomic():
        period, old_placement, old_episode = _lock_open(child)
        status = legal_status or old_episode.legal_status
        rne = rules.reason_new_episode(legal_status_changed=status != old_episode.legal_status,
                                       placement_type=values.get("placement_type", ""))
        rows = history_rows(child)
        rows[-1].end_date, rows[-1].reason_ceased = change_date, rules.CONTINUES
        rows[-1].reason_place_change = _strip(reason_for_change)
        if old_placement.start_date > change_date:
            raise ValidationError({"change_date": "The move cannot be before the current placement started "
                                                  f"({govuk_date(old_placement.start_date)})"})
        rows.append(rules.Row(
            start_date=change_date, end_date=None, reason_new_episode=rne, legal_status=status,
            category_of_need=old_episode.category_of_need, placement_type=values.get("placement_type", ""),
            provider=values.get("provider", ""), placement_key="new", home_postcode=old_episode.home_postcode,
            placement_postcode=values.get("postcode", ""),
        ))
        _check_rows(rows, child, from_position=len(rows) - 2, fields={"end_date": "change_date",
                                                                         "start_date": "change_date"})
        _close(old_episode, actor=actor, child=child, summary="Episode of care ended: placement changed",
               end_date=change_date, reason_ceased=rules.CONTINUES)
        _close(old_placement, actor=actor, child=child, summary="Placement ended", end_date=change_date,
               reason_for_change=_strip(reason_for_change))
        new = _new_placement(actor=actor, child=child, period=period, start_date=change_date, values=values)
        _new_episode(actor=actor, child=child, period=period, placement=new, start_date=change_date, rne=rne,
                     legal_status=status, category_of_need=old_episode.category_of_need,
                     home_postcode=old_episode.home_postcode)
    return new


def legal_status_change(*, actor, child: Child, change_date: dt.date, legal_status: str,
                        category_of_need: str = "") -> CareEpisode:
    """A new legal status in the same placement: the open episode ends (X1), a new one starts (RNE L)."""
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    _check_date(errors, "change_date", change_date, "date the legal status changed")
    if errors:
        raise ValidationError(errors)
    if open_period(child) is None:
        raise ValidationError(NOT_LOOKED_AFTER)
    with transaction.atomic():
        period, placement, old_episode = _lock_open(child)
        need = category_of_need or old_episode.category_of_need
        rows = history_rows(child)
        rows[-1].end_date, rows[-1].reason_ceased = change_date, rules.CONTINUES
        rows.append(rules.Row(
            start_date=change_date, end_date=None, reason_new_episode="L", legal_status=legal_status,
            category_of_need=need, placement_type=placement.placement_type, provider=placement.provider,
            placement_key=placement.pk, home_postcode=old_episode.home_postcode,
            placement_postcode=placement.postcode,
        ))
        _check_rows(rows, child, from_position=len(rows) - 2, fields={"end_date": "change_date",
                                                                         "start_date": "change_date"})
        _close(old_episode, actor=actor, child=child, summary="Episode of care ended: legal status changed",
               end_date=change_date, reason_ceased=rules.CONTINUES)
        return _new_episode(actor=actor, child=child, period=period, placement=placement, start_date=change_date,
                            rne="L", legal_status=legal_status, category_of_need=need,
                            home_postcode=old_episode.home_postcode)


def period_end(*, actor, child: Child, end_date: dt.date, reason_ceased: str) -> PeriodOfCare:
    """The child ceases to be looked after: the episode (with its REC), the placement and the period end."""
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    _check_date(errors, "end_date", end_date, "date the child ceased to be looked after")
    if reason_ceased == rules.CONTINUES:
        errors["reason_ceased"] = "X1 is for a change of episode: select why the child ceased to be looked after"
    elif not reason_ceased:
        errors["reason_ceased"] = "Select why the child ceased to be looked after"
    if errors:
        raise ValidationError(errors)
    if open_period(child) is None:
        raise ValidationError(NOT_LOOKED_AFTER)
    with transaction.atomic():
        period, placement, episode = _lock_open(child)
        rows = history_rows(child)
        rows[-1].end_date, rows[-1].reason_ceased = end_date, reason_ceased
        _check_rows(rows, child, from_position=len(rows) - 1)
        _close(episode, actor=actor, child=child, summary=f"Episode of care ended ({reason_ceased})",
               end_date=end_date, reason_ceased=reason_ceased)
        _close(placement, actor=actor, child=child, summary="Placement ended", end_date=end_date)
        _close(period, actor=actor, child=child, summary="Ceased to be looked after", end_date=end_date)
        for care_plan in CarePlan.objects.filter(period=period, plan__end_date__isnull=True).select_related("plan"):
            casework.plan_end(actor=actor, plan=care_plan.plan, end_date=max(end_date, care_plan.plan.start_date))
        for appointment in IROAppointment.objects.filter(period=period, ended_on__isnull=True):
            _close(appointment, actor=actor, child=child, summary="IRO appointment ended",
                   ended_on=max(end_date, appointment.appointed_on))
    return period


def placement_update(*, actor, placement: Placement, expected_version: int | None, **values) -> dict:
    """Change a placement's details (carer, postcode, distance, siblings, plan and notification dates)."""
    child = placement.child
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    for field, what in (("placement_plan_on", "date the placement plan was prepared"),
                        ("notified_on", "date the placement was notified")):
        if values.get(field) is not None:
            _check_date(errors, field, values[field], what)
    clean = _placement_values(values)
    _check_placement(errors, {**field_values(placement), **clean})
    if clean.get("postcode") and child.care_episodes.filter(placement=placement, home_postcode=clean["postcode"]) \
            .exists() and placement.placement_type != rules.PLACED_WITH_PARENTS:
        errors["postcode"] = "The placement postcode cannot be the same as the home postcode unless the child is " \
                             "placed with parents (P1)"
    if errors:
        raise ValidationError(errors)
    clean.pop("placement_type", None)
    clean.pop("provider", None)
    for field in ("placement_plan_on", "notified_on"):
        if field in values:
            clean[field] = values[field]
    with transaction.atomic():
        return update_with_history(placement, actor=actor, expected_version=expected_version, child=child, **clean)


# --- Care plans, IROs, reviews, escalations -------------------------------------------------


def care_plan_record(
    *, actor, child: Child, start_date: dt.date, summary: str, permanence_option: str = "",
    permanence_decided_on: dt.date | None = None, contingency: str = "", child_friendly_summary: str = "",
) -> CarePlan:
    """A care plan for the open period (a casework Plan of kind "care"); an earlier open one ends that day."""
    access.require(actor, "record", child)
    period = open_period(child)
    if period is None:
        raise ValidationError(NOT_LOOKED_AFTER)
    errors: dict[str, str] = {}
    _check_date(errors, "start_date", start_date, "date of the care plan")
    if not _strip(summary):
        errors["summary"] = "Enter what the plan is for the child"
    if permanence_option and permanence_option not in PermanenceOption.values:
        errors["permanence_option"] = "Select a permanence plan from the list"
    if permanence_decided_on is not None and not permanence_option:
        errors["permanence_option"] = "Select the permanence plan that was agreed"
    if permanence_option and permanence_decided_on is None:
        errors["permanence_decided_on"] = "Enter the date the permanence plan was agreed"
    elif permanence_decided_on is not None:
        _check_date(errors, "permanence_decided_on", permanence_decided_on, "date the permanence plan was agreed")
    if start_date is not None and start_date < period.start_date - dt.timedelta(days=10):
        errors.setdefault("start_date", "The care plan cannot be more than 10 days before the child became looked "
                                        f"after ({govuk_date(period.start_date)})")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for earlier in CarePlan.objects.filter(period=period, plan__end_date__isnull=True).select_related("plan"):
            if earlier.plan.start_date > start_date:
                raise ValidationError({"start_date": "A care plan cannot start before the current one "
                                                     f"({govuk_date(earlier.plan.start_date)})"})
            casework.plan_end(actor=actor, plan=earlier.plan, end_date=start_date)
        plan = casework.plan_create(actor=actor, child=child, kind=Plan.Kind.CARE, start_date=start_date,
                                    summary=summary, contingency=contingency,
                                    child_friendly_summary=child_friendly_summary)
        care_plan = CarePlan(child=child, period=period, plan=plan, permanence_option=permanence_option,
                             permanence_decided_on=permanence_decided_on)
        care_plan.full_clean()
        care_plan.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=care_plan, child=child,
              changes=_created(care_plan), summary="Care plan recorded")
    return care_plan


def iro_appoint(*, actor, child: Child, iro, appointed_on: dt.date) -> IROAppointment:
    """Appoint an IRO (a user with the IRO role) for the open period; the previous appointment ends."""
    access.require(actor, "record", child)
    period = open_period(child)
    if period is None:
        raise ValidationError(NOT_LOOKED_AFTER)
    errors: dict[str, str] = {}
    _check_date(errors, "appointed_on", appointed_on, "date the IRO was appointed")
    if iro is None or iro.role != Role.IRO or not iro.is_active:
        errors["iro"] = "Select an independent reviewing officer"
    if appointed_on is not None and appointed_on < period.start_date:
        errors.setdefault("appointed_on", "The IRO cannot be appointed before the child became looked after "
                                          f"({govuk_date(period.start_date)})")
    current = period.iro_appointments.filter(ended_on__isnull=True).first()
    if current is not None and appointed_on is not None and appointed_on < current.appointed_on:
        errors.setdefault("appointed_on", f"The current IRO was appointed on {govuk_date(current.appointed_on)}")
    if current is not None and iro is not None and current.iro_id == iro.pk:
        errors.setdefault("iro", "This IRO is already appointed")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if current is not None:
            _close(current, actor=actor, child=child, summary="IRO appointment ended", ended_on=appointed_on)
        appointment = IROAppointment(child=child, period=period, iro=iro, appointed_on=appointed_on, created_by=actor)
        appointment.full_clean()
        appointment.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=appointment, child=child,
              changes=_created(appointment), summary=f"IRO appointed: {iro.display_name}")
    return appointment


def review_record(
    *, actor, child: Child, held_on: dt.date, participation: str, decisions: str, iro=None,
    permanence_confirmed: bool = False, child_attended: bool = False, attendance=(),
) -> LookedAfterReview:
    """A looked-after review of the open period, chaired by an IRO, with the child's participation (PN code)."""
    access.require(actor, "record", child)
    period = open_period(child)
    if period is None:
        raise ValidationError(NOT_LOOKED_AFTER)
    errors: dict[str, str] = {}
    _check_date(errors, "held_on", held_on, "date of the review")
    if held_on is not None and held_on < period.start_date:
        errors.setdefault("held_on", f"The review cannot be before the child became looked after "
                                     f"({govuk_date(period.start_date)})")
    if participation not in REVIEW_PARTICIPATION:
        errors["participation"] = "Select how the child took part in the review"
    if not _strip(decisions):
        errors["decisions"] = "Enter the IRO's decisions"
    if iro is not None and iro.role != Role.IRO:
        errors["iro"] = "Select an independent reviewing officer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        care_plan = CarePlan.objects.filter(period=period, plan__end_date__isnull=True).select_related("plan").first()
        meeting = casework.meeting_record(
            actor=actor, child=child, kind=Meeting.Kind.CLA_REVIEW, held_on=held_on,
            plan=care_plan.plan if care_plan else None, chair=iro.display_name if iro else "",
            child_attended=child_attended, child_contributed=participation not in ("PN0",),
            summary=_strip(decisions), attendance=attendance,
        )
        review = LookedAfterReview(
            child=child, period=period, meeting=meeting, participation=participation, iro=iro,
            decisions=_strip(decisions), permanence_confirmed=permanence_confirmed, recorded_by=actor,
        )
        review.full_clean()
        review.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=review, child=child, changes=_created(review),
              summary=f"Looked-after review recorded ({participation})")
    return review


def escalation_raise(*, actor, child: Child, concern: str, raised_on: dt.date, response_due_on: dt.date,
                     stage: str = IROEscalation.Stage.INFORMAL) -> IROEscalation:
    """An IRO raises a concern about the child's plan or care (the dispute resolution process)."""
    policy.may_raise_escalation.require(actor)
    access.require(actor, "record", child)
    period = open_period(child)
    if period is None:
        raise ValidationError(NOT_LOOKED_AFTER)
    errors: dict[str, str] = {}
    _check_date(errors, "raised_on", raised_on, "date the concern was raised")
    if not _strip(concern):
        errors["concern"] = "Enter the IRO's concern"
    if stage not in IROEscalation.Stage.values:
        errors["stage"] = "Select the stage"
    if response_due_on is None:
        errors["response_due_on"] = "Enter the date a response is due"
    elif raised_on is not None and response_due_on < raised_on:
        errors["response_due_on"] = "The response cannot be due before the concern was raised"
    if errors:
        raise ValidationError(errors)
    escalation = IROEscalation(child=child, period=period, stage=stage, concern=_strip(concern), raised_on=raised_on,
                               raised_by=actor, response_due_on=response_due_on)
    escalation.full_clean()
    with transaction.atomic():
        escalation.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=escalation, child=child,
              changes=_created(escalation), summary=f"IRO escalation raised ({escalation.get_stage_display()})")
    return escalation


def escalation_respond(*, actor, escalation: IROEscalation, expected_version: int | None, responded_on: dt.date,
                       response: str) -> dict:
    """The service's response to an open escalation."""
    access.require(actor, "record", escalation.child)
    errors: dict[str, str] = {}
    if not escalation.is_open:
        raise ValidationError("This escalation has been resolved")
    _check_date(errors, "responded_on", responded_on, "date of the response")
    if responded_on is not None and responded_on < escalation.raised_on:
        errors.setdefault("responded_on", f"The response cannot be before the concern was raised "
                                          f"({govuk_date(escalation.raised_on)})")
    if not _strip(response):
        errors["response"] = "Enter the response"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return update_with_history(escalation, actor=actor, expected_version=expected_version,
                                   child=escalation.child, responded_on=responded_on, response=_strip(response))


def escalation_progress(*, actor, escalation: IROEscalation, expected_version: int | None, stage: str = "",
                        resolved_on: dt.date | None = None, outcome: str = "",
                        response_due_on: dt.date | None = None) -> dict:
    """The IRO moves an open escalation to a later stage, or records it resolved (with the outcome)."""
    policy.may_progress_escalation.require(actor)
    access.require(actor, "record", escalation.child)
    if not escalation.is_open:
        raise ValidationError("This escalation has been resolved")
    errors: dict[str, str] = {}
    values: dict = {}
    order = list(IROEscalation.Stage.values)
    if resolved_on is not None or outcome:
        _check_date(errors, "resolved_on", resolved_on, "date the escalation was resolved")
        if resolved_on is not None and resolved_on < escalation.raised_on:
            errors.setdefault("resolved_on", f"It cannot be resolved before it was raised "
                                             f"({govuk_date(escalation.raised_on)})")
        if outcome not in IROEscalation.Outcome.values:
            errors["outcome"] = "Select the outcome"
        values.update(resolved_on=resolved_on, outcome=outcome)
    elif stage:
        if stage not in order:
            errors["stage"] = "Select the stage"
        elif order.index(stage) <= order.index(escalation.stage):
            errors["stage"] = "Select a later stage than the current one"
        if response_due_on is None:
            errors["response_due_on"] = "Enter the date a response is due"
        elif response_due_on < escalation.raised_on:
            errors["response_due_on"] = "The response cannot be due before the concern was raised"
        values.update(stage=stage, response_due_on=response_due_on, responded_on=None, response="")
    else:
        errors["stage"] = "Select a later stage, or record the escalation resolved"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return update_with_history(escalation, actor=actor, expected_version=expected_version,
                                   child=escalation.child, **values)
