"""Access to adopters' records: the only way to fetch an adopter household.

Adopters are not children, so `people.access` does not cover them, but their records
follow the same principle as a restricted child's: only the people whose work needs them
can see them. Those are staff in an adoption team (practitioners and managers) and team
and service managers. For everyone else adopters' records are absent from every list and
count, and a household's page is "Page not found" (404), as if it did not exist. Every view
of a household's page, and every refused attempt, is written to the access log.
See docs/access.md.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from opencsc.accounts.models import AccessLog
from opencsc.accounts.roles import CASEWORK_ROLES, MANAGER_ROLES, TeamKind

from .models import AdopterHousehold


def can_see_adopters(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role in MANAGER_ROLES:
        return True
    team = getattr(user, "team", None)
    return user.role in CASEWORK_ROLES and team is not None and team.kind == TeamKind.ADOPTION


def adopters_for(user) -> QuerySet[AdopterHousehold]:
    """Every adopter household this user may see: the base of every list of adopters."""
    if not can_see_adopters(user):
        return AdopterHousehold.objects.none()
    return AdopterHousehold.objects.all()


def adopter_for(user, pk, *, request=None, log: bool = True) -> AdopterHousehold:
    """The household with this id if the user may see it, else 404 (logged either way)."""
    path = request.get_full_path()[:500] if request is not None else ""
    reference = f"adopters:{pk}"[:64]
    try:
        household = adopters_for(user).get(pk=int(pk))
    except (AdopterHousehold.DoesNotExist, ValueError, TypeError):
        if getattr(user, "is_authenticated", False):
            AccessLog.objects.create(user=user, child=None, child_reference=reference, path=path,
                                     outcome=AccessLog.Outcome.REFUSED)
        raise Http404("No adopters found") from None
    if log:
        AccessLog.objects.create(user=user, child=None, child_reference=reference, path=path,
                                 outcome=AccessLog.Outcome.VIEWED)
    return household
