"""Access to adopters' records: the only way to fetch an adopter household.

Adopters are not children, so `people.access` does not cover them, but their records
follow the same principle as a restricted child's: only the people whose work needs them
can see them. Those are staff in an adoption team (practitioners and managers) and team
and service managers (the roles are permissions in adoption/policy.py).

A role that may never use adopters' pages is refused (403) before anything is looked up.
For everyone else who is not in an adoption team adopters' records are absent from every
list and count, and a household's page is "Page not found" (404), as if it did not exist.
Every view of a household's page, and every refused attempt, is written to the access log.
See docs/access.md.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from opencsc.accounts.access_records import log_access
from opencsc.accounts.policy import Permission, log_refusal, refuse
from opencsc.accounts.roles import TeamKind

from . import policy
from .models import AdopterHousehold

NOT_ADOPTION_STAFF = "Only adoption team staff and managers can see adopters' records"


def can_see_adopters(user) -> bool:
    """Whether this user may see adopters' records at all: their role, and (below manager) their team."""
    if policy.may_view_all_adopters(user):
        return True
    team = getattr(user, "team", None)
    return policy.may_view_adopters(user) and team is not None and team.kind == TeamKind.ADOPTION


def require_adopters(user, *, request=None, perm: Permission = policy.may_view_adopters) -> None:
    """Refuse (403, logged) a user who may not use adopters' pages: their role first, then their team.
    Nothing is looked up."""
    perm.require(user, request=request)
    if not can_see_adopters(user):
        refuse(NOT_ADOPTION_STAFF, permission=perm, user=user, request=request)


def adopters_for(user) -> QuerySet[AdopterHousehold]:
    """Every adopter household this user may see: the base of every list of adopters."""
    if not can_see_adopters(user):
        return AdopterHousehold.objects.none()
    return AdopterHousehold.objects.all()


def adopter_for(user, pk, *, request=None, perm: Permission = policy.may_view_adopters,
                log: bool = True) -> AdopterHousehold:
    """The household with this id if the user may see it.

    A role that may never do what `perm` allows is refused (403) before anything is looked up; a
    household the user may not see (they are not in an adoption team), or that does not exist, is
    "not found" (404). Views and refusals are written to the access log.
    """
    path = request.get_full_path()[:500] if request is not None else ""
    reference = f"adopters:{pk}"[:64]
    if not perm(user):  # a role that may never use adopters' pages: refused before anything is looked up
        refuse(perm.refusal, permission=perm, user=user, request=request, reference=reference)
    try:
        household = adopters_for(user).get(pk=int(pk))
    except (AdopterHousehold.DoesNotExist, ValueError, TypeError, OverflowError):
        if getattr(user, "is_authenticated", False):
            log_refusal(user, reference=reference, path=path)
        raise Http404("No adopters found") from None
    if log:
        log_access(user, reference=reference, path=path)
    return household
