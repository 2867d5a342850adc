"""Reading accounts: users and teams for administrators. (The access log, which is about children's
records, is read through people.access_log, a layer above.)"""

from __future__ import annotations

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from .models import ApprovalRequest, EnrolmentCode, Team, User

# --- Users and teams ----------------------------------------------------------------------------


def user_list(
    *, query: str = "", team: Team | None = None, role: str = "", status: str = ""
) -> QuerySet[User]:
    """Users matching a name or username search, a team, a role and a status (active, inactive, locked)."""
    now = timezone.now()
    users = User.objects.select_related("team").annotate(
        locked_now=Case(When(locked_until__gt=now, then=Value(True)), default=Value(False), output_field=BooleanField()),
        awaiting_approval=Exists(ApprovalRequest.objects.filter(
            subject=OuterRef("pk"), kind=ApprovalRequest.Kind.NEW_ACCOUNT, status=ApprovalRequest.Status.PENDING)),
    )
    for word in (query or "").split():
        users = users.filter(
            Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    if team is not None:
        users = users.filter(team=team)
    if role:
        users = users.filter(role=role)
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    elif status == "locked":
        users = users.filter(is_active=True, locked_until__gt=now)
    return users.order_by("last_name", "first_name", "username", "id")


def team_list() -> QuerySet[Team]:
    return (
        Team.objects.select_related("manager")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
        .order_by("name", "id")
    )


# --- Requests that need a second person, and two-factor set-up codes ----------------------------


def _approvals() -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.select_related("subject", "requested_by", "decided_by")


def approvals_pending() -> QuerySet[ApprovalRequest]:
    """Requests waiting for a decision, oldest first."""
    return _approvals().filter(status=ApprovalRequest.Status.PENDING).order_by("requested_at", "id")


def approvals_decided() -> QuerySet[ApprovalRequest]:
    """Decided (or replaced) requests, most recent first."""
    return _approvals().exclude(status=ApprovalRequest.Status.PENDING).order_by("-decided_at", "-id")


def approvals_for(user: User) -> QuerySet[ApprovalRequest]:
    return _approvals().filter(subject=user).order_by("-requested_at", "-id")


def current_enrolment_code(user: User) -> EnrolmentCode | None:
    """The set-up code that would work for this user now (not used, voided or expired), if any."""
    return (EnrolmentCode.objects.filter(user=user, used_at=None, voided_at=None, expires_at__gt=timezone.now())
            .select_related("issued_by").order_by("-issued_at", "-id").first())
