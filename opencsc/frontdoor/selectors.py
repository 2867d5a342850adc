"""Reads for the front door. Every child comes through `people.access`.

A contact is visible only when the reader can see every child it names: a contact about a
restricted child vanishes from lists, and opening it is refused (404) and logged, as for the
child's record. Partner agency users see only the requests sent to their agency, with the
least about the child needed to answer (name, date of birth, the question).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opencsc.accounts.access_records import REFUSED, log_access, log_accesses
from opencsc.accounts.roles import Agency
from opencsc.casework.models import Allocation
from opencsc.casework.selectors import (
    Alert,
    allocatable_workers,
    allocation_teams,
    child_alerts,
    holds_case_now,
)
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.people.selectors import possible_duplicates
from opencsc.timescales.authority import timescale as authority_timescale

from . import policy, rules
from .models import Contact, ContactChild, DomesticAbuseNotification, EncompassNotice, InformationRequest

STATUSES = {
    "screening": Q(screened_at__isnull=True, decided_at__isnull=True),
    "awaiting_decision": Q(screened_at__isnull=False, decided_at__isnull=True),
    "decided": Q(decided_at__isnull=False),
}


@dataclass
class PossibleMatch:
    child: Child
    alerts: list[Alert]


@dataclass
class NewChildMatches:
    """Children already known who may be the new child typed on the contact form."""

    matches: list[PossibleMatch]
    hidden: bool = False  # a possible match exists in a record the user may not see

    def __bool__(self) -> bool:
        return bool(self.matches) or self.hidden

    @property
    def children(self) -> list[Child]:
        return [m.child for m in self.matches]


def new_child_matches(*, user, first_name: str, last_name: str,
                      date_of_birth: dt.date | None = None) -> NewChildMatches:
    """The same matching as /children/new/ (people.selectors.possible_duplicates), with the alerts of each
    match the user may see; of a match they may not see only that one exists is said."""
    check = possible_duplicates(user=user, first_name=first_name, last_name=last_name,
                                date_of_birth=date_of_birth)
    return NewChildMatches(matches=[PossibleMatch(child, child_alerts(child)) for child in check.visible],
                           hidden=check.hidden)


def _hidden_children(user, contact_ref) -> QuerySet[ContactChild]:
    return ContactChild.objects.filter(contact=contact_ref).exclude(child__in=children_for(user))


def contacts_for(user) -> QuerySet[Contact]:
    """Contacts whose every child this user may see (none for roles outside the front door)."""
    if not policy.may_view_contacts(user):
        return Contact.objects.none()
    return Contact.objects.filter(~Exists(_hidden_children(user, OuterRef("pk"))))


def _children_prefetch():
    return Prefetch("contact_children", queryset=ContactChild.objects.select_related("child", "episode"))


def contact_list(*, user, query: str = "", status: str = "", outcome: str = "", out_of_hours: str = ""
                 ) -> QuerySet[Contact]:
    """The front door's contacts, newest first, searched by child's name or LA child ID, or referrer."""
    qs = contacts_for(user)
    for word in (query or "").split():
        named = ContactChild.objects.filter(contact=OuterRef("pk")).filter(
            Q(child__first_name__icontains=word) | Q(child__last_name__icontains=word)
            | Q(child__la_child_id__iexact=word)
        )
        qs = qs.filter(Exists(named) | Q(referrer_name__icontains=word))
    if status in STATUSES:
        qs = qs.filter(STATUSES[status])
    if outcome in Contact.Outcome.values:
        qs = qs.filter(outcome=outcome)
    if out_of_hours in ("yes", "no"):
        qs = qs.filter(out_of_hours=out_of_hours == "yes")
    return qs.select_related("decided_by").prefetch_related(_children_prefetch()).order_by("-received_at", "-id")


def _refuse(user, request, reference, child=None):
    log_access(user, child=child, reference=reference, path=request.get_full_path() if request else "",
               outcome=REFUSED)
    raise Http404("Page not found")


def contact_for(*, user, pk, request=None) -> Contact:
    """One contact, if this user may see every child it names; else 404 (logged). A role that may not see
    contacts at all is refused (403, logged) before anything is looked up."""
    policy.may_view_contacts.require(user, request=request)
    contact = (
        Contact.objects.filter(pk=pk).select_related("created_by", "screened_by", "decided_by")
        .prefetch_related(_children_prefetch()).first()
    )
    if contact is None:
        _refuse(user, request, f"contact {pk}")
    hidden = _hidden_children(user, contact.pk).select_related("child").first()
    if hidden is not None:
        _refuse(user, request, f"contact {pk}", hidden.child)
    path = (request.get_full_path() if request else "")[:500]
    # one row per child named, as people.access logs a view of a record
    log_accesses(user, children=[link.child for link in contact.contact_children.all()], path=path)
    return contact


def contact_detail(contact: Contact) -> dict:
    today = timezone.localdate()
    received = timezone.localdate(contact.received_at)
    decided = timezone.localdate(contact.decided_at) if contact.decided_at else None
    notification = DomesticAbuseNotification.objects.filter(contact=contact).first()
    notices = {}
    if notification is not None:
        notices = {n.child_id: n for n in notification.encompass_notices.select_related("told_by")}
    now = timezone.now()
    requests = [
        {"request": r, "late": rules.request_is_late(r.due_at, now, r.responded_at)}
        for r in contact.information_requests.select_related("requested_by", "responded_by").order_by("requested_at")
    ]
    decision = authority_timescale(rules.DECISION_RULE).verdict(received, today, decided)
    return {
        "decision_due": decision.due,
        "decision_rag": decision.rag,
        "decision_overdue": decision.overdue_text,
        "notification": notification,
        "encompass": [(link, notices.get(link.child_id)) for link in contact.contact_children.all()],
        "requests": requests,
        "allocations": open_allocations(contact) if contact.outcome in (
            Contact.Outcome.REFERRAL, Contact.Outcome.STRATEGY) else [],
    }


def child_contacts(child: Child) -> QuerySet[Contact]:
    return (Contact.objects.filter(contact_children__child=child).select_related("decided_by")
            .order_by("-received_at", "-id"))


def notification_child_for(*, user, contact: Contact, child_id, request=None) -> tuple[DomesticAbuseNotification, Child]:
    notification = DomesticAbuseNotification.objects.filter(contact=contact).first()
    link = next((link for link in contact.contact_children.all() if link.child_id == child_id), None)
    if notification is None or link is None:
        _refuse(user, request, f"contact {contact.pk} child {child_id}")
    return notification, link.child


def encompass_outstanding(*, user) -> QuerySet[ContactChild]:
    """Children in domestic abuse notifications whose school has not yet been told, oldest incident first."""
    told = EncompassNotice.objects.filter(notification__contact=OuterRef("contact"), child=OuterRef("child"))
    return (
        ContactChild.objects.filter(contact__in=contacts_for(user), contact__domestic_abuse__isnull=False)
        .filter(~Exists(told))
        .select_related("child", "contact__domestic_abuse")
        .order_by("contact__domestic_abuse__incident_at", "id")
    )


# --- Information requests -----------------------------------------------------------------


def requests_visible_to(user) -> QuerySet[InformationRequest]:
    """For a partner: the requests sent to their agency, about children not restricted from them.
    For the front door: requests on contacts they may see."""
    if policy.may_answer_information_request(user):
        if not user.agency:
            return InformationRequest.objects.none()
        restricted = ContactChild.objects.filter(contact=OuterRef("contact"), child__is_restricted=True).exclude(
            child__access_grants__user=user)
        return InformationRequest.objects.filter(agency=user.agency).filter(~Exists(restricted))
    return InformationRequest.objects.filter(contact__in=contacts_for(user))


def partner_requests(*, user, show: str = "open") -> QuerySet[InformationRequest]:
    qs = requests_visible_to(user).filter(responded_at__isnull=show != "answered")
    order = ("due_at", "id") if show != "answered" else ("-responded_at", "-id")
    return qs.prefetch_related(
        Prefetch("contact__contact_children", queryset=ContactChild.objects.select_related("child"))
    ).order_by(*order)


def partner_request_for(*, user, pk, request=None) -> InformationRequest:
    """A request sent to the user's agency; anything else is 404 and logged. Anyone but a partner agency
    practitioner is refused (403, logged) before anything is looked up."""
    policy.may_answer_information_request.require(user, request=request)
    found = (requests_visible_to(user).filter(pk=pk).select_related("contact", "responded_by")
             .prefetch_related(Prefetch("contact__contact_children",
                                        queryset=ContactChild.objects.select_related("child"))).first())
    if found is None:
        link = ContactChild.objects.filter(contact__information_requests__pk=pk).select_related("child").first()
        _refuse(user, request, f"information request {pk}", link.child if link else None)
    return found


@dataclass(frozen=True)
class BoardCell:
    agency: str
    label: str
    rag: str
    open: int
    late: int


def rag_board(*, user, now: dt.datetime | None = None) -> dict:
    """Every open request, counted by agency and urgency (one query), and the open ones, most late first."""
    now = now or timezone.now()
    open_requests = requests_visible_to(user).filter(responded_at__isnull=True)
    counts = {
        (row["agency"], row["rag"]): row
        for row in open_requests.values("agency", "rag").annotate(
            open=Count("id"), late=Count("id", filter=Q(due_at__lt=now)))
    }
    rows = []
    for agency, label in Agency.choices:
        cells = [counts.get((agency, rag), {"open": 0, "late": 0}) for rag in rules.RAG_DEADLINES]
        rows.append({
            "agency": agency, "label": label,
            "cells": [BoardCell(agency, label, rag, c["open"], c["late"])
                      for rag, c in zip(rules.RAG_DEADLINES, cells, strict=True)],
            "open": sum(c["open"] for c in cells), "late": sum(c["late"] for c in cells),
        })
    return {"rows": rows, "requests": open_requests}


def board_requests(*, user, agency: str = "", rag: str = "", late: bool = False, now=None) -> QuerySet:
    now = now or timezone.now()
    qs = requests_visible_to(user).filter(responded_at__isnull=True)
    if agency in Agency.values:
        qs = qs.filter(agency=agency)
    if rag in rules.RAG_DEADLINES:
        qs = qs.filter(rag=rag)
    if late:
        qs = qs.filter(due_at__lt=now)
    return qs.select_related("requested_by").prefetch_related(
        Prefetch("contact__contact_children", queryset=ContactChild.objects.select_related("child"))
    ).order_by("due_at", "id")


# --- Dashboard ----------------------------------------------------------------------------

MEASURES = {
    "received": "Contacts received",
    "decided_in_time": "Decided within 1 working day",
    "decided_late": "Decided after 1 working day",
    "undecided": "Waiting for a decision",
    "referral": "Became referrals (or strategy discussions)",
}


def _period_contacts(user, date_from: dt.date, date_to: dt.date) -> QuerySet[Contact]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return contacts_for(user).filter(received_at__gte=start, received_at__lt=end)


def _in_time(received_at, decided_at, timescale) -> bool:
    return rules.decided_in_time(timezone.localdate(received_at), timezone.localdate(decided_at), timescale)


def dashboard(*, user, date_from: dt.date, date_to: dt.date) -> dict:
    """The front door's figures for contacts received between the dates (a bounded number of queries)."""
    rows = list(_period_contacts(user, date_from, date_to).values_list("received_at", "decided_at", "outcome",
                                                                      "out_of_hours"))
    decided = [(r, d) for r, d, _, _ in rows if d]
    decision = authority_timescale(rules.DECISION_RULE)
    in_time = sum(1 for r, d in decided if _in_time(r, d, decision))
    referrals = sum(1 for _, _, o, _ in rows if o in (Contact.Outcome.REFERRAL, Contact.Outcome.STRATEGY))
    outcomes = {value: 0 for value in Contact.Outcome.values}
    for _, _, outcome, _ in rows:
        if outcome:
            outcomes[outcome] += 1
    return {
        "received": len(rows),
        "out_of_hours": sum(1 for row in rows if row[3]),
        "decided": len(decided),
        "decided_in_time": in_time,
        "decided_late": len(decided) - in_time,
        "undecided": len(rows) - len(decided),
        "in_time_percent": round(100 * in_time / len(decided)) if decided else None,
        "referral": referrals,
        "conversion_percent": round(100 * referrals / len(decided)) if decided else None,
        "outcomes": [(Contact.Outcome(v).label, n) for v, n in outcomes.items()],
        "board": rag_board(user=user)["rows"],
    }


def measure_children(*, user, measure: str, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Drill-down: the children behind one figure, with their contact (one query)."""
    qs = _period_contacts(user, date_from, date_to)
    if measure == "undecided":
        qs = qs.filter(decided_at__isnull=True)
    elif measure == "referral":
        qs = qs.filter(outcome__in=[Contact.Outcome.REFERRAL, Contact.Outcome.STRATEGY])
    elif measure in ("decided_in_time", "decided_late"):
        qs = qs.filter(decided_at__isnull=False)
    links = (ContactChild.objects.filter(contact__in=qs).select_related("child", "contact")
             .order_by(F("contact__received_at").desc(), "id"))
    out = []
    decision = authority_timescale(rules.DECISION_RULE)
    for link in links:
        contact = link.contact
        if measure in ("decided_in_time", "decided_late"):
            if _in_time(contact.received_at, contact.decided_at, decision) != (measure == "decided_in_time"):
                continue
        out.append({"child": link.child, "contact": contact})
    return out


# --- Work queues (frontdoor/work.py) -------------------------------------------------------


def clock_text(verdict, today: dt.date) -> str:
    """The decision clock in the engine's words: '1 working day overdue' (the engine's overdue text), 'Due
    today', or 'Due 7 Dec 2026'."""
    if verdict.overdue_text:
        return verdict.overdue_text
    due = verdict.due.date() if isinstance(verdict.due, dt.datetime) else verdict.due
    return "Due today" if due <= today else f"Due {govuk_date(due)}"


def decision_clocks(contacts, *, today: dt.date | None = None) -> dict[int, object]:
    """Each contact's decision clock (the engine's ``contact_decision`` verdict), by contact pk: one query."""
    today = today or timezone.localdate()
    decision = authority_timescale(rules.DECISION_RULE)
    return {c.pk: decision.verdict(timezone.localdate(c.received_at), today,
                                   timezone.localdate(c.decided_at) if c.decided_at else None) for c in contacts}


def contacts_awaiting(*, user, status: str) -> QuerySet[Contact]:
    """Contacts in one state ('screening' or 'awaiting_decision') this user may see, oldest first."""
    return (contacts_for(user).filter(STATUSES[status]).select_related("screened_by")
            .prefetch_related(_children_prefetch()).order_by("received_at", "id"))


def open_requests_for_partner(*, user) -> QuerySet[InformationRequest]:
    """The requests sent to a partner's agency still waiting for their answer, soonest due first."""
    if not policy.may_answer_information_request(user):
        return InformationRequest.objects.none()
    return partner_requests(user=user, show="open")


def allocation_choices(*, user) -> dict:
    """For the decision form: the teams and workers a referral may go to, and the team offered first (the
    manager's own, if it holds cases)."""
    teams = list(allocation_teams())
    likely = next((t for t in teams if t.pk == user.team_id), None)
    return {"teams": teams, "workers": allocatable_workers(), "likely_team": likely}


def current_allocations(contact: Contact) -> list[tuple[Child, object]]:
    """Each child of the contact with the allocation holding their case now (None: they need one)."""
    return [(link.child, holds_case_now(link.child)) for link in contact.contact_children.all()]


def open_allocations(contact: Contact) -> list[tuple[Child, Allocation]]:
    """The open allocations of the contact's children (team, and worker if any), child by child: one query."""
    children = {link.child_id: link.child for link in contact.contact_children.all()}
    rows = (Allocation.objects.filter(child_id__in=children, end_date__isnull=True)
            .select_related("worker", "team").order_by("child_id", "-start_date", "-id"))
    return [(children[a.child_id], a) for a in rows]
