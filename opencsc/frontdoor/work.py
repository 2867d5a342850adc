"""The front door's work queues (core.work), registered from FrontdoorConfig.ready():

- "Contacts awaiting your decision": screened contacts, for the managers who decide them (service managers,
  and the team managers of the front-door teams: the MASH and referral and assessment), with the decision
  clock from the timescales engine (``contact_decision``: its due date and its own overdue words);
- "Contacts to screen": contacts not yet screened, for the MASH (the decision clock runs from receipt);
- "Information requests for you to answer": a partner agency's open requests, by their RAG deadline.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role, TeamKind
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.core.work import WorkItem, WorkQueue, register_queue

from . import policy, rules, selectors

# The teams whose managers decide contacts (every manager may; these are the ones whose work it is).
DECIDING_TEAM_KINDS = frozenset({TeamKind.MASH, TeamKind.REFERRAL_ASSESSMENT})


def decides_contacts(user) -> bool:
    """Whose work the front door's decisions are: service managers, and the managers of the front-door teams."""
    if not policy.may_decide_contact(user):
        return False
    return user.role == Role.SERVICE_MANAGER or (user.team is not None and user.team.kind in DECIDING_TEAM_KINDS)


def screens_contacts(user) -> bool:
    """Whose work screening is: the MASH practitioners, and the managers who decide contacts."""
    if not policy.may_screen_contact(user):
        return False
    return user.role == Role.MASH_PRACTITIONER or decides_contacts(user)


def _subject(contact) -> str:
    return ", ".join(f"{link.child.full_name} ({link.child.la_child_id})" if link.child.la_child_id
                     else link.child.full_name for link in contact.contact_children.all())


def _contact_items(user, status: str, label: str, detail) -> list[WorkItem]:
    contacts = list(selectors.contacts_awaiting(user=user, status=status))
    today = timezone.localdate()
    clocks = selectors.decision_clocks(contacts, today=today)
    return [
        WorkItem(label=label, url=reverse("frontdoor:contact_detail", args=[c.pk]), subject=_subject(c),
                 since=c.received_at, due=clocks[c.pk].due, due_text=selectors.clock_text(clocks[c.pk], today),
                 overdue=bool(clocks[c.pk].overdue_text), detail=detail(c))
        for c in contacts
    ]


def decision_items(user) -> list[WorkItem]:
    """Screened contacts waiting for a manager's decision, oldest first, with the decision clock."""
    return _contact_items(user, "awaiting_decision", "Decide what happens next", lambda c: (
        f"{c.get_level_of_need_display()}. Screened by "
        f"{c.screened_by.display_name if c.screened_by else 'the MASH'}"))


def screening_items(user) -> list[WorkItem]:
    """Contacts waiting to be screened, oldest first; the decision clock is already running."""
    return _contact_items(user, "screening", "Screen the contact", lambda c: f"From {c.referrer_name}")


def request_items(user) -> list[WorkItem]:
    """A partner's open information requests, soonest due first (the RAG deadline: frontdoor.rules)."""
    now = timezone.now()
    items = []
    for request in selectors.open_requests_for_partner(user=user):
        late = rules.request_is_late(request.due_at, now)
        children = ", ".join(link.child.full_name for link in request.contact.contact_children.all())
        items.append(WorkItem(
            label="Answer the request", url=reverse("frontdoor:partner_request", args=[request.pk]),
            subject=children, since=request.requested_at, due=request.due_at,
            due_text=f"{'Late: was due' if late else 'Due'} {govuk_date(request.due_at, True)}", overdue=late,
            detail=f"{request.get_rag_display()} urgency"))
    return items


DECISIONS = WorkQueue(
    code="contact_decisions", label="Contacts awaiting your decision", permission=decides_contacts,
    items=decision_items, list_url_name="frontdoor:decisions", order=10,
    empty_text="No screened contact is waiting for a decision.",
    main_for=frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER}),
)
SCREENING = WorkQueue(
    code="contacts_to_screen", label="Contacts to screen", permission=screens_contacts,
    items=screening_items, list_url_name="frontdoor:screening", order=11,
    empty_text="Every contact has been screened.", main_for=frozenset({Role.MASH_PRACTITIONER}),
)
REQUESTS = WorkQueue(
    code="information_requests", label="Information requests for you to answer",
    permission=policy.may_answer_information_request, items=request_items,
    list_url_name="frontdoor:partner_requests", order=10,
    empty_text="No requests are waiting for your answer.", main_for=frozenset({Role.PARTNER}),
)

register_queue(DECISIONS)
register_queue(SCREENING)
register_queue(REQUESTS)
