"""Writes for other duties: private fostering, LADO allegations and care proceedings.

Each service checks its guards first, writes in a transaction and records an audit event.
Children's records are fetched by the caller with `people.access.child_for(..., action="record")`
and checked again here (`access.require(actor, "record", child)`). LADO allegations are not a child's
record: only `policy.may_record_lado` may write them, and a child can be linked only if the user may
see that child. A refusal raises ValidationError keyed by field and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people import access
from opencsc.people.access import children_for
from opencsc.people.models import Child

from . import policy
from .models import (
    CareProceedings,
    Extension,
    Hearing,
    LadoAllegation,
    LadoMeeting,
    PrivateFostering,
    PrivateFosteringVisit,
)

ADULT_AGE = 18


def _strip(value) -> str:
    return (value or "").strip()


def _age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def _past(errors: dict, field: str, value, what: str) -> None:
    """Required, and today or earlier."""
    if value is None:
        errors.setdefault(field, f"Enter the {what}")
    elif value > timezone.localdate():
        errors.setdefault(field, f"The {what} must be today or in the past")


def _not_before(errors: dict, field: str, value, earliest: dt.date | None, what: str) -> None:
    if value is not None and earliest is not None and value < earliest and field not in errors:
        errors[field] = f"The {field_label(field)} must be on or after {what} ({govuk_date(earliest)})"


def field_label(field: str) -> str:
    return {
        "visited_on": "date of the visit", "ended_on": "date the arrangement ended",
        "held_on": "date of the hearing", "granted_on": "date the extension was granted",
        "final_order_on": "date of the final order", "lado_informed_on": "date the LADO was told",
        "outcome_on": "date of the outcome", "issued_on": "date of issue", "notified_on": "date of notification",
        "arrangement_start": "date the arrangement started",
    }.get(field, field.replace("_", " "))


# --- Private fostering ------------------------------------------------------------------------


def private_fostering_record(
    *,
    actor,
    child: Child,
    notified_on: dt.date,
    arrangement_start: dt.date,
    carer_name: str,
    carer_address: str = "",
    carer_relationship: str = "",
    parents_consent: bool = False,
    outcome: str = PrivateFostering.Outcome.PENDING,
    suitability: str = "",
) -> PrivateFostering:
    """Record a notification of a private fostering arrangement (its visits are then due)."""
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    _past(errors, "notified_on", notified_on, "date the authority was notified")
    if arrangement_start is None:
        errors["arrangement_start"] = "Enter the date the arrangement started (or will start)"
    elif child.date_of_birth:
        if arrangement_start < child.date_of_birth:
            errors["arrangement_start"] = "The arrangement cannot start before the child was born"
        elif _age_on(child.date_of_birth, arrangement_start) >= ADULT_AGE:
            errors["arrangement_start"] = "Private fostering is for children under 18"
    if not _strip(carer_name):
        errors["carer_name"] = "Enter the private foster carer's name"
    if outcome not in PrivateFostering.Outcome.values:
        errors["outcome"] = "Select the assessment outcome"
    if outcome in (PrivateFostering.Outcome.SUITABLE, PrivateFostering.Outcome.SUITABLE_WITH_CONDITIONS) \
            and not _strip(suitability):
        errors["suitability"] = "Enter why the arrangement is suitable"
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()
        running = PrivateFostering.objects.filter(child=child, ended_on__isnull=True).first()
        if running is not None:
            errors.setdefault("notified_on", (
                f"This child already has a private fostering arrangement with {running.carer_name}. "
                "Record its end first"))
        if errors:
            raise ValidationError(errors)
        arrangement = PrivateFostering(
            child=child, notified_on=notified_on, arrangement_start=arrangement_start,
            carer_name=_strip(carer_name), carer_address=_strip(carer_address),
            carer_relationship=_strip(carer_relationship), parents_consent=parents_consent, outcome=outcome,
            suitability=_strip(suitability), created_by=actor,
        )
        arrangement.full_clean()
        arrangement.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=arrangement, child=child,
              changes=_created(arrangement), summary="Private fostering notification recorded")
    return arrangement


def private_fostering_visit_record(
    *, actor, arrangement: PrivateFostering, visited_on: dt.date, child_seen: bool = True,
    child_seen_alone: bool = False, notes: str = "",
) -> PrivateFosteringVisit:
    child = arrangement.child
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    _past(errors, "visited_on", visited_on, "date of the visit")
    _not_before(errors, "visited_on", visited_on, arrangement.notified_on, "the notification")
    if arrangement.ended_on and visited_on and visited_on > arrangement.ended_on and "visited_on" not in errors:
        errors["visited_on"] = f"The arrangement ended on {govuk_date(arrangement.ended_on)}: a visit must be before then"
    if child_seen_alone and not child_seen:
        errors["child_seen_alone"] = "A child seen alone was seen: tick both, or neither"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = PrivateFosteringVisit(arrangement=arrangement, visited_on=visited_on, child_seen=child_seen,
                                      child_seen_alone=child_seen_alone, notes=_strip(notes), created_by=actor)
        visit.full_clean()
        visit.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=visit, child=child, changes=_created(visit),
              summary="Private fostering visit recorded")
    return visit


def private_fostering_end(
    *, actor, arrangement: PrivateFostering, ended_on: dt.date, end_reason: str, expected_version: int,
) -> PrivateFostering:
    child = arrangement.child
    access.require(actor, "record", child)
    if arrangement.ended_on is not None:
        raise ValidationError({"ended_on": "The end of this arrangement has already been recorded"})
    errors: dict[str, str] = {}
    _past(errors, "ended_on", ended_on, "date the arrangement ended")
    _not_before(errors, "ended_on", ended_on, arrangement.arrangement_start, "the start of the arrangement")
    if end_reason not in PrivateFostering.EndReason.values:
        errors["end_reason"] = "Select why the arrangement ended"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update_with_history(arrangement, actor=actor, child=child, expected_version=expected_version,
                            ended_on=ended_on, end_reason=end_reason)
    return arrangement


# --- Care proceedings ---------------------------------------------------------------------------


def care_proceedings_record(
    *, actor, child: Child, court: str, case_number: str, issued_on: dt.date
) -> CareProceedings:
    """Record care or supervision proceedings issued for a child: the 26 weeks run from issue."""
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    _past(errors, "issued_on", issued_on, "date the application was issued")
    _not_before(errors, "issued_on", issued_on, child.date_of_birth, "the child's date of birth")
    if not _strip(court):
        errors["court"] = "Enter the court"
    if not _strip(case_number):
        errors["case_number"] = "Enter the court's case number"
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()
        running = CareProceedings.objects.filter(child=child, final_order_on__isnull=True).first()
        if running is not None:
            errors.setdefault("issued_on", (
                f"Proceedings {running.case_number} for this child are still open. Record their final order first"))
        if errors:
            raise ValidationError(errors)
        proceedings = CareProceedings(child=child, court=_strip(court), case_number=_strip(case_number),
                                      issued_on=issued_on, created_by=actor)
        proceedings.full_clean()
        proceedings.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=proceedings, child=child,
              changes=_created(proceedings), summary="Care proceedings issued")
    return proceedings


def _require_open(proceedings: CareProceedings, field: str) -> None:
    if proceedings.final_order_on is not None:
        raise ValidationError({field: f"These proceedings ended with a final order on "
                                      f"{govuk_date(proceedings.final_order_on)}"})


def hearing_record(
    *, actor, proceedings: CareProceedings, kind: str, held_on: dt.date, interim_order: str = "", notes: str = ""
) -> Hearing:
    child = proceedings.child
    access.require(actor, "record", child)
    _require_open(proceedings, "held_on")
    errors: dict[str, str] = {}
    if kind not in Hearing.Kind.values:
        errors["kind"] = "Select the kind of hearing"
    if interim_order not in Hearing.InterimOrder.values:
        errors["interim_order"] = "Select the interim order made, or none"
    _past(errors, "held_on", held_on, "date of the hearing")
    _not_before(errors, "held_on", held_on, proceedings.issued_on, "the date of issue")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        hearing = Hearing(proceedings=proceedings, kind=kind, held_on=held_on, interim_order=interim_order,
                          notes=_strip(notes), created_by=actor)
        hearing.full_clean()
        hearing.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=hearing, child=child, changes=_created(hearing),
              summary=f"{hearing.get_kind_display()} recorded")
    return hearing


def extension_record(*, actor, proceedings: CareProceedings, granted_on: dt.date, reason: str) -> Extension:
    """An extension of the timetable by up to 8 weeks, which the court grants only when necessary."""
    child = proceedings.child
    access.require(actor, "record", child)
    _require_open(proceedings, "granted_on")
    errors: dict[str, str] = {}
    _past(errors, "granted_on", granted_on, "date the extension was granted")
    _not_before(errors, "granted_on", granted_on, proceedings.issued_on, "the date of issue")
    if not _strip(reason):
        errors["reason"] = "Enter why the court extended the timetable"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        extension = Extension(proceedings=proceedings, granted_on=granted_on, reason=_strip(reason),
                              created_by=actor)
        extension.full_clean()
        extension.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=extension, child=child,
              changes=_created(extension), summary="Extension of care proceedings recorded")
    return extension


def final_order_record(
    *, actor, proceedings: CareProceedings, final_order: str, final_order_on: dt.date, expected_version: int
) -> CareProceedings:
    child = proceedings.child
    access.require(actor, "record", child)
    _require_open(proceedings, "final_order_on")
    errors: dict[str, str] = {}
    if final_order not in CareProceedings.FinalOrder.values:
        errors["final_order"] = "Select the final order"
    _past(errors, "final_order_on", final_order_on, "date of the final order")
    _not_before(errors, "final_order_on", final_order_on, proceedings.issued_on, "the date of issue")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update_with_history(proceedings, actor=actor, child=child, expected_version=expected_version,
                            final_order=final_order, final_order_on=final_order_on)
    return proceedings


# --- LADO allegations ---------------------------------------------------------------------------


def lado_allegation_record(
    *,
    actor,
    received_on: dt.date,
    person_name: str,
    person_role: str,
    employer: str,
    agency: str,
    allegation: str,
    lado_informed_on: dt.date | None = None,
    children=(),
) -> LadoAllegation:
    """Record an allegation against someone who works with children, and the children involved (if known)."""
    policy.may_record_lado.require(actor)
    errors: dict[str, str] = {}
    _past(errors, "received_on", received_on, "date the employer received the allegation")
    if lado_informed_on is not None:
        _past(errors, "lado_informed_on", lado_informed_on, "date the LADO was told")
        _not_before(errors, "lado_informed_on", lado_informed_on, received_on, "the allegation")
    for field, value, message in (
        ("person_name", person_name, "Enter the name of the person"),
        ("person_role", person_role, "Enter their role"),
        ("employer", employer, "Enter their employer or organisation"),
        ("allegation", allegation, "Enter what is alleged"),
    ):
        if not _strip(value):
            errors[field] = message
    if agency not in LadoAllegation.Agency.values:
        errors["agency"] = "Select the sector they work in"
    child_ids = {c.pk if isinstance(c, Child) else int(c) for c in children}
    visible = set(children_for(actor).filter(pk__in=child_ids).values_list("pk", flat=True))
    if child_ids - visible:
        errors["children"] = "A child you selected could not be found"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = LadoAllegation(
            received_on=received_on, lado_informed_on=lado_informed_on, person_name=_strip(person_name),
            person_role=_strip(person_role), employer=_strip(employer), agency=agency,
            allegation=_strip(allegation), created_by=actor,
        )
        record.full_clean()
        record.save()
        record.children.set(sorted(visible))
        changes = _created(record)
        if visible:
            changes["children"] = [None, sorted(visible)]
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=record, changes=changes,
              summary="LADO allegation recorded")
    return record


def lado_meeting_record(
    *, actor, allegation: LadoAllegation, kind: str, held_on: dt.date, attendees: str, decisions: str
) -> LadoMeeting:
    policy.may_record_lado.require(actor)
    errors: dict[str, str] = {}
    if kind not in LadoMeeting.Kind.values:
        errors["kind"] = "Select the kind of meeting"
    _past(errors, "held_on", held_on, "date of the meeting")
    if held_on is not None and held_on < allegation.received_on and "held_on" not in errors:
        errors["held_on"] = f"The meeting must be on or after the allegation ({govuk_date(allegation.received_on)})"
    if not _strip(attendees):
        errors["attendees"] = "Enter who attended, from which agency"
    if not _strip(decisions):
        errors["decisions"] = "Enter the decisions"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = LadoMeeting(allegation=allegation, kind=kind, held_on=held_on, attendees=_strip(attendees),
                              decisions=_strip(decisions), recorded_by=actor)
        meeting.full_clean()
        meeting.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=meeting, changes=_created(meeting),
              summary=f"{meeting.get_kind_display()} recorded")
    return meeting


def lado_outcome_record(
    *, actor, allegation: LadoAllegation, outcome: str, outcome_on: dt.date, outcome_summary: str = "",
    expected_version: int,
) -> LadoAllegation:
    policy.may_record_lado.require(actor)
    if allegation.outcome:
        raise ValidationError({"outcome": "The outcome of this allegation has already been recorded"})
    errors: dict[str, str] = {}
    if outcome not in LadoAllegation.Outcome.values:
        errors["outcome"] = "Select the outcome"
    _past(errors, "outcome_on", outcome_on, "date of the outcome")
    _not_before(errors, "outcome_on", outcome_on, allegation.received_on, "the allegation")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update_with_history(allegation, actor=actor, expected_version=expected_version, outcome=outcome,
                            outcome_on=outcome_on, outcome_summary=_strip(outcome_summary))
    return allegation
