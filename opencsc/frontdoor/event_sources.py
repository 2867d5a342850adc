"""This app's entries in the event registry: contacts in the chronology, and the clocks they start.

`contact_received` / `contact_decided` run the 1-working-day decision clock per contact
(scope `contact:<pk>`); a decision for a strategy discussion starts its clock (`cp_concern`).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from opencsc.casework.events import (
    ChronologyItem,
    ClockEvent,
    EventSource,
    children_query,
    of_children,
    register,
    within,
)
from opencsc.core import events
from opencsc.core.prepared import prepared

from .models import Contact, ContactChild


@prepared
def _contact_rows(child_id):
    return ContactChild.objects.filter(child_id=child_id).select_related("contact__created_by",
                                                                         "contact__decided_by")


def _contacts(child, date_from=None, date_to=None):
    """Contacts received and decided: one query."""
    url = reverse("frontdoor:child_contacts", args=[child.pk])
    for link in _contact_rows(child.pk):
        contact = link.contact
        received = timezone.localdate(contact.received_at)
        decided = timezone.localdate(contact.decided_at) if contact.decided_at else None
        for day, title, detail, who, order in (
            (received, "Contact received" + (" out of hours" if contact.out_of_hours else ""),
             f"From {contact.referrer_name}: {contact.concerns[:200]}", contact.created_by, 0),
            (decided, f"Contact decided: {contact.get_outcome_display().lower()}", contact.decision_rationale[:200],
             contact.decided_by, 1),
        ):
            if not within(day, date_from, date_to):
                continue
            yield ChronologyItem(
                date=day, source="contact", category="Front door", title=title, detail=detail, url=url,
                significant=order == 1 and contact.outcome in (Contact.Outcome.REFERRAL, Contact.Outcome.STRATEGY),
                author=who.display_name if who else "", sort_key=(contact.pk, order),
            )


_CLOCK_COLUMNS = ("child_id", "contact_id", "contact__received_at", "contact__decided_at", "contact__outcome")


@children_query
def _contact_clock_rows(children):
    return of_children(ContactChild.objects.all(), children).values_list(*_CLOCK_COLUMNS)


def contact_clock_events(children):
    """One query for any number of children."""
    return _contact_events(_contact_clock_rows(children))


def _contact_events(rows):
    local = timezone.get_current_timezone()  # once: timezone.localdate() looks it up for every date
    for child_id, contact_id, received_at, decided_at, outcome in rows:
        scope = f"contact:{contact_id}"
        yield ClockEvent(child_id=child_id, event="contact_received", on=received_at.astimezone(local).date(),
                         scope=scope)
        if decided_at:
            decided = decided_at.astimezone(local).date()
            yield ClockEvent(child_id=child_id, event="contact_decided", on=decided, scope=scope)
            if outcome == Contact.Outcome.STRATEGY:
                yield ClockEvent(child_id=child_id, event="cp_concern", on=decided, scope=scope)


@children_query
def _open_contact_rows(children, *, on_or_before):
    day_after = timezone.make_aware(dt.datetime.combine(on_or_before + dt.timedelta(days=1), dt.time.min))
    still_open = (Q(contact__decided_at__isnull=True) | Q(contact__decided_at__gte=day_after)
                  | Q(contact__decided_at__lt=F("contact__received_at")) | Q(contact__outcome=Contact.Outcome.STRATEGY))
    return of_children(ContactChild.objects.filter(still_open), children).values_list(*_CLOCK_COLUMNS)


def open_contact_clock_events(children, on_or_before):
    """The events of the contacts not yet decided by the end of the date, and of those decided
    to need a strategy discussion (which starts a clock of its own): see ``closes``."""
    return _contact_events(_open_contact_rows(children, on_or_before=on_or_before))


register(EventSource(
    key="contact", label="Contacts", fetch=_contacts,
    starts_clocks=("contact_received", "cp_concern"), stops_clocks=("contact_decided",),
    clock_events=contact_clock_events, open_clock_events=open_contact_clock_events,
    closes=(("contact_received", "contact_decided"),),
))


# --- The event log (core/events.py): the same entries, written by the services -----------------


def _contact_facts(link: ContactChild):
    """Per child named: received (starts the decision clock) and decided (stops it; a strategy
    discussion starts its own clock). Over for good once decided (by the end of the decision's day),
    unless the decision was for a strategy discussion or is dated before the contact was received."""
    contact = link.contact
    scope = f"contact:{contact.pk}"
    url = reverse("frontdoor:child_contacts", args=[link.child_id])
    decided_at = contact.decided_at
    decided = events.local_day(decided_at) if decided_at else None
    settled = decided if (decided_at and decided_at >= contact.received_at
                          and contact.outcome != Contact.Outcome.STRATEGY) else None
    common = {"child_id": link.child_id, "category": "Front door", "url": url, "recorded_at": contact.created_at,
              "scope": scope, "settled_on": settled}
    yield events.Fact(
        on=events.local_day(contact.received_at), seq=0,
        title="Contact received" + (" out of hours" if contact.out_of_hours else ""),
        detail=f"From {contact.referrer_name}: {contact.concerns[:200]}", author_id=contact.created_by_id,
        clock="contact_received", **common,
    )
    if decided is not None:
        yield events.Fact(
            on=decided, seq=1, title=f"Contact decided: {contact.get_outcome_display().lower()}",
            detail=contact.decision_rationale[:200],
            significant=contact.outcome in (Contact.Outcome.REFERRAL, Contact.Outcome.STRATEGY),
            author_id=contact.decided_by_id, clock="contact_decided", **common,
        )
        if contact.outcome == Contact.Outcome.STRATEGY:
            yield events.Fact(on=decided, seq=2, clock="cp_concern",
                              **{k: v for k, v in common.items() if k not in ("category", "url")})


events.register(events.Source(
    key="contact", label="Contacts", model="frontdoor.ContactChild", project=_contact_facts,
    related=("contact",), follows={"frontdoor.Contact": "contact"},
    starts_clocks=("contact_received", "cp_concern"), stops_clocks=("contact_decided",),
    closes=(("contact_received", "contact_decided"),),
))
