"""Work waiting for a person: the decisions, authorisations, allocations, handovers and requests that are
not a child's due date but still need someone to act. Each app registers its queues from its
AppConfig.ready() (in the app's ``work.py``); home pages and My work show the queues a user may see.

    register_queue(WorkQueue(
        code="contact_decisions", label="Contacts awaiting your decision",
        permission=policy.may_decide_contacts, items=selectors.contacts_awaiting_decision,
        list_url_name="frontdoor:queue", order=10,
    ))

``items(user)`` returns the ``WorkItem``s this user must act on, oldest or most urgent first; it must go
through the access selectors (a user only sees work about children they may see). The permission decides
whether the queue shows at all (an empty queue that shows says so in its ``empty_text``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from .templatetags.govuk import govuk_date


@dataclass(frozen=True)
class WorkItem:
    label: str                       # what to do, in words: "Decide what happens next"
    url: str                         # where the user does it
    subject: str = ""                # who it is about: "Malcolm Andrews (LA12345)"
    since: dt.date | dt.datetime | None = None   # when it arrived in this queue
    due: dt.date | dt.datetime | None = None     # the clock's due date or time, if the step has one
    due_text: str = ""               # "Due 23 Nov 2026", "2 working days overdue" (from the timescales engine)
    overdue: bool = False
    detail: str = ""                 # one short line more: "Screened by Sam Patel"


def child_subject(child) -> str:
    """Who an item is about: "Malcolm Andrews (C0000123)", or the name alone before a child has an LA ID."""
    return f"{child.full_name} ({child.la_child_id})" if child.la_child_id else child.full_name


def deadline_text(due, overdue: bool, *, with_time: bool = False) -> str:
    """'Due by 23 Nov 2026', or 'Was due by 23 Nov 2026' once it has passed (a deadline with no statutory rule;
    a step with a timescale takes its words from the timescales engine instead)."""
    return f"{'Was due' if overdue else 'Due'} by {govuk_date(due, with_time)}"


@dataclass(frozen=True)
class WorkQueue:
    code: str
    label: str                       # "Contacts awaiting your decision"
    permission: Callable[[object], bool]
    items: Callable[[object], list[WorkItem]]
    list_url_name: str | None = None  # the page listing all of it, if there is one
    order: int = 50
    empty_text: str = "Nothing is waiting."
    # Whose queue this is, for the home page that groups queues by role: the roles for whom it is the main
    # work (empty: whoever has the permission sees it as part of their work).
    main_for: frozenset[str] = field(default_factory=frozenset)


_QUEUES: dict[str, WorkQueue] = {}


def register_queue(queue: WorkQueue) -> None:
    _QUEUES.setdefault(queue.code, queue)


def registered_queues() -> list[WorkQueue]:
    return sorted(_QUEUES.values(), key=lambda q: (q.order, q.label))


@dataclass(frozen=True)
class QueueView:
    queue: WorkQueue
    items: list[WorkItem]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.items if item.overdue)


def queues_for(user) -> list[QueueView]:
    """The queues this user may see, each with the items waiting for them."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [QueueView(queue, list(queue.items(user))) for queue in registered_queues() if queue.permission(user)]
