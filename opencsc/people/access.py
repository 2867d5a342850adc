"""Access control for children's records: the only way to fetch a child.

Every page and API endpoint that shows anything about a child reads it
through `children_for()` or `child_for()`. A record the user may not see and
a record that does not exist look the same (404), and every view of a
child's record, and every refused attempt, is written to the access log.

A role that may never do what a page does is refused with 403 before
anything is looked up; a child they can see but may not change (say, one not
allocated to them) is refused with 403 too. The role part of each action is a
permission in `people/policy.py`; docs/access.md is generated from it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opencsc.accounts.access_records import REFUSED, VIEWED, log_access
from opencsc.accounts.policy import refuse
from opencsc.accounts.roles import READ_ALL_ROLES, Role

from . import policy
from .models import Child, PartnerShare, RestrictedAccessGrant

# The record actions, each a permission in people/policy.py (docs/access.md is generated from them).
ACTION_PERMISSIONS = {
    "view": policy.may_view,
    "view_casework": policy.may_view_casework,
    "record": policy.may_record,
    "edit": policy.may_edit,
    "merge": policy.may_merge,
    "restrict": policy.may_restrict,
    "view_access_log": policy.may_view_access_log,
}
ACTIONS: dict[str, str] = {name: perm.description for name, perm in ACTION_PERMISSIONS.items()}


def _active_share(user):
    today = timezone.localdate()
    return PartnerShare.objects.filter(
        child=OuterRef("pk"), agency=user.agency, shared_on__lte=today
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def children_for(user) -> QuerySet[Child]:
    """Every child this user may see: the base of every search, list and export."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Child.objects.none()
    qs = Child.objects.filter(merged_into__isnull=True)
    granted = Exists(RestrictedAccessGrant.objects.filter(child=OuterRef("pk"), user=user))
    if user.role == Role.PARTNER:
        if not user.agency:
            return Child.objects.none()
        return qs.filter(Exists(_active_share(user)), Q(is_restricted=False) | granted)
    if user.role in READ_ALL_ROLES:
        return qs.filter(Q(is_restricted=False) | granted)
    return Child.objects.none()


def child_for(user, pk, *, request=None, action: str = "view", log: bool = True) -> Child:
    """The child with this id if the user may see it and do `action` to it.

    A role that may never do `action` is refused the page (403) before anything is looked up; a child
    the user may not see, or that does not exist, is "not found" (404); a child they can see but may not
    do `action` to (say, edit a child not allocated to them) is refused (403). Views of the record are
    logged, and so is every refusal, with what was asked for.
    """
    if action not in ACTION_PERMISSIONS:
        raise ValueError(f"Unknown action {action!r}")
    path = request.get_full_path() if request is not None else ""
    if not ACTION_PERMISSIONS[action](user):
        refuse(ACTION_PERMISSIONS[action].refusal, user=user, request=request, reference=str(pk))
    try:
        if not _small_id(pk):  # not a number, or larger than any id (PostgreSQL would refuse the query)
            raise Child.DoesNotExist
        child = children_for(user).get(pk=int(pk))
    except (Child.DoesNotExist, ValueError, TypeError, OverflowError):
        if getattr(user, "is_authenticated", False):
            existing = Child.objects.filter(pk=pk).first() if _small_id(pk) else None
            log_access(user, child=existing, reference=pk, path=path, outcome=REFUSED)
        raise Http404("No child found") from None
    if not can(user, action, child):
        refuse("You cannot do this to this child's record", user=user, request=request, reference=str(pk),
               child=child)
    if log:
        log_access(user, child=child, reference=pk, path=path, outcome=VIEWED)
    return child


def _small_id(pk) -> bool:
    return str(pk).isdigit() and int(pk) < 2**63  # ids are 64-bit (BigAutoField)


def _is_allocated(user, child) -> bool:
    # Allocations belong to casework, a layer above: read them through the child's reverse relation,
    # or from the open allocations a page has already read (``child.open_allocations_read``).
    known = getattr(child, "open_allocations_read", None)
    if known is not None:
        return any(a.worker_id == user.pk or (user.team_id and a.team_id == user.team_id) for a in known)
    mine = Q(worker=user) | Q(team_id=user.team_id, team_id__isnull=False)
    return child.allocations.filter(mine, end_date__isnull=True).exists()


def can(user, action: str, child: Child) -> bool:
    """May this user (who can already see `child`) do `action` to it?"""
    if action not in ACTION_PERMISSIONS:
        raise ValueError(f"Unknown action {action!r}")
    if not ACTION_PERMISSIONS[action](user):
        return False
    if action == "view":
        return True
    if action == "edit" and user.role not in policy.EDIT_ANY_CHILD_ROLES:
        return _is_allocated(user, child)
    return True


def require(user, action: str, child: Child) -> None:
    """For services: refuse (PermissionDenied, logged) unless the user may do `action` to this child.

    The one check a service makes before it writes to a child's record (``require(actor, "record", child)``).
    """
    if not can(user, action, child):
        messages = {"record": "You cannot add to this child's record",
                    "edit": "You cannot change this child's details"}
        refuse(messages.get(action, "You cannot do this to this child's record"),
               permission=ACTION_PERMISSIONS[action], user=user, reference=str(child.pk), child=child)
