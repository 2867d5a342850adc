"""Writes for contacts, screening, decisions, domestic abuse notifications, Operation Encompass
and information requests.

Each service checks its rules first, writes in a transaction and records an audit event
(one per child named, so each child's history shows it). Callers fetch contacts and
children through selectors.py and people.access; the services check the role again.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.accounts.policy import refuse
from opencsc.accounts.roles import Agency
from opencsc.assessment import services as assessment_services
from opencsc.casework import selectors as casework_selectors
from opencsc.casework import services as casework_services
from opencsc.casework.models import Allocation
from opencsc.codes import PRIMARY_NEED, REFERRAL_SOURCE
from opencsc.core.audit import audit, field_values, update_with_history
from opencsc.core.models import AuditEvent
from opencsc.people import services as people_services
from opencsc.people.models import Child

from . import policy, rules
from .models import (
    AGENCY_CHOICES,
    Contact,
    ContactChild,
    DomesticAbuseNotification,
    EncompassNotice,
    InformationRequest,
)

NO_CHILD = "Select or add at least one child the contact is about"
AGENCY_CODES = {code for code, _ in AGENCY_CHOICES}
POLICE_SOURCE = "6"  # DfE referral source: police


def _created(instance) -> dict:
    return {k: [None, v] for k, v in field_values(instance).items() if v not in (None, "", [], {})}


def _audit_children(*, actor, action, instance, children, changes, summary):
    for child in children:
        audit(actor=actor, action=action, instance=instance, child=child, changes=changes, summary=summary)


def _not_future(errors: dict, field: str, value, message: str) -> None:
    if value is not None and value > timezone.now() and field not in errors:
        errors[field] = message


# --- Contacts -----------------------------------------------------------------------------


def contact_create(
    *,
    actor,
    children: list[Child],
    received_at: dt.datetime | None,
    referrer_name: str,
    referral_source: str,
    concerns: str,
    new_children: list[dict] = (),
    out_of_hours: bool | None = None,
    referrer_role: str = "",
    referrer_agency: str = "",
    referrer_phone: str = "",
    match_check: dict | None = None,
) -> Contact:
    """Record a contact about one or more children (existing, or new ones created through people).

    Out of hours is worked out from the time received unless the caller says. `match_check` is what the
    worker was shown of a new child's possible matches and chose (`{"shown": [Child], "hidden": bool,
    "chosen": Child or None for a new record}`, see ContactForm.settle_new_child): it is audited.
    """
    policy.may_record_contact.require(actor)
    errors: dict[str, str] = {}
    if not children and not new_children:
        errors["children"] = NO_CHILD
    if received_at is None:
        errors["received_at"] = "Enter the date and time the contact was received"
    _not_future(errors, "received_at", received_at, "The date the contact was received must be today or in the past")
    if not (referrer_name or "").strip():
        errors["referrer_name"] = "Enter who made the contact"
    if referral_source not in REFERRAL_SOURCE:
        errors["referral_source"] = "Select the source of the contact"
    if referrer_agency and referrer_agency not in AGENCY_CODES:
        errors["referrer_agency"] = "Select their agency from the list"
    if not (concerns or "").strip():
        errors["concerns"] = "Enter the concerns"
    if errors:
        raise ValidationError(errors)
    if out_of_hours is None:
        out_of_hours = rules.is_out_of_hours(timezone.localtime(received_at))
    with transaction.atomic():
        named = list(dict.fromkeys(children))
        created = [people_services.child_create(actor=actor, **values) for values in new_children]
        named.extend(created)
        contact = Contact(
            received_at=received_at, out_of_hours=bool(out_of_hours), referrer_name=referrer_name.strip(),
            referrer_role=(referrer_role or "").strip(), referrer_agency=referrer_agency or "",
            referrer_phone=(referrer_phone or "").strip(), referral_source=referral_source,
            concerns=concerns.strip(), created_by=actor,
        )
        contact.full_clean()
        contact.save()
        ContactChild.objects.bulk_create([ContactChild(contact=contact, child=child) for child in named])
        _audit_children(actor=actor, action=AuditEvent.Action.CREATED, instance=contact, children=named,
                        changes=_created(contact), summary="Contact received at the front door")
        if match_check is not None:
            _audit_match_check(actor=actor, contact=contact, match_check=match_check, created=created)
    return contact


def _audit_match_check(*, actor, contact: Contact, match_check: dict, created: list[Child]) -> None:
    """Which possible matches of a new child the worker was shown, and what they chose."""
    chosen = match_check["chosen"]
    child = chosen if chosen is not None else (created[0] if created else None)
    shown = [c.la_child_id for c in match_check["shown"]]
    listed = ", ".join(shown) + (" and one in a record they may not see" if match_check["hidden"] else "")
    choice = (f"the existing record {chosen.la_child_id}" if chosen is not None
              else f"none of these, a new record{f' {child.la_child_id}' if child else ''}")
    audit(actor=actor, action=AuditEvent.Action.OTHER, instance=contact, child=child,
          changes={"possible_matches": [None, shown], "match_not_shown": [None, match_check["hidden"]],
                   "chosen": [None, chosen.la_child_id if chosen is not None else "new record"]},
          summary=f"Possible existing records shown ({listed or 'none'}): chose {choice}")


def contact_screen(*, actor, contact: Contact, level_of_need: str, screening_rationale: str,
                   expected_version: int | None) -> Contact:
    """A MASH practitioner applies the threshold: the level of need, with the reasons."""
    policy.may_screen_contact.require(actor)
    if contact.decided_at is not None:
        raise ValidationError("A manager has already decided on this contact")
    errors = {}
    if level_of_need not in Contact.Level.values:
        errors["level_of_need"] = "Select the level of need"
    if not (screening_rationale or "").strip():
        errors["screening_rationale"] = "Enter why this is the level of need"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update_with_history(
            contact, actor=actor, expected_version=expected_version, child=contact.children.first(),
            level_of_need=level_of_need, screening_rationale=screening_rationale.strip(),
            screened_by=actor, screened_at=timezone.now(),
        )
    return contact


def contact_decide(
    *,
    actor,
    contact: Contact,
    outcome: str,
    decision_rationale: str,
    expected_version: int | None,
    primary_need: str = "",
    decided_at: dt.datetime | None = None,
    team=None,
    worker=None,
) -> Contact:
    """A manager decides what happens next.

    A referral opens an episode of need for each child through the assessment app's service
    (or joins the episode already open); a strategy discussion starts its clock (`cp_concern`).
    Each child of a referral or strategy discussion who has no worker holding their case
    (``casework.selectors.holds_case_now``) is allocated there and then: to ``worker`` (in ``team``), or held
    in ``team`` awaiting allocation, where the team's managers find them ("Referrals awaiting allocation").
    The team is required when a child needs it; nobody is left without a team.
    """
    policy.may_decide_contact.require(actor)
    if contact.decided_at is not None:
        raise ValidationError("A manager has already decided on this contact")
    decided_at = decided_at or timezone.now()
    errors = {}
    if contact.screened_at is None:
        errors["__all__"] = "A MASH practitioner must screen the contact before a manager decides"
    if outcome not in Contact.Outcome.values:
        errors["outcome"] = "Select the decision"
    if not (decision_rationale or "").strip():
        errors["decision_rationale"] = "Enter the reasons for the decision"
    if decided_at < contact.received_at:
        errors["decided_at"] = "The decision must be after the contact was received"
    if outcome in (Contact.Outcome.REFERRAL, Contact.Outcome.STRATEGY) and primary_need not in PRIMARY_NEED:
        errors["primary_need"] = "Select the child's primary need, for the referral"
    links = list(contact.contact_children.select_related("child"))
    team = team if team is not None or worker is None else worker.team
    to_allocate = []
    if outcome in (Contact.Outcome.REFERRAL, Contact.Outcome.STRATEGY):
        to_allocate = needing_allocation([link.child for link in links])
        if to_allocate and team is None:
            errors["team"] = "Select the team to take the referral"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        update_with_history(
            contact, actor=actor, expected_version=expected_version, child=links[0].child if links else None,
            outcome=outcome, decision_rationale=decision_rationale.strip(), decided_by=actor, decided_at=decided_at,
        )
        if outcome in (Contact.Outcome.REFERRAL, Contact.Outcome.STRATEGY):
            referral_date = timezone.localdate(decided_at)
            for link in links:
                episode = link.child.cin_episodes.filter(closure_date__isnull=True).first()
                if episode is None:
                    episode = assessment_services.referral_create(
                        actor=actor, child=link.child, referral_date=referral_date,
                        referral_source=contact.referral_source, primary_need=primary_need,
                        referral_details=contact.concerns,
                    )
                link.episode = episode
                link.save(update_fields=["episode"])
            for child in to_allocate:
                _allocate_referral(actor=actor, child=child, team=team, worker=worker, on=referral_date)
    return contact


def needing_allocation(children: list[Child]) -> list[Child]:
    """The children no worker who may hold a case holds now (a referral must give them a team and worker)."""
    return [child for child in children if casework_selectors.holds_case_now(child) is None]


def _allocate_referral(*, actor, child: Child, team, worker, on: dt.date) -> None:
    """Allocate a referred child (to the worker, or held in the team), unless that is already their allocation."""
    current = list(Allocation.objects.filter(child=child, end_date__isnull=True))
    if any(a.team_id == team.pk and a.worker_id == getattr(worker, "pk", None) for a in current):
        return
    start = max([on, *(a.start_date for a in current)])
    casework_services.allocation_transfer(actor=actor, child=child, team=team, worker=worker, start_date=start,
                                          reason="Referral from the front door")


# --- Domestic abuse notifications and Operation Encompass ---------------------------------


def domestic_abuse_record(*, actor, contact: Contact, incident_at: dt.datetime | None, risk_level: str,
                          police_reference: str = "", children_present: bool = False) -> DomesticAbuseNotification:
    """Record that a contact is a police domestic abuse notification, with its risk screening."""
    policy.may_record_domestic_abuse.require(actor)
    if DomesticAbuseNotification.objects.filter(contact=contact).exists():
        raise ValidationError("This contact already has a domestic abuse notification")
    if contact.referral_source != POLICE_SOURCE:
        raise ValidationError("Only a contact from the police can be a domestic abuse notification")
    errors = {}
    if incident_at is None:
        errors["incident_at"] = "Enter the date and time of the incident"
    elif incident_at > contact.received_at:
        errors["incident_at"] = "The incident must be before the contact was received"
    if risk_level not in DomesticAbuseNotification.Risk.values:
        errors["risk_level"] = "Select the risk level"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notification = DomesticAbuseNotification(
            contact=contact, incident_at=incident_at, risk_level=risk_level,
            police_reference=(police_reference or "").strip(), children_present=bool(children_present),
            created_by=actor,
        )
        notification.full_clean()
        notification.save()
        _audit_children(actor=actor, action=AuditEvent.Action.CREATED, instance=notification,
                        children=contact.children.all(), changes=_created(notification),
                        summary="Domestic abuse notification recorded")
    return notification


def encompass_record(*, actor, notification: DomesticAbuseNotification, child: Child, school_name: str,
                     told_at: dt.datetime | None) -> EncompassNotice:
    """Operation Encompass: record which school was told about the incident, when and by whom."""
    policy.may_tell_school.require(actor)
    if not notification.contact.contact_children.filter(child=child).exists():
        raise ValidationError("This child is not named in the notification")
    if EncompassNotice.objects.filter(notification=notification, child=child).exists():
        raise ValidationError("The school has already been told about this incident")
    errors = {}
    if not (school_name or "").strip():
        errors["school_name"] = "Enter the school"
    if told_at is None:
        errors["told_at"] = "Enter the date and time the school was told"
    elif told_at < notification.incident_at:
        errors["told_at"] = "The school must be told after the incident"
    _not_future(errors, "told_at", told_at, "The date the school was told must be today or in the past")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = EncompassNotice(notification=notification, child=child, school_name=school_name.strip(),
                                 told_at=told_at, told_by=actor)
        notice.full_clean()
        notice.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=notice, child=child,
              changes=_created(notice), summary="School told (Operation Encompass)")
    return notice


# --- Information requests -----------------------------------------------------------------


def information_request_create(*, actor, contact: Contact, agency: str, rag: str, question: str,
                               requested_at: dt.datetime | None = None) -> InformationRequest:
    """Ask a partner agency for information; the deadline comes from the urgency (rules.RAG_DEADLINES)."""
    policy.may_request_information.require(actor)
    if contact.decided_at is not None:
        raise ValidationError("A manager has already decided on this contact")
    errors = {}
    if agency not in Agency.values:
        errors["agency"] = "Select the agency"
    if rag not in rules.RAG_DEADLINES:
        errors["rag"] = "Select how urgent the request is"
    if not (question or "").strip():
        errors["question"] = "Enter what the MASH needs to know"
    if errors:
        raise ValidationError(errors)
    requested_at = requested_at or timezone.now()
    with transaction.atomic():
        request = InformationRequest(
            contact=contact, agency=agency, rag=rag, question=question.strip(), requested_at=requested_at,
            due_at=rules.request_due(requested_at, rag), requested_by=actor,
        )
        request.full_clean()
        request.save()
        _audit_children(actor=actor, action=AuditEvent.Action.CREATED, instance=request,
                        children=contact.children.all(), changes=_created(request),
                        summary=f"Information requested from {request.get_agency_display().lower()}")
    return request


def information_request_answer(*, actor, request: InformationRequest, response: str,
                               expected_version: int | None) -> InformationRequest:
    """A practitioner of the agency asked answers the request (once)."""
    policy.may_answer_information_request.require(actor)
    if actor.agency != request.agency:
        refuse("Only the agency asked can answer this request", permission=policy.may_answer_information_request,
               user=actor, reference=f"information request {request.pk}")
    if request.responded_at is not None:
        raise ValidationError("This request has already been answered")
    if not (response or "").strip():
        raise ValidationError({"response": "Enter what your agency knows"})
    with transaction.atomic():
        update_with_history(request, actor=actor, expected_version=expected_version,
                            response=response.strip(), responded_at=timezone.now(), responded_by=actor)
    return request
