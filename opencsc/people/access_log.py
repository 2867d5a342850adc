"""Reading the access log: who looked at which child's record, for managers.

Anything about a child is resolved through `people.access.children_for(viewer)`,
so a restricted record the viewer may not see stays hidden here too.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from opencsc.accounts.models import AccessLog, User

from .access import children_for
from .models import Child
from .policy import may_view_access_log


def child_for_access_log(*, viewer, reference: str) -> Child | None:
    """The child with this LA child ID (any case) or id, if the viewer may see it; else None."""
    reference = (reference or "").strip()
    if not reference:
        return None
    condition = Q(la_child_id__iexact=reference)
    if reference.isdigit() and len(reference) < 18:
        condition |= Q(pk=int(reference))
    matches = list(children_for(viewer).filter(condition).order_by("id")[:2])
    if not matches:
        return None
    # An LA child ID match wins over an id match when both exist.
    for child in matches:
        if child.la_child_id.lower() == reference.lower():
            return child
    return matches[0]


def users_matching(*, query: str) -> QuerySet[User]:
    """Users whose username is `query`, or whose name contains every word of it."""
    query = (query or "").strip()
    exact = User.objects.filter(username__iexact=query)
    if exact.exists():
        return exact
    users = User.objects.all()
    for word in query.split():
        users = users.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return users


def access_log_entries(
    *,
    viewer,
    child: Child | None = None,
    users: QuerySet[User] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    outcome: str = "",
) -> QuerySet[AccessLog]:
    """Access log entries the viewer may read, newest first.

    Entries about a child the viewer cannot see (a restricted record) are left out,
    so the log does not reveal that such a record exists or who looked at it.
    """
    if not may_view_access_log(viewer):
        return AccessLog.objects.none()
    visible = children_for(viewer)
    entries = AccessLog.objects.filter(
        Q(child__isnull=True) | Q(child__in=visible) | Q(child__merged_into__in=visible)
    )
    if child is not None:  # with the records merged into it, whose rows keep their own child
        entries = entries.filter(Q(child=child) | Q(child__merged_into=child))
    if users is not None:
        entries = entries.filter(user__in=users)
    if date_from is not None:
        start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
        entries = entries.filter(at__gte=start)
    if date_to is not None:
        end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
        entries = entries.filter(at__lt=end)
    if outcome:
        entries = entries.filter(outcome=outcome)
    return entries.select_related("user", "user__team", "child").order_by("-at", "-id")
