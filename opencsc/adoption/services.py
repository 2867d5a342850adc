"""Writes for plans for adoption, adoption reviews and visits, special guardianship and child
arrangements orders, and adopters' journeys.

Each service checks its rules first, writes in a transaction and records an audit event with
old and new values; a refused change raises ValidationError (keyed by field) and changes
nothing. Callers fetch the child through `people.access.child_for(..., action="record")` and
households through `adoption.access.adopter_for`; the services check access again.
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
from opencsc.people import services as people_services
from opencsc.people.models import Child, MatchCheck

from . import access as adopters_access
from . import policy
from .codes import REASON_PLACED_CEASED, SEX_OF_ADOPTERS
from .models import Adopter, AdopterHousehold, AdoptionPlan, AdoptionReview, AdoptionVisit, PermanenceOrder


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def _require_open(plan: AdoptionPlan) -> None:
    if plan.adoption_order_on is not None:
        raise ValidationError(f"The child was adopted on {govuk_date(plan.adoption_order_on)}")
    if plan.ended_on is not None:
        raise ValidationError(f"This plan for adoption ended on {govuk_date(plan.ended_on)}")


def _check_date(errors: dict, field: str, value: dt.date | None, name: str, *, after=()) -> None:
    """Required, not in the future, and on or after each (date, description) in `after`."""
    if value is None:
        errors[field] = f"Enter the {name}"
        return
    if value > timezone.localdate():
        errors[field] = f"The {name} must be today or in the past"
        return
    for earlier, what in after:
        if earlier is not None and value < earlier:
            errors[field] = f"The {name} must be the same as or after {what} ({govuk_date(earlier)})"
            return


def _update(plan: AdoptionPlan, *, actor, expected_version: int | None, **values) -> AdoptionPlan:
    with transaction.atomic():
        update_with_history(plan, actor=actor, child=plan.child,
                            expected_version=plan.version if expected_version is None else expected_version,
                            **values)
    plan.refresh_from_db()
    return plan


# --- The plan for adoption --------------------------------------------------------------------


def adoption_plan_start(
    *,
    actor,
    child: Child,
    entered_care_on: dt.date,
    should_be_placed_on: dt.date,
    decision_maker: str,
    concurrent_planning: bool = False,
    ffa_placed_on: dt.date | None = None,
) -> AdoptionPlan:
    """Record the agency decision maker's decision that the child should be placed for adoption."""
    access.require(actor, "record", child)
    decision_maker = (decision_maker or "").strip()
    errors: dict[str, str] = {}
    _check_date(errors, "entered_care_on", entered_care_on, "date the child started to be looked after",
                after=[(child.date_of_birth, "the child's date of birth")])
    _check_date(errors, "should_be_placed_on", should_be_placed_on, "date of the decision",
                after=[(entered_care_on, "the date the child started to be looked after")])
    if not decision_maker:
        errors["decision_maker"] = "Enter the name of the agency decision maker"
    if ffa_placed_on is not None:
        _check_date(errors, "ffa_placed_on", ffa_placed_on, "date of the fostering for adoption placement",
                    after=[(entered_care_on, "the date the child started to be looked after")])
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Child.objects.select_for_update().filter(pk=child.pk).first()
        previous = AdoptionPlan.objects.filter(child=child)
        current = next((p for p in previous if p.is_open), None)
        if current is not None:
            raise ValidationError(
                f"This child already has a plan for adoption, decided on {govuk_date(current.should_be_placed_on)}"
            )
        last_ended = max((p.ended_on for p in previous if p.ended_on), default=None)
        if last_ended and should_be_placed_on < last_ended:
            raise ValidationError({"should_be_placed_on": (
                f"The date of the decision must be the same as or after the last plan for adoption ended "
                f"({govuk_date(last_ended)})"
            )})
        plan = AdoptionPlan(
            child=child, entered_care_on=entered_care_on, should_be_placed_on=should_be_placed_on,
            decision_maker=decision_maker, concurrent_planning=bool(concurrent_planning),
            ffa_placed_on=ffa_placed_on, created_by=actor,
        )
        plan.full_clean()
        plan.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=plan, child=child, changes=_created(plan),
              summary="Decision that the child should be placed for adoption recorded")
    return plan


def placement_order_record(*, actor, plan: AdoptionPlan, placement_order_on: dt.date,
                           expected_version: int | None = None) -> AdoptionPlan:
    """The court's placement order (authority to place the child for adoption)."""
    access.require(actor, "record", plan.child)
    _require_open(plan)
    if plan.placement_order_on is not None:
        raise ValidationError(f"A placement order was recorded on {govuk_date(plan.placement_order_on)}")
    errors: dict[str, str] = {}
    _check_date(errors, "placement_order_on", placement_order_on, "date of the placement order",
                after=[(plan.should_be_placed_on, "the decision that the child should be placed for adoption")])
    if errors:
        raise ValidationError(errors)
    return _update(plan, actor=actor, expected_version=expected_version, placement_order_on=placement_order_on)


def adoption_match_record(*, actor, plan: AdoptionPlan, matched_on: dt.date, adopters: AdopterHousehold | None,
                          adopted_by_foster_carers: bool = False, lived_with_adopters_from: dt.date | None = None,
                          expected_version: int | None = None) -> AdoptionPlan:
    """The match of the child with approved adopters (SSDA903 AD1 DATE_MATCH)."""
    access.require(actor, "record", plan.child)
    adopters_access.require_adopters(actor, perm=policy.may_record_adopters)
    _require_open(plan)
    if plan.matched_on is not None:
        raise ValidationError(f"The child was matched on {govuk_date(plan.matched_on)}")
    errors: dict[str, str] = {}
    _check_date(errors, "matched_on", matched_on, "date of the match", after=[
        (plan.should_be_placed_on, "the decision that the child should be placed for adoption"),
        (plan.placement_order_on, "the placement order"),
    ])
    if adopters is None:
        errors["adopters"] = "Select the adopters"
    elif adopters.approved_on is None or adopters.withdrawn_on is not None:
        errors["adopters"] = "The child can only be matched with approved adopters"
    elif "matched_on" not in errors and matched_on < adopters.approved_on:
        errors["matched_on"] = f"The date of the match must be the same as or after the adopters were approved " \
                               f"({govuk_date(adopters.approved_on)})"
    if adopted_by_foster_carers:
        _check_date(errors, "lived_with_adopters_from", lived_with_adopters_from,
                    "date the child moved in with the adopters as foster carers",
                    after=[(plan.entered_care_on, "the date the child started to be looked after")])
    else:
        lived_with_adopters_from = None
    if errors:
        raise ValidationError(errors)
    return _update(plan, actor=actor, expected_version=expected_version, matched_on=matched_on, adopters=adopters,
                   adopted_by_foster_carers=bool(adopted_by_foster_carers),
                   lived_with_adopters_from=lived_with_adopters_from)


def adoptive_placement_record(*, actor, plan: AdoptionPlan, placed_on: dt.date,
                              expected_version: int | None = None) -> AdoptionPlan:
    """The child is placed with (moves in with) the adopters they were matched with."""
    access.require(actor, "record", plan.child)
    _require_open(plan)
    if plan.placed_on is not None:
        raise ValidationError(f"The child was placed for adoption on {govuk_date(plan.placed_on)}")
    if plan.matched_on is None:
        raise ValidationError({"placed_on": "Record the match with adopters before the placement"})
    errors: dict[str, str] = {}
    _check_date(errors, "placed_on", placed_on, "date the child was placed for adoption",
                after=[(plan.matched_on, "the match with adopters")])
    if errors:
        raise ValidationError(errors)
    return _update(plan, actor=actor, expected_version=expected_version, placed_on=placed_on)


def adoption_order_record(*, actor, plan: AdoptionPlan, adoption_order_on: dt.date,
                          expected_version: int | None = None) -> AdoptionPlan:
    """The adoption order: the child is adopted and the plan is complete."""
    access.require(actor, "record", plan.child)
    _require_open(plan)
    if plan.placed_on is None:
        raise ValidationError({"adoption_order_on": "Record the placement with adopters before the adoption order"})
    errors: dict[str, str] = {}
    _check_date(errors, "adoption_order_on", adoption_order_on, "date of the adoption order",
                after=[(plan.placed_on, "the child was placed for adoption")])
    if errors:
        raise ValidationError(errors)
    return _update(plan, actor=actor, expected_version=expected_version, adoption_order_on=adoption_order_on)


def adoption_plan_end(*, actor, plan: AdoptionPlan, ended_on: dt.date, end_reason: str, end_details: str = "",
                      expected_version: int | None = None) -> AdoptionPlan:
    """The decision that the child should be placed for adoption is reversed (the plan changed)."""
    access.require(actor, "record", plan.child)
    _require_open(plan)
    end_details = (end_details or "").strip()
    errors: dict[str, str] = {}
    latest = max(((d, w) for d, w in (
        (plan.should_be_placed_on, "the decision that the child should be placed for adoption"),
        (plan.placement_order_on, "the placement order"), (plan.matched_on, "the match with adopters"),
        (plan.placed_on, "the child was placed for adoption"),
    ) if d), key=lambda x: x[0])
    last_review = plan.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    _check_date(errors, "ended_on", ended_on, "date the plan for adoption ended",
                after=[latest, (last_review, "the last adoption review")])
    if end_reason not in REASON_PLACED_CEASED:
        errors["end_reason"] = "Select why the plan for adoption ended"
    if not end_details:
        errors["end_details"] = "Enter what the plan for the child is now"
    if errors:
        raise ValidationError(errors)
    return _update(plan, actor=actor, expected_version=expected_version, ended_on=ended_on, end_reason=end_reason,
                   end_details=end_details)


def adoption_review_record(*, actor, plan: AdoptionPlan, held_on: dt.date, notes: str = "") -> AdoptionReview:
    access.require(actor, "record", plan.child)
    _require_open(plan)
    errors: dict[str, str] = {}
    _check_date(errors, "held_on", held_on, "date of the review",
                after=[(plan.should_be_placed_on, "the decision that the child should be placed for adoption")])
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = AdoptionReview(plan=plan, held_on=held_on, notes=(notes or "").strip(), created_by=actor)
        review.full_clean()
        review.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=review, child=plan.child,
              changes=_created(review), summary="Adoption review recorded")
    return review


def adoption_visit_record(*, actor, plan: AdoptionPlan, visited_on: dt.date, seen_alone: bool = False,
                          notes: str = "") -> AdoptionVisit:
    """A visit to a child placed for adoption (refused before the child is placed)."""
    access.require(actor, "record", plan.child)
    _require_open(plan)
    if plan.placed_on is None:
        raise ValidationError({"visited_on": "Visits are recorded once the child is placed for adoption"})
    errors: dict[str, str] = {}
    _check_date(errors, "visited_on", visited_on, "date of the visit",
                after=[(plan.placed_on, "the child was placed for adoption")])
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = AdoptionVisit(plan=plan, visited_on=visited_on, seen_alone=bool(seen_alone),
                              notes=(notes or "").strip(), created_by=actor)
        visit.full_clean()
        visit.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=visit, child=plan.child,
              changes=_created(visit), summary="Visit to a child placed for adoption recorded")
    return visit


# --- Special guardianship and child arrangements orders ------------------------------------


def permanence_order_record(*, actor, child: Child, kind: str, made_on: dt.date, guardians: str,
                            relationship: str, support_plan: bool = False) -> PermanenceOrder:
    access.require(actor, "record", child)
    guardians, relationship = (guardians or "").strip(), (relationship or "").strip()
    errors: dict[str, str] = {}
    if kind not in PermanenceOrder.Kind.values:
        errors["kind"] = "Select the type of order"
    _check_date(errors, "made_on", made_on, "date the order was made",
                after=[(child.date_of_birth, "the child's date of birth")])
    if not guardians:
        errors["guardians"] = "Enter the special guardian or carer"
    if not relationship:
        errors["relationship"] = "Enter their relationship to the child"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        order = PermanenceOrder(child=child, kind=kind, made_on=made_on, guardians=guardians,
                                relationship=relationship, support_plan=bool(support_plan), created_by=actor)
        order.full_clean()
        order.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=order, child=child,
              changes=_created(order), summary=f"{order.get_kind_display()} recorded")
    return order


# --- Adopters -----------------------------------------------------------------------------

STAGE_STEPS = {
    "stage_one_on": ("enquiry_on", "date stage one started", "the enquiry"),
    "stage_two_on": ("stage_one_on", "date stage two started", "stage one started"),
    "approved_on": ("stage_two_on", "date of approval", "stage two started"),
}


def adopter_household_create(*, actor, name: str, enquiry_on: dt.date, adopters: str = "") -> AdopterHousehold:
    adopters_access.require_adopters(actor, perm=policy.may_record_adopters)
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the household's name"
    _check_date(errors, "enquiry_on", enquiry_on, "date of the enquiry")
    if adopters and adopters not in SEX_OF_ADOPTERS:
        errors["adopters"] = "Select who the adopters are"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        household = AdopterHousehold(name=name, enquiry_on=enquiry_on, adopters=adopters, created_by=actor)
        household.full_clean()
        household.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=household, changes=_created(household),
              summary="Adopters' enquiry recorded")
    return household


def adopter_add(*, actor, household: AdopterHousehold, first_name: str, last_name: str,
                date_of_birth: dt.date | None = None, sex: str = "U", matches=None, chosen=None) -> Adopter:
    """Record one of the household's adopters: the existing person `chosen` from the possible matches
    (people.selectors.possible_people), or a new person. What was shown and chosen is recorded
    (people.MatchCheck) when there were possible matches."""
    adopters_access.require_adopters(actor, perm=policy.may_record_adopters)
    if household.withdrawn_on:
        raise ValidationError(f"These adopters withdrew on {govuk_date(household.withdrawn_on)}")
    if chosen is not None and chosen.kind != "person":
        raise ValidationError({"match": ["Select a person, or none of these to add a new person"]})
    with transaction.atomic():
        if chosen is not None:
            person = chosen.record
            if Adopter.objects.filter(household=household, person=person).exists():
                raise ValidationError({"match": [f"{person} is already one of these adopters"]})
        else:
            person = people_services.person_create(actor=actor, first_name=first_name, last_name=last_name,
                                                   date_of_birth=date_of_birth, sex=sex or "U")
        check = None
        if matches:
            check = people_services.match_check_record(
                actor=actor, subject=MatchCheck.Subject.ADOPTER, first_name=first_name, last_name=last_name,
                date_of_birth=date_of_birth, matches=matches, chosen=chosen, person=person)
        adopter = Adopter(household=household, person=person, match_check=check, added_by=actor)
        adopter.full_clean()
        adopter.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=adopter, changes=_created(adopter),
              summary=f"Adopter recorded in {household.name}: {person}"
                      + (" (an existing record)" if chosen is not None else ""))
    return adopter


def next_stage(household: AdopterHousehold) -> str | None:
    """The field of the next step in the household's journey, or None when approved or withdrawn."""
    if household.withdrawn_on:
        return None
    return next((f for f in STAGE_STEPS if getattr(household, f) is None), None)


def adopter_stage_record(*, actor, household: AdopterHousehold, on: dt.date,
                         expected_version: int | None = None) -> AdopterHousehold:
    """Move the household to the next stage of their journey on this date."""
    adopters_access.require_adopters(actor, perm=policy.may_record_adopters)
    field = next_stage(household)
    if field is None:
        raise ValidationError("These adopters have no further stage to record")
    previous, name, after = STAGE_STEPS[field]
    errors: dict[str, str] = {}
    _check_date(errors, "on", on, name, after=[(getattr(household, previous), after)])
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update_with_history(household, actor=actor,
                            expected_version=household.version if expected_version is None else expected_version,
                            **{field: on})
    household.refresh_from_db()
    return household


def adopter_withdraw(*, actor, household: AdopterHousehold, withdrawn_on: dt.date, withdrawal_reason: str,
                     expected_version: int | None = None) -> AdopterHousehold:
    """The adopters withdraw, or are not approved, with the reason."""
    adopters_access.require_adopters(actor, perm=policy.may_record_adopters)
    if household.withdrawn_on:
        raise ValidationError(f"These adopters withdrew on {govuk_date(household.withdrawn_on)}")
    withdrawal_reason = (withdrawal_reason or "").strip()
    latest = max(d for d in (household.enquiry_on, household.stage_one_on, household.stage_two_on,
                             household.approved_on) if d)
    errors: dict[str, str] = {}
    _check_date(errors, "withdrawn_on", withdrawn_on, "date they withdrew",
                after=[(latest, "their last stage")])
    if not withdrawal_reason:
        errors["withdrawal_reason"] = "Enter the reason"
    open_match = household.plans.filter(ended_on__isnull=True, adoption_order_on__isnull=True).exists()
    if open_match:
        errors["__all__"] = "These adopters are matched with a child: end that plan for adoption first"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update_with_history(household, actor=actor,
                            expected_version=household.version if expected_version is None else expected_version,
                            withdrawn_on=withdrawn_on, withdrawal_reason=withdrawal_reason)
    household.refresh_from_db()
    return household
