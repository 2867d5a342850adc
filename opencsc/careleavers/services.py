"""Writes for care leavers: eligibility decisions, personal advisers, pathway plans and
their reviews, contact, and support (staying put, bursary, support to 25).

Each service checks its rules first, writes in a transaction and records an audit event.
Callers fetch the child through `people.access.child_for(..., action="record")`; the
services check the role again. A refused action changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people import access
from opencsc.people.models import Child

from . import rules
from .codes import ACCOMMODATION, ACTIVITY, IN_TOUCH
from .models import (
    AdviserAllocation,
    CareLeaver,
    Category,
    Contact,
    EligibilityDecision,
    PathwayPlan,
    PathwayPlanReview,
)

NO_CARE_LEAVER = "Record the young person's leaving care category first"
SUPPORT_FIELDS = ("support_to_25", "in_education", "staying_put_start", "staying_put_end", "staying_put_carer",
                  "bursary_awarded_on", "support_ended_on")


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def _care_leaver(child: Child) -> CareLeaver:
    care_leaver = CareLeaver.objects.filter(child=child).first()
    if care_leaver is None:
        raise ValidationError(NO_CARE_LEAVER)
    return care_leaver


def _check_day(errors: dict, field: str, value: dt.date | None, name: str, child: Child, *,
               required: bool = True) -> None:
    """Not missing, not in the future, and before the young person's 25th birthday."""
    if value is None:
        if required:
            errors[field] = f"Enter the {name}"
        return
    if value > timezone.localdate():
        errors[field] = f"The {name} must be today or in the past"
        return
    dob = child.date_of_birth
    if dob is not None and value < dob:
        errors[field] = f"The {name} must be after the young person's date of birth ({govuk_date(dob)})"
    elif dob is not None and value >= rules.latest_support_end(dob):
        errors[field] = (f"Leaving care support ends at 25: the {name} must be before the young person's "
                         f"25th birthday ({govuk_date(rules.latest_support_end(dob))})")


def _check_supported(errors: dict, field: str, value: dt.date | None, name: str, care_leaver: CareLeaver) -> None:
    """Support ends at 21 unless the young person asked for it to 25 or is in education; or when it ended."""
    if value is None or field in errors:
        return
    if care_leaver.support_ended_on and value > care_leaver.support_ended_on:
        errors[field] = (f"Leaving care support ended on {govuk_date(care_leaver.support_ended_on)}: "
                         f"the {name} must be on or before that day")
        return
    dob = care_leaver.child.date_of_birth
    if dob is None:
        return
    ends = rules.support_ends_on(dob, to_25=care_leaver.support_to_25 or care_leaver.in_education)
    if value >= ends:
        errors[field] = (f"Leaving care support ended at 21 ({govuk_date(ends)}). Record that the young person asked "
                         f"for support up to 25, or is in education, before recording the {name}")


def _text(errors: dict, values: dict, field: str, message: str) -> None:
    values[field] = (values.get(field) or "").strip()
    if not values[field]:
        errors[field] = message


# --- Eligibility --------------------------------------------------------------------------


def eligibility_decide(*, actor, child: Child, category: str, decided_on: dt.date, reason: str = "",
                       suggested_category: str = "") -> EligibilityDecision:
    """Record the young person's leaving care category; the first decision starts their support."""
    access.require(actor, "record", child)
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = "Select the young person's leaving care category"
    _check_day(errors, "decided_on", decided_on, "date of the decision", child)
    dob = child.date_of_birth
    if "decided_on" not in errors and dob is not None and decided_on < rules.birthday(dob, 16):
        errors["decided_on"] = (f"A young person can only be a care leaver from their 16th birthday "
                                f"({govuk_date(rules.birthday(dob, 16))})")
    if suggested_category not in ("", *Category.values):
        suggested_category = ""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()
        care_leaver = CareLeaver.objects.filter(child=child).first()
        if care_leaver is None:
            care_leaver = CareLeaver(child=child, created_by=actor)
            care_leaver.full_clean()
            care_leaver.save()
            audit(actor=actor, action=AuditEvent.Action.CREATED, instance=care_leaver, child=child,
                  changes=_created(care_leaver), summary="Leaving care support started")
        last = EligibilityDecision.objects.filter(child=child).order_by("-decided_on", "-id").first()
        if last is not None and decided_on < last.decided_on:
            raise ValidationError({"decided_on": (
                f"The date of the decision must be the same as or after the last decision ({govuk_date(last.decided_on)})"
            )})
        decision = EligibilityDecision(child=child, category=category, decided_on=decided_on,
                                       reason=(reason or "").strip(), suggested_category=suggested_category,
                                       created_by=actor)
        decision.full_clean()
        decision.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=decision, child=child,
              changes=_created(decision), summary=f"Leaving care category: {decision.get_category_display()}")
    return decision


# --- Personal advisers --------------------------------------------------------------------


def adviser_allocate(*, actor, child: Child, adviser, start_date: dt.date) -> AdviserAllocation:
    """Allocate a personal adviser; the previous allocation ends the same day."""
    access.require(actor, "record", child)
    _care_leaver(child)
    errors: dict[str, str] = {}
    if adviser is None or adviser.role != Role.PERSONAL_ADVISER or not adviser.is_active:
        errors["adviser"] = "Select a personal adviser"
    _check_day(errors, "start_date", start_date, "allocation date", child)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()
        current = AdviserAllocation.objects.filter(child=child, end_date__isnull=True).first()
        if current is not None:
            if current.adviser_id == adviser.pk:
                raise ValidationError({"adviser": f"{adviser.display_name} is already the personal adviser"})
            if start_date < current.start_date:
                raise ValidationError({"start_date": (
                    f"The allocation date must be the same as or after the current allocation started "
                    f"({govuk_date(current.start_date)})"
                )})
            update_with_history(current, actor=actor, expected_version=None, child=child, end_date=start_date)
        allocation = AdviserAllocation(child=child, adviser=adviser, start_date=start_date, created_by=actor)
        allocation.full_clean()
        allocation.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=allocation, child=child,
              changes=_created(allocation), summary=f"Personal adviser: {adviser.display_name}")
    return allocation


# --- Pathway plans ------------------------------------------------------------------------


def pathway_plan_create(*, actor, child: Child, start_date: dt.date, young_persons_views: str, needs: str,
                        contingency: str, needs_assessed_on: dt.date | None = None) -> PathwayPlan:
    access.require(actor, "record", child)
    care_leaver = _care_leaver(child)
    values = {"young_persons_views": young_persons_views, "needs": needs, "contingency": contingency}
    errors: dict[str, str] = {}
    _check_day(errors, "start_date", start_date, "date of the plan", child)
    _check_supported(errors, "start_date", start_date, "date of the plan", care_leaver)
    _check_day(errors, "needs_assessed_on", needs_assessed_on, "date of the needs assessment", child,
               required=False)
    if "needs_assessed_on" not in errors and needs_assessed_on and start_date and needs_assessed_on > start_date:
        errors["needs_assessed_on"] = "The needs assessment must be completed on or before the date of the plan"
    _text(errors, values, "young_persons_views", "Enter the young person's views")
    _text(errors, values, "needs", "Enter the young person's needs and how they will be met")
    _text(errors, values, "contingency", "Enter the contingency plan")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = PathwayPlan(child=child, start_date=start_date, needs_assessed_on=needs_assessed_on,
                           created_by=actor, **values)
        plan.full_clean()
        plan.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=plan, child=child, changes=_created(plan),
              summary="Pathway plan written")
    return plan


def pathway_plan_review(*, actor, plan: PathwayPlan, reviewed_on: dt.date, young_persons_views: str,
                        changes: str) -> PathwayPlanReview:
    child = plan.child
    access.require(actor, "record", child)
    care_leaver = _care_leaver(child)
    values = {"young_persons_views": young_persons_views, "changes": changes}
    errors: dict[str, str] = {}
    _check_day(errors, "reviewed_on", reviewed_on, "date of the review", child)
    if "reviewed_on" not in errors and reviewed_on <= plan.start_date:
        errors["reviewed_on"] = f"The review must be after the date of the plan ({govuk_date(plan.start_date)})"
    _check_supported(errors, "reviewed_on", reviewed_on, "date of the review", care_leaver)
    _text(errors, values, "young_persons_views", "Enter the young person's views")
    _text(errors, values, "changes", "Enter what has changed, and what happens next")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        last = plan.reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True).first()
        if last and reviewed_on < last:
            raise ValidationError({"reviewed_on": (
                f"The review must be the same as or after the last review ({govuk_date(last)})"
            )})
        review = PathwayPlanReview(plan=plan, reviewed_on=reviewed_on, created_by=actor, **values)
        review.full_clean()
        review.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=review, child=child,
              changes=_created(review), summary="Pathway plan reviewed")
    return review


# --- Contact ------------------------------------------------------------------------------


def contact_record(*, actor, child: Child, contact_date: dt.date, in_touch: str, method: str, activity: str,
                   accommodation: str, notes: str = "") -> Contact:
    """Keeping in touch: whether the young person is in touch, their activity and accommodation (OC3)."""
    access.require(actor, "record", child)
    care_leaver = _care_leaver(child)
    errors: dict[str, str] = {}
    _check_day(errors, "contact_date", contact_date, "date of contact", child)
    _check_supported(errors, "contact_date", contact_date, "date of contact", care_leaver)
    if in_touch not in IN_TOUCH:
        errors["in_touch"] = "Select whether the young person is in touch"
    if method not in Contact.Method.values:
        errors["method"] = "Select how the contact was made"
    if activity not in ACTIVITY:
        errors["activity"] = "Select the young person's main activity from the list"
    if accommodation not in ACCOMMODATION:
        errors["accommodation"] = "Select the young person's accommodation from the list"
    if in_touch == "YES" and method == Contact.Method.NONE:
        errors["method"] = "Select how the contact was made, if the young person is in touch"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contact = Contact(child=child, contact_date=contact_date, in_touch=in_touch, method=method,
                          activity=activity, accommodation=accommodation, notes=(notes or "").strip(),
                          created_by=actor)
        contact.full_clean()
        contact.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=contact, child=child,
              changes=_created(contact), summary="Care leaver contact recorded")
    return contact


# --- Support ------------------------------------------------------------------------------


def support_update(*, actor, care_leaver: CareLeaver, expected_version: int | None, **values) -> dict:
    """Change the support: up to 25, staying put, the higher education bursary, the end of support."""
    child = care_leaver.child
    access.require(actor, "record", child)
    unknown = set(values) - set(SUPPORT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields {sorted(unknown)}")
    merged = {f: values.get(f, getattr(care_leaver, f)) for f in SUPPORT_FIELDS}
    merged["staying_put_carer"] = (merged["staying_put_carer"] or "").strip()
    merged["support_to_25"] = bool(merged["support_to_25"])
    merged["in_education"] = bool(merged["in_education"])
    errors: dict[str, str] = {}
    for field, name in (("staying_put_start", "date the staying put arrangement started"),
                        ("staying_put_end", "date the staying put arrangement ended"),
                        ("bursary_awarded_on", "date the bursary was awarded"),
                        ("support_ended_on", "date support ended")):
        _check_day(errors, field, merged[field], name, child, required=False)
    start, end = merged["staying_put_start"], merged["staying_put_end"]
    if end and not start and "staying_put_end" not in errors:
        errors["staying_put_start"] = "Enter the date the staying put arrangement started"
    elif start and end and end < start and "staying_put_end" not in errors:
        errors["staying_put_end"] = "The staying put arrangement must end on or after the day it started"
    dob = child.date_of_birth
    if start and dob and "staying_put_start" not in errors and start < rules.birthday(dob, 18):
        errors["staying_put_start"] = (f"Staying put starts at 18: the arrangement must start on or after the "
                                       f"young person's 18th birthday ({govuk_date(rules.birthday(dob, 18))})")
    if start and not merged["staying_put_carer"]:
        errors["staying_put_carer"] = "Enter the name of the former foster carer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return update_with_history(care_leaver, actor=actor, expected_version=expected_version, child=child,
                                   **merged)
