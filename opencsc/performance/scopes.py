"""Scopes a figure is about: the authority, a service (a group of teams by kind), or one team.

The services are data: which kinds of team make up each. A row's team is found by
services.rows_attribute; a team's service from its kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from opencsc.accounts.models import Team
from opencsc.accounts.roles import TeamKind

AUTHORITY = "authority"
SERVICE = "service"
TEAM = "team"
UNALLOCATED = "unallocated"


@dataclass(frozen=True)
class Service:
    key: str
    name: str
    team_kinds: frozenset[str]


SERVICES: tuple[Service, ...] = (
    Service("front_door", "Front door", frozenset({TeamKind.MASH, TeamKind.REFERRAL_ASSESSMENT, TeamKind.EDT})),
    Service("early_help", "Early help", frozenset({TeamKind.EARLY_HELP})),
    Service("child_protection", "Child protection", frozenset({TeamKind.CHILD_PROTECTION, TeamKind.IRO_SERVICE})),
    Service("children_in_care", "Children in care", frozenset({TeamKind.CHILDREN_IN_CARE, TeamKind.FOSTERING})),
    Service("adoption", "Adoption", frozenset({TeamKind.ADOPTION})),
    Service("care_leavers", "Care leavers", frozenset({TeamKind.CARE_LEAVERS})),
    Service("support", "Support services",
            frozenset({TeamKind.PERFORMANCE, TeamKind.QUALITY, TeamKind.ADMINISTRATION, TeamKind.PARTNER})),
)
SERVICE_BY_KEY = {s.key: s for s in SERVICES}
UNALLOCATED_NAME = "Unallocated"
SERVICE_FOR_KIND: dict[str, str] = {kind: s.key for s in SERVICES for kind in s.team_kinds}
# Every team kind belongs to exactly one service.
assert set(SERVICE_FOR_KIND) == set(TeamKind.values), "a team kind has no service"


@dataclass(frozen=True)
class Scope:
    kind: str  # authority, service or team
    key: str = ""  # "" for the authority; a service key; a team id or "unallocated"
    name: str = "The authority"

    @property
    def param(self) -> str:
        return AUTHORITY if self.kind == AUTHORITY else f"{self.kind}:{self.key}"


AUTHORITY_SCOPE = Scope(AUTHORITY, "", "The authority")


def scope_parse(value: str | None) -> Scope | None:
    """"authority", "service:<key>", "team:<id>" or "team:unallocated" as a Scope; None if not one."""
    value = (value or AUTHORITY).strip()
    if value == AUTHORITY:
        return AUTHORITY_SCOPE
    kind, _, key = value.partition(":")
    if kind == SERVICE:
        if key == UNALLOCATED:
            return Scope(SERVICE, UNALLOCATED, UNALLOCATED_NAME)
        service = SERVICE_BY_KEY.get(key)
        return Scope(SERVICE, key, service.name) if service else None
    if kind == TEAM:
        if key == UNALLOCATED:
            return Scope(TEAM, UNALLOCATED, UNALLOCATED_NAME)
        if not key.isdigit():
            return None
        team = Team.objects.filter(pk=int(key)).first()
        return Scope(TEAM, str(team.pk), team.name) if team else None
    return None


def scope_choices() -> list[tuple[str, str]]:
    """Every scope a scorecard can be shown for, as (param, label) for a select."""
    choices = [(AUTHORITY, "The authority")]
    choices += [(f"{SERVICE}:{s.key}", f"Service: {s.name}") for s in SERVICES]
    teams = Team.objects.exclude(kind=TeamKind.PARTNER).order_by("name")  # partner agencies hold no cases
    choices += [(f"{TEAM}:{t.pk}", f"Team: {t.name}") for t in teams]
    choices.append((f"{TEAM}:{UNALLOCATED}", "Unallocated (no team)"))
    return choices
