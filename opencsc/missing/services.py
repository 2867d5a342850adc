"""Writes for missing children and exploitation: episodes, returns, return home interviews,
exploitation risk assessments and multi-agency exploitation meetings.

Each service checks its guards first, writes in a transaction and records an audit event.
Callers fetch the child with `people.access.child_for(..., action="record")`; the services
check the role again so that no path skips it. A refusal raises ValidationError keyed by field
and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from opencsc.casework import services as casework
from opencsc.casework.models import Meeting
from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people import access
from opencsc.people.models import Child

from .models import ExploitationAssessment, ExploitationMeeting, MissingEpisode, ReturnInterview, RiskLevel

MEETING_SUMMARY_PREFIX = "Multi-agency exploitation meeting"


def _when(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %b %Y %H:%M}"


def _strip(value) -> str:
    return (value or "").strip()


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def _overlapping(child: Child, start: dt.datetime, end: dt.datetime | None, exclude_pk=None) -> MissingEpisode | None:
    """Another episode of the child that overlaps [start, end] (an open episode runs on for ever)."""
    qs = MissingEpisode.objects.filter(child=child).exclude(pk=exclude_pk)
    qs = qs.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
    if end is not None:
        qs = qs.filter(started_at__lt=end)
    return qs.order_by("started_at").first()


def _check_times(errors: dict, child: Child, started_at, ended_at) -> None:
    now = timezone.now()
    if started_at is None:
        errors["started_at"] = "Enter when the child went missing"
    elif started_at > now:
        errors["started_at"] = "When the child went missing must be now or in the past"
    elif child.date_of_birth and timezone.localdate(started_at) < child.date_of_birth:
        errors["started_at"] = "When the child went missing must be after their date of birth"
    if ended_at is not None:
        if ended_at > now:
            errors["ended_at"] = "When the child returned must be now or in the past"
        elif started_at is not None and ended_at <= started_at:
            errors["ended_at"] = f"When the child returned must be after they went missing ({_when(started_at)})"


def _check_overlap(errors: dict, child: Child, started_at, ended_at, exclude_pk=None) -> None:
    if errors or started_at is None:
        return
    other = _overlapping(child, started_at, ended_at, exclude_pk)
    if other is not None:
        if other.ended_at is None:
            errors["started_at"] = (
                f"This child is already recorded as missing from {_when(other.started_at)}. "
                "Record their return first"
            )
        else:
            errors["started_at"] = (
                f"This overlaps another episode, from {_when(other.started_at)} to {_when(other.ended_at)}"
            )


def missing_episode_record(
    *,
    actor,
    child: Child,
    kind: str,
    missing_from: str,
    started_at: dt.datetime,
    ended_at: dt.datetime | None = None,
    reported_to_police: bool = False,
    police_reference: str = "",
    where_found: str = "",
    risks: str = "",
) -> MissingEpisode:
    """Record that a child went missing (or was away from placement), and their return if known."""
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    if kind not in MissingEpisode.Kind.values:
        errors["kind"] = "Select whether the child was missing or away from placement"
    if missing_from not in MissingEpisode.MissingFrom.values:
        errors["missing_from"] = "Select where the child went missing from"
    _check_times(errors, child, started_at, ended_at)
    if _strip(police_reference) and not reported_to_police:
        errors["police_reference"] = "A police reference means the episode was reported to the police: tick the box"
    if ended_at is None and _strip(where_found):
        errors["where_found"] = "Enter when the child returned, or leave where they were found blank"
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()  # one episode at a time per child
        _check_overlap(errors, child, started_at, ended_at)
        if errors:
            raise ValidationError(errors)
        episode = MissingEpisode(
            child=child, kind=kind, missing_from=missing_from, started_at=started_at, ended_at=ended_at,
            reported_to_police=reported_to_police, police_reference=_strip(police_reference),
            where_found=_strip(where_found), risks=_strip(risks), created_by=actor,
        )
        episode.full_clean()
        episode.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=episode, child=child,
              changes=_created(episode), summary=f"{episode.get_kind_display()} episode recorded")
    return episode


def missing_episode_return(
    *, actor, episode: MissingEpisode, ended_at: dt.datetime, where_found: str = "", risks: str | None = None,
    expected_version: int | None = None,
) -> MissingEpisode:
    """Record when and where a missing child returned or was found."""
    child = episode.child
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    if episode.ended_at is not None:
        raise ValidationError({"ended_at": "The return from this episode has already been recorded"})
    if ended_at is None:
        errors["ended_at"] = "Enter when the child returned or was found"
    _check_times(errors, child, episode.started_at, ended_at)
    if not _strip(where_found):
        errors.setdefault("where_found", "Enter where the child was found or returned to")
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()
        if not errors:
            later = MissingEpisode.objects.filter(
                child=child, started_at__gt=episode.started_at, started_at__lt=ended_at
            ).exclude(pk=episode.pk).order_by("started_at").first()
            if later is not None:
                errors["ended_at"] = (
                    f"The child went missing again at {_when(later.started_at)}: "
                    "the return must be before that"
                )
        if errors:
            raise ValidationError(errors)
        values = {"ended_at": ended_at, "where_found": _strip(where_found)}
        if risks is not None:
            values["risks"] = _strip(risks)
        update_with_history(episode, actor=actor, child=child,
                            expected_version=episode.version if expected_version is None else expected_version,
                            **values)
    return episode


def return_interview_record(
    *,
    actor,
    episode: MissingEpisode,
    offered_at: dt.datetime,
    response: str,
    completed_at: dt.datetime | None = None,
    interviewer: str = "",
    findings: str = "",
) -> ReturnInterview:
    """Record the return home interview offered after an episode, the child's response and when it took place."""
    child = episode.child
    access.require(actor, "record", child)
    if ReturnInterview.objects.filter(episode=episode).exists():
        raise ValidationError({"offered_at": "A return home interview is already recorded for this episode"})
    if episode.ended_at is None:
        raise ValidationError({"offered_at": "Record the child's return before the return home interview"})
    errors: dict[str, str] = {}
    now = timezone.now()
    returned = episode.ended_at
    if offered_at is None:
        errors["offered_at"] = "Enter when the interview was offered"
    elif offered_at > now:
        errors["offered_at"] = "When the interview was offered must be now or in the past"
    elif offered_at < returned:
        errors["offered_at"] = f"The interview must be offered after the child returned ({_when(returned)})"
    if response not in ReturnInterview.Response.values:
        errors["response"] = "Select whether the child accepted the interview"
    if response == ReturnInterview.Response.DECLINED and completed_at is not None:
        errors["completed_at"] = "The child declined the interview: leave when it took place blank"
    if completed_at is not None and "completed_at" not in errors:
        if completed_at > now:
            errors["completed_at"] = "When the interview took place must be now or in the past"
        elif completed_at < returned:
            errors["completed_at"] = f"The interview must take place after the child returned ({_when(returned)})"
        elif offered_at is not None and completed_at < offered_at:
            errors["completed_at"] = "The interview cannot take place before it was offered"
    if completed_at is not None and not _strip(interviewer):
        errors["interviewer"] = "Enter who carried out the interview"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        interview = ReturnInterview(
            episode=episode, offered_at=offered_at, response=response, completed_at=completed_at,
            interviewer=_strip(interviewer), findings=_strip(findings), created_by=actor,
        )
        interview.full_clean()
        interview.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=interview, child=child,
              changes=_created(interview), summary="Return home interview recorded")
    return interview


def exploitation_assessment_record(
    *,
    actor,
    child: Child,
    assessed_on: dt.date,
    sexual_risk: str,
    criminal_risk: str,
    review_on: dt.date,
    indicators: str = "",
) -> ExploitationAssessment:
    """Record an assessment of the risk of sexual and criminal exploitation, and when to review it."""
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    if assessed_on is None:
        errors["assessed_on"] = "Enter the date of the assessment"
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = "The date of the assessment must be today or in the past"
    if sexual_risk not in RiskLevel.values:
        errors["sexual_risk"] = "Select the risk of sexual exploitation"
    if criminal_risk not in RiskLevel.values:
        errors["criminal_risk"] = "Select the risk of criminal exploitation"
    if review_on is None:
        errors["review_on"] = "Enter the review date"
    elif assessed_on is not None and review_on <= assessed_on:
        errors["review_on"] = f"The review date must be after the assessment ({govuk_date(assessed_on)})"
    if (sexual_risk in (RiskLevel.MEDIUM, RiskLevel.HIGH) or criminal_risk in (RiskLevel.MEDIUM, RiskLevel.HIGH)) \
            and not _strip(indicators):
        errors["indicators"] = "Enter what shows the risk"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessment = ExploitationAssessment(
            child=child, assessed_on=assessed_on, sexual_risk=sexual_risk, criminal_risk=criminal_risk,
            review_on=review_on, indicators=_strip(indicators), created_by=actor,
        )
        assessment.full_clean()
        assessment.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=assessment, child=child,
              changes=_created(assessment), summary="Exploitation risk assessment recorded")
    return assessment


def exploitation_meeting_record(
    *, actor, child: Child, held_on: dt.date, decisions: str, chair: str = "", attendance=()
) -> ExploitationMeeting:
    """Record a multi-agency exploitation meeting, who attended from which agency, and its decisions."""
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    elif held_on > timezone.localdate():
        errors["held_on"] = "The date of the meeting must be today or in the past"
    if not _strip(decisions):
        errors["decisions"] = "Enter the decisions of the meeting"
    if not list(attendance):
        errors["attendance"] = "Enter at least one person who took part"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = casework.meeting_record(
            actor=actor, child=child, kind=Meeting.Kind.OTHER, held_on=held_on, chair=_strip(chair),
            summary=f"{MEETING_SUMMARY_PREFIX}. {_strip(decisions)}", attendance=attendance,
        )
        record = ExploitationMeeting(child=child, meeting=meeting, decisions=_strip(decisions), recorded_by=actor)
        record.full_clean()
        record.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=record, child=child,
              changes=_created(record), summary="Multi-agency exploitation meeting recorded")
    return record
