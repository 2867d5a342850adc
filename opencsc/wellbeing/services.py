"""Writes for health, education, contact and rights records of children in care.

Each service checks its rules first (the actor may record on the child; the child was
looked after by the date; dates are real, after birth and not in the future; codes
are on the DfE lists), then writes in a transaction and records an audit event.
A refused action raises ValidationError keyed by field and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.care.models import PeriodOfCare
from opencsc.codes.lists import SDQ_REASON
from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people import access
from opencsc.people.models import Child

from . import rules
from .models import (
    PEP,
    SDQ,
    AdvocacyOffer,
    Complaint,
    ContactArrangement,
    DentalCheck,
    EducationTerm,
    Exclusion,
    HealthAssessment,
    HealthStatus,
    RightsExplained,
)

NOT_LOOKED_AFTER = "{child} was not looked after on or before {day}: record their period of care first"


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def _text(value) -> str:
    return (value or "").strip()


def _check_date(errors: dict, child: Child, field: str, value: dt.date | None, name: str) -> None:
    """Entered, not in the future, not before the child was born."""
    if field in errors:
        return
    if value is None:
        errors[field] = f"Enter the {name}"
    elif value > timezone.localdate():
        errors[field] = f"The {name} must be today or in the past"
    elif child.date_of_birth and value < child.date_of_birth:
        errors[field] = f"The {name} must be on or after the child's date of birth ({govuk_date(child.date_of_birth)})"


def _check_choice(errors: dict, field: str, value, choices, message: str) -> None:
    if field not in errors and value not in {code for code, _ in choices}:
        errors[field] = message


def _require_text(errors: dict, values: dict, field: str, message: str) -> None:
    values[field] = _text(values.get(field))
    if not values[field] and field not in errors:
        errors[field] = message


def was_looked_after_by(child: Child, day: dt.date) -> bool:
    """Had the child become looked after on or before `day` (in any period of care)?"""
    return PeriodOfCare.objects.filter(child=child, start_date__lte=day).exists()


def _check_looked_after(errors: dict, child: Child, field: str, day: dt.date | None) -> None:
    if field not in errors and day is not None and not was_looked_after_by(child, day):
        errors[field] = NOT_LOOKED_AFTER.format(child=child.first_name or "The child", day=govuk_date(day))


def _create(model, *, actor, child: Child, values: dict, summary: str):
    with transaction.atomic():
        instance = model(child=child, created_by=actor, **values)
        instance.full_clean()
        instance.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=instance, child=child,
              changes=_created(instance), summary=summary)
    return instance


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# --- Health ---------------------------------------------------------------------------------


def health_assessment_record(
    *, actor, child: Child, kind: str, assessment_date: dt.date, assessed_by: str, outcome: str
) -> HealthAssessment:
    """An initial or review health assessment. Only one initial assessment per period of care is expected,
    so an initial assessment is refused once one is recorded after the child last became looked after."""
    access.require(actor, "record", child)
    values = {"kind": kind, "assessment_date": assessment_date, "assessed_by": assessed_by, "outcome": outcome}
    errors: dict = {}
    _check_choice(errors, "kind", kind, HealthAssessment.Kind.choices, "Select whether it was an initial or review "
                  "health assessment")
    _check_date(errors, child, "assessment_date", assessment_date, "date of the assessment")
    _check_looked_after(errors, child, "assessment_date", assessment_date)
    _require_text(errors, values, "assessed_by", "Enter who carried out the assessment")
    _require_text(errors, values, "outcome", "Enter the outcome and recommendations")
    if not errors and kind == HealthAssessment.Kind.INITIAL:

        start = (PeriodOfCare.objects.filter(child=child, start_date__lte=assessment_date)
                 .order_by("-start_date").values_list("start_date", flat=True).first())
        earlier = HealthAssessment.objects.filter(
            child=child, kind=HealthAssessment.Kind.INITIAL, assessment_date__gte=start
        ).values_list("assessment_date", flat=True).first()
        if earlier:
            errors["kind"] = (f"An initial health assessment was already recorded on {govuk_date(earlier)} in this "
                              f"period of care: record this as a review health assessment")
    _raise(errors)
    return _create(HealthAssessment, actor=actor, child=child, values=values,
                   summary=f"{HealthAssessment.Kind(kind).label} recorded")


def dental_check_record(*, actor, child: Child, check_date: dt.date, dentist: str = "", notes: str = "") -> DentalCheck:
    access.require(actor, "record", child)
    values = {"check_date": check_date, "dentist": _text(dentist), "notes": _text(notes)}
    errors: dict = {}
    _check_date(errors, child, "check_date", check_date, "date of the dental check")
    _check_looked_after(errors, child, "check_date", check_date)
    _raise(errors)
    return _create(DentalCheck, actor=actor, child=child, values=values, summary="Dental check recorded")


def health_status_record(
    *,
    actor,
    child: Child,
    recorded_on: dt.date,
    immunisations_up_to_date: bool,
    substance_misuse: bool,
    development_check_up_to_date: bool | None = None,
    intervention_offered: bool | None = None,
    intervention_received: bool | None = None,
    notes: str = "",
) -> HealthStatus:
    """The OC2 health facts as known on a date. Development checks are for children under 5;
    substance misuse interventions only where misuse was identified."""
    access.require(actor, "record", child)
    errors: dict = {}
    _check_date(errors, child, "recorded_on", recorded_on, "date these facts were checked")
    _check_looked_after(errors, child, "recorded_on", recorded_on)
    if immunisations_up_to_date not in (True, False):
        errors["immunisations_up_to_date"] = "Select whether the child's immunisations are up to date"
    if substance_misuse not in (True, False):
        errors["substance_misuse"] = "Select whether substance misuse was identified"
    if "recorded_on" not in errors and child.date_of_birth:
        under_five = rules.age_on(child.date_of_birth, recorded_on) < 5
        if under_five and development_check_up_to_date is None:
            errors["development_check_up_to_date"] = (
                "Select whether the child's development assessments are up to date (the child is under 5)")
        if not under_five and development_check_up_to_date is not None:
            errors["development_check_up_to_date"] = "Development assessments are only recorded for children under 5"
    if substance_misuse is False and (intervention_offered or intervention_received):
        errors["intervention_offered"] = "Only record an intervention when substance misuse was identified"
    if substance_misuse is True and intervention_offered is None:
        errors["intervention_offered"] = "Select whether an intervention was offered"
    if intervention_received and intervention_offered is False:
        errors["intervention_received"] = "An intervention can only be received if it was offered"
    _raise(errors)
    values = {
        "recorded_on": recorded_on, "immunisations_up_to_date": immunisations_up_to_date,
        "development_check_up_to_date": development_check_up_to_date, "substance_misuse": substance_misuse,
        "intervention_offered": intervention_offered if substance_misuse else None,
        "intervention_received": intervention_received if substance_misuse else None, "notes": _text(notes),
    }
    return _create(HealthStatus, actor=actor, child=child, values=values, summary="Health facts recorded")


def sdq_record(
    *,
    actor,
    child: Child,
    completed_on: dt.date,
    score: int | None = None,
    completed_by: str = "",
    reason_not_done: str = "",
) -> SDQ:
    """A score from 0 to 40 with who completed it, for a child aged 4 to 16; or the DfE reason there is none."""
    access.require(actor, "record", child)
    completed_by = completed_by or ""
    reason_not_done = reason_not_done or ""
    errors: dict = {}
    _check_date(errors, child, "completed_on", completed_on, "date of the questionnaire")
    _check_looked_after(errors, child, "completed_on", completed_on)
    if score is not None and reason_not_done:
        errors["reason_not_done"] = "Enter a score or a reason there is no score, not both"
    elif score is None and not reason_not_done:
        errors["score"] = "Enter the total difficulties score, or select the reason there is no score"
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, int) or not rules.SDQ_MIN <= score <= rules.SDQ_MAX:
            errors["score"] = f"The score must be a whole number from {rules.SDQ_MIN} to {rules.SDQ_MAX}"
        elif not completed_by:
            errors["completed_by"] = "Select who completed the questionnaire"
        if "completed_on" not in errors and "score" not in errors and child.date_of_birth:
            age = rules.age_on(child.date_of_birth, completed_on)
            if not rules.SDQ_MIN_AGE <= age <= rules.SDQ_MAX_AGE:
                errors["score"] = (f"An SDQ score is only recorded for children aged {rules.SDQ_MIN_AGE} to "
                                   f"{rules.SDQ_MAX_AGE}: the child was {age} on that date")
    if completed_by:
        _check_choice(errors, "completed_by", completed_by, SDQ.CompletedBy.choices,
                      "Select who completed the questionnaire from the list")
    if reason_not_done and reason_not_done not in SDQ_REASON:
        errors["reason_not_done"] = "Select why there is no score"
    _raise(errors)
    values = {"completed_on": completed_on, "score": score, "completed_by": completed_by if score is not None else "",
              "reason_not_done": reason_not_done}
    return _create(SDQ, actor=actor, child=child, values=values,
                   summary="SDQ score recorded" if score is not None else "Reason for no SDQ score recorded")


# --- Education ------------------------------------------------------------------------------


def pep_record(
    *,
    actor,
    child: Child,
    meeting_date: dt.date,
    status: str,
    targets: str,
    virtual_school_view: str = "",
    quality_rating: str = "",
) -> PEP:
    access.require(actor, "record", child)
    values = {"meeting_date": meeting_date, "status": status, "targets": targets,
              "virtual_school_view": _text(virtual_school_view), "quality_rating": quality_rating or ""}
    errors: dict = {}
    _check_date(errors, child, "meeting_date", meeting_date, "date of the PEP meeting")
    _check_looked_after(errors, child, "meeting_date", meeting_date)
    _check_choice(errors, "status", status, PEP.Status.choices, "Select the status of the PEP")
    _require_text(errors, values, "targets", "Enter the targets for the term")
    if values["quality_rating"]:
        _check_choice(errors, "quality_rating", values["quality_rating"], PEP.Quality.choices,
                      "Select a quality rating from the list")
    _raise(errors)
    return _create(PEP, actor=actor, child=child, values=values, summary="Personal education plan recorded")


def education_term_record(
    *,
    actor,
    child: Child,
    academic_year: int,
    term: str,
    school_name: str,
    attendance_percent,
    school_urn: str = "",
    attainment: str = "",
) -> EducationTerm:
    """One record per term: school (with its 6-digit URN), attendance (0 to 100%) and attainment."""
    access.require(actor, "record", child)
    values = {"academic_year": academic_year, "term": term, "school_name": school_name,
              "school_urn": _text(school_urn), "attainment": _text(attainment)}
    errors: dict = {}
    _check_choice(errors, "term", term, EducationTerm._meta.get_field("term").choices, "Select the term")
    this_year, _ = rules.term_of(timezone.localdate())
    if not isinstance(academic_year, int) or not 2000 <= academic_year <= this_year:
        errors["academic_year"] = f"Enter an academic year from 2000 to {this_year}"
    _require_text(errors, values, "school_name", "Enter the name of the school")
    if values["school_urn"] and not (values["school_urn"].isdigit() and len(values["school_urn"]) == 6):
        errors["school_urn"] = "The school URN must be 6 digits, like 100000"
    try:
        percent = Decimal(str(attendance_percent)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        percent = None
    if percent is None or not Decimal(0) <= percent <= Decimal(100):
        errors["attendance_percent"] = "Attendance must be a percentage from 0 to 100"
    values["attendance_percent"] = percent
    if not errors and EducationTerm.objects.filter(child=child, academic_year=academic_year, term=term).exists():
        errors["term"] = "This term is already recorded for the child"
    _raise(errors)
    label = EducationTerm(academic_year=academic_year, term=term)
    return _create(EducationTerm, actor=actor, child=child, values=values,
                   summary=f"School, attendance and attainment recorded for the {label}")


def exclusion_record(
    *, actor, child: Child, start_date: dt.date, kind: str, reason: str, school_days: int | None = None
) -> Exclusion:
    access.require(actor, "record", child)
    values = {"start_date": start_date, "kind": kind, "reason": reason, "school_days": school_days}
    errors: dict = {}
    _check_date(errors, child, "start_date", start_date, "first day of the exclusion")
    _check_choice(errors, "kind", kind, Exclusion.Kind.choices, "Select whether it was a suspension or a permanent "
                  "exclusion")
    _require_text(errors, values, "reason", "Enter the reason for the exclusion")
    if school_days is not None and (school_days < 0 or school_days > 45):
        errors["school_days"] = "School days missed must be from 0 to 45"
    _raise(errors)
    return _create(Exclusion, actor=actor, child=child, values=values, summary="Exclusion recorded")


# --- Contact --------------------------------------------------------------------------------


def contact_arrangement_record(
    *,
    actor,
    child: Child,
    with_whom: str,
    relationship: str,
    frequency: str,
    supervised: bool,
    start_date: dt.date,
    notes: str = "",
) -> ContactArrangement:
    access.require(actor, "record", child)
    values = {"with_whom": with_whom, "relationship": relationship, "frequency": frequency,
              "supervised": supervised, "start_date": start_date, "notes": _text(notes)}
    errors: dict = {}
    _require_text(errors, values, "with_whom", "Enter who the contact is with")
    _require_text(errors, values, "relationship", "Enter their relationship to the child")
    _check_choice(errors, "frequency", frequency, ContactArrangement.Frequency.choices, "Select how often")
    if supervised not in (True, False):
        errors["supervised"] = "Select whether the contact is supervised"
    if start_date is None:
        errors["start_date"] = "Enter the date the arrangement starts"
    elif child.date_of_birth and start_date < child.date_of_birth:
        errors["start_date"] = (f"The start date must be on or after the child's date of birth "
                                f"({govuk_date(child.date_of_birth)})")
    _raise(errors)
    return _create(ContactArrangement, actor=actor, child=child, values=values,
                   summary="Contact arrangement recorded")


def contact_arrangement_end(
    *, actor, arrangement: ContactArrangement, end_date: dt.date, expected_version: int | None
) -> ContactArrangement:
    child = arrangement.child
    access.require(actor, "record", child)
    if arrangement.end_date is not None:
        raise ValidationError(f"This arrangement ended on {govuk_date(arrangement.end_date)}")
    if end_date is None:
        raise ValidationError({"end_date": "Enter the date the arrangement ended"})
    if end_date < arrangement.start_date:
        raise ValidationError({"end_date": f"The end date must be on or after the start date "
                                           f"({govuk_date(arrangement.start_date)})"})
    if end_date > timezone.localdate():
        raise ValidationError({"end_date": "The end date must be today or in the past"})
    with transaction.atomic():
        update_with_history(arrangement, actor=actor, expected_version=expected_version, child=child,
                            end_date=end_date)
    return arrangement


# --- Rights, advocacy and complaints --------------------------------------------------------


def advocacy_offer_record(
    *, actor, child: Child, offered_on: dt.date, offered_by: str, accepted: bool | None = None, advocate: str = ""
) -> AdvocacyOffer:
    access.require(actor, "record", child)
    values = {"offered_on": offered_on, "offered_by": offered_by, "accepted": accepted, "advocate": _text(advocate)}
    errors: dict = {}
    _check_date(errors, child, "offered_on", offered_on, "date advocacy was offered")
    _require_text(errors, values, "offered_by", "Enter who offered advocacy")
    if accepted is not True and values["advocate"]:
        errors["advocate"] = "Only name an advocate if the child accepted the offer"
    _raise(errors)
    return _create(AdvocacyOffer, actor=actor, child=child, values=values, summary="Advocacy offer recorded")


def complaint_record(*, actor, child: Child, received_on: dt.date, summary: str, stage: str = "1") -> Complaint:
    access.require(actor, "record", child)
    values = {"received_on": received_on, "summary": summary, "stage": stage}
    errors: dict = {}
    _check_date(errors, child, "received_on", received_on, "date the complaint was received")
    _require_text(errors, values, "summary", "Enter what the complaint is about")
    _check_choice(errors, "stage", stage, Complaint.Stage.choices, "Select the stage of the complaint")
    _raise(errors)
    return _create(Complaint, actor=actor, child=child, values=values, summary="Complaint recorded")


def complaint_update(
    *,
    actor,
    complaint: Complaint,
    stage: str,
    outcome: str = "",
    outcome_date: dt.date | None = None,
    expected_version: int | None,
) -> Complaint:
    """Move an open complaint to a later stage, or record its outcome. A complaint never goes back a stage."""
    child = complaint.child
    access.require(actor, "record", child)
    if not complaint.is_open:
        raise ValidationError(f"This complaint was closed on {govuk_date(complaint.outcome_date)}")
    outcome = outcome or ""
    errors: dict = {}
    _check_choice(errors, "stage", stage, Complaint.Stage.choices, "Select the stage of the complaint")
    if "stage" not in errors and stage < complaint.stage:
        errors["stage"] = f"A complaint cannot go back a stage (it is at stage {complaint.stage})"
    if outcome:
        _check_choice(errors, "outcome", outcome, Complaint.Outcome.choices, "Select the outcome from the list")
        if outcome_date is None:
            errors["outcome_date"] = "Enter the date of the outcome"
        elif outcome_date < complaint.received_on:
            errors["outcome_date"] = (f"The date of the outcome must be on or after the complaint was received "
                                      f"({govuk_date(complaint.received_on)})")
        elif outcome_date > timezone.localdate():
            errors["outcome_date"] = "The date of the outcome must be today or in the past"
    elif outcome_date is not None:
        errors["outcome"] = "Select the outcome, or leave the date of the outcome blank"
    _raise(errors)
    with transaction.atomic():
        update_with_history(complaint, actor=actor, expected_version=expected_version, child=child,
                            stage=stage, outcome=outcome, outcome_date=outcome_date if outcome else None)
    return complaint


def rights_explained_record(*, actor, child: Child, explained_on: dt.date, explained_by: str, how: str = ""
                            ) -> RightsExplained:
    access.require(actor, "record", child)
    values = {"explained_on": explained_on, "explained_by": explained_by, "how": _text(how)}
    errors: dict = {}
    _check_date(errors, child, "explained_on", explained_on, "date the child was told their rights")
    _require_text(errors, values, "explained_by", "Enter who told the child their rights")
    _raise(errors)
    return _create(RightsExplained, actor=actor, child=child, values=values,
                   summary="Rights and entitlements explained")
