"""This app's source in the event log: contacts in the chronology (received, screened, decided, each at its
time), and the clocks they start.

`contact_received` / `contact_decided` run the 1-working-day decision clock per contact
(scope `contact:<pk>`); a decision for a strategy discussion starts its clock (`cp_concern`).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opencsc.core import events

from .models import Contact, ContactChild


def _contact_facts(link: ContactChild):
    """Per child named: received (starts the decision clock), screened and decided (stops it; a strategy
    discussion starts its own clock). Over for good once decided (by the end of the decision's day),
    unless the decision was for a strategy discussion or is dated before the contact was received."""
    contact = link.contact
    scope = f"contact:{contact.pk}"
    url = reverse("frontdoor:child_contacts", args=[link.child_id])
    decided_at = contact.decided_at
    decided = timezone.localdate(decided_at) if decided_at else None
    settled = decided if (decided_at and decided_at >= contact.received_at
                          and contact.outcome != Contact.Outcome.STRATEGY) else None
    common = {"child_id": link.child_id, "category": "Front door", "url": url, "recorded_at": contact.created_at,
              "scope": scope, "settled_on": settled}
    yield events.Fact(
        on=timezone.localdate(contact.received_at), at=contact.received_at, seq=0,
        title="Contact received" + (" out of hours" if contact.out_of_hours else ""),
        detail=f"From {contact.referrer_name}: {contact.concerns[:200]}", author_id=contact.created_by_id,
        clock="contact_received", **common,
    )
    if contact.screened_at is not None:  # seq 3: the decision's seq was 1 before screening was shown
        yield events.Fact(
            on=timezone.localdate(contact.screened_at), at=contact.screened_at, seq=3,
            title="Contact screened",
            detail=". ".join(t for t in (contact.get_level_of_need_display(), contact.screening_rationale[:200]) if t),
            author_id=contact.screened_by_id, **common,
        )
    if decided is not None:
        yield events.Fact(
            on=decided, at=decided_at, seq=1, title=f"Contact decided: {contact.get_outcome_display().lower()}",
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
