"""Access control for children's records: the only way to fetch a child.

Every page and API endpoint that shows anything about a child reads it
through `children_for()` or `child_for()`. A record the user may not see and
a record that does not exist look the same (404), and every view of a
child's record, and every refused attempt, is written to the access log.

The rules, as data, are in ACTIONS below and documented in docs/access.md;
tests fail if an action is undocumented.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opencsc.accounts.models import AccessLog
from opencsc.accounts.roles import CASEWORK_ROLES, MANAGER_ROLES, READ_ALL_ROLES, Role

from .models import Child, PartnerShare, RestrictedAccessGrant

# What each action means, and who may do it once they can see the child.
ACTIONS: dict[str, str] = {
    "view": "See the child's record summary.",
    "view_casework": "Read case notes, the chronology and documents.",
    "record": "Add case notes, chronology entries and documents.",
    "edit": "Change the child's details, addresses and family network.",
    "merge": "Merge a duplicate record into this one.",
    "restrict": "Restrict the record, and name who may see it.",
    "view_access_log": "See who has looked at the record.",
}

RECORD_ROLES = CASEWORK_ROLES
EDIT_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.MASH_PRACTITIONER,
     Role.PERSONAL_ADVISER}
)
MERGE_ROLES = MANAGER_ROLES
RESTRICT_ROLES = frozenset({Role.SERVICE_MANAGER})
ACCESS_LOG_ROLES = MANAGER_ROLES


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


def _log(user, *, child, reference, path, outcome):
    AccessLog.objects.create(
        user=user, child=child, child_reference=str(reference)[:64], path=path[:500], outcome=outcome
    )


def child_for(user, pk, *, request=None, action: str = "view", log: bool = True) -> Child:
    """The child with this id if the user may see it (and do `action`), else 404.

    Views of the record are logged; so are refused attempts, with what was asked for.
    """
    path = request.get_full_path() if request is not None else ""
    try:
        child = children_for(user).get(pk=int(pk))
    except (Child.DoesNotExist, ValueError, TypeError):
        if getattr(user, "is_authenticated", False):
            existing = Child.objects.filter(pk=pk).first() if str(pk).isdigit() else None
            _log(user, child=existing, reference=pk, path=path, outcome=AccessLog.Outcome.REFUSED)
        raise Http404("No child found") from None
    if not can(user, action, child):
        _log(user, child=child, reference=pk, path=path, outcome=AccessLog.Outcome.REFUSED)
        raise Http404("No child found")
    if log:
        _log(user, child=child, reference=pk, path=path, outcome=AccessLog.Outcome.VIEWED)
    return child


def _is_allocated(user, child) -> bool:
    from opencsc.casework.models import Allocation

    open_allocations = Allocation.objects.filter(child=child, end_date__isnull=True)
    if not open_allocations.exists():
        return False
    return open_allocations.filter(Q(worker=user) | Q(team_id=user.team_id, team_id__isnull=False)).exists()


def can(user, action: str, child: Child) -> bool:
    """May this user (who can already see `child`) do `action` to it?"""
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    role = user.role
    if action == "view":
        return True
    if role == Role.PARTNER:
        return False
    if action == "view_casework":
        return role in READ_ALL_ROLES or child.access_grants.filter(user=user).exists()
    if action == "record":
        return role in RECORD_ROLES
    if action == "edit":
        if role not in EDIT_ROLES:
            return False
        if role in MANAGER_ROLES or role == Role.MASH_PRACTITIONER:
            return True
        return _is_allocated(user, child)
    if action == "merge":
        return role in MERGE_ROLES
    if action == "restrict":
        return role in RESTRICT_ROLES
    if action == "view_access_log":
        return role in ACCESS_LOG_ROLES
    return False
