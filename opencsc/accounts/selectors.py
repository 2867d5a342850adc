"""Reading accounts: users and teams for administrators. (The access log, which is about children's
records, is read through people.access_log, a layer above.)"""

from __future__ import annotations

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from .models import Team, User

# --- Users and teams ----------------------------------------------------------------------------


def user_list(
    *, query: str = "", team: Team | None = None, role: str = "", status: str = ""
) -> QuerySet[User]:
    """Users matching a name or username search, a team, a role and a status (active, inactive, locked)."""
    now = timezone.now()
    users = User.objects.select_related("team").annotate(
        locked_now=Case(When(locked_until__gt=now, then=Value(True)), default=Value(False), output_field=BooleanField())
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
