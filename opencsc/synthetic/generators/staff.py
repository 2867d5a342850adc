"""Teams and the people in them, with one demo login per role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from opencsc.accounts.models import Team, User
from opencsc.accounts.roles import Agency, Role, TeamKind
from opencsc.accounts.services import approvals_record_system_setup
from opencsc.people.names import fold

from .. import names
from ..constants import DEMO_LOGINS, DEMO_PASSWORD
from ..context import GenerationContext, bulk_create

R = Role


@dataclass(frozen=True)
class TeamSpec:
    name: str
    kind: str
    # (role, job title, how many at the default size)
    members: tuple[tuple[str, str, int], ...]
    agency: str = ""


SW, SP, TM = R.SOCIAL_WORKER, R.SENIOR_PRACTITIONER, R.TEAM_MANAGER


def _casework_team(name, kind, workers, seniors=2, title="Social worker"):
    return TeamSpec(
        name, kind, ((TM, "Team manager", 1), (SP, "Senior practitioner", seniors), (SW, title, workers))
    )


TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(
        "MASH", TeamKind.MASH, ((TM, "MASH team manager", 1), (R.MASH_PRACTITIONER, "MASH social worker", 8))
    ),
    _casework_team("Referral and assessment team 1", TeamKind.REFERRAL_ASSESSMENT, 7),
    _casework_team("Referral and assessment team 2", TeamKind.REFERRAL_ASSESSMENT, 7),
    _casework_team("Referral and assessment team 3", TeamKind.REFERRAL_ASSESSMENT, 6),
    _casework_team("Child protection team 1", TeamKind.CHILD_PROTECTION, 7),
    _casework_team("Child protection team 2", TeamKind.CHILD_PROTECTION, 7),
    _casework_team("Child in need team", TeamKind.CHILD_PROTECTION, 8),
    _casework_team("Children in care team 1", TeamKind.CHILDREN_IN_CARE, 7),
    _casework_team("Children in care team 2", TeamKind.CHILDREN_IN_CARE, 6),
    TeamSpec(
        "Care leavers team",
        TeamKind.CARE_LEAVERS,
        ((TM, "Team manager", 1), (R.PERSONAL_ADVISER, "Personal adviser", 10)),
    ),
    _casework_team("Fostering team", TeamKind.FOSTERING, 8, seniors=1, title="Supervising social worker"),
    _casework_team("Adoption team", TeamKind.ADOPTION, 5, seniors=1),
    _casework_team("Early help team north", TeamKind.EARLY_HELP, 7, seniors=1, title="Family support worker"),
    _casework_team("Early help team south", TeamKind.EARLY_HELP, 7, seniors=1, title="Family support worker"),
    TeamSpec(
        "Emergency duty team", TeamKind.EDT, ((TM, "EDT manager", 1), (R.EDT_WORKER, "EDT social worker", 6))
    ),
    TeamSpec(
        "IRO and conference chairs",
        TeamKind.IRO_SERVICE,
        ((TM, "IRO service manager", 1), (R.IRO, "Independent reviewing officer", 10)),
    ),
    TeamSpec(
        "Performance and information",
        TeamKind.PERFORMANCE,
        ((R.PERFORMANCE_ANALYST, "Performance analyst", 4),),
    ),
    TeamSpec("Quality assurance", TeamKind.QUALITY, ((R.AUDITOR, "Practice auditor", 4),)),
    TeamSpec(
        "System administration", TeamKind.ADMINISTRATION, ((R.ADMINISTRATOR, "System administrator", 2),)
    ),
    TeamSpec(
        "Safeguarding service managers",
        TeamKind.CHILD_PROTECTION,
        ((R.SERVICE_MANAGER, "Service manager", 3),),
    ),
    TeamSpec(
        "Police public protection unit",
        TeamKind.PARTNER,
        ((R.PARTNER, "Detective constable", 6),),
        Agency.POLICE,
    ),
    TeamSpec(
        "Health safeguarding team", TeamKind.PARTNER, ((R.PARTNER, "Safeguarding nurse", 5),), Agency.HEALTH
    ),
    TeamSpec(
        "Education safeguarding team",
        TeamKind.PARTNER,
        ((R.PARTNER, "Education safeguarding officer", 4),),
        Agency.EDUCATION,
    ),
    TeamSpec("Probation service", TeamKind.PARTNER, ((R.PARTNER, "Probation officer", 3),), Agency.PROBATION),
    TeamSpec("Housing options", TeamKind.PARTNER, ((R.PARTNER, "Housing officer", 3),), Agency.HOUSING),
)

# Teams that hold children's cases, by the service the child is in.
SERVICE_TEAMS: dict[str, tuple[str, ...]] = {
    "assessment": (
        "Referral and assessment team 1",
        "Referral and assessment team 2",
        "Referral and assessment team 3",
    ),
    "child_in_need": ("Child in need team", "Child protection team 1", "Child protection team 2"),
    "child_protection": ("Child protection team 1", "Child protection team 2"),
    "in_care": ("Children in care team 1", "Children in care team 2"),
    "care_leaver": ("Care leavers team",),
    "early_help": ("Early help team north", "Early help team south"),
    "mash": ("MASH",),
}


def generate_staff(ctx: GenerationContext) -> None:
    rng = ctx.rng("staff")
    demo_by_team: dict[str, list] = {}
    for login in DEMO_LOGINS:
        demo_by_team.setdefault(login.team, []).append(login)

    teams = bulk_create(Team, [Team(name=s.name, kind=s.kind, agency=s.agency) for s in TEAMS], ctx, "teams")
    ctx.teams = {t.name: t for t in teams}

    demo_hash = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow by design
    users: list[User] = []
    used_usernames: set[str] = {login.username for login in DEMO_LOGINS}
    today = ctx.today
    for spec in TEAMS:
        team = ctx.teams[spec.name]
        for login in demo_by_team.get(spec.name, ()):
            users.append(
                User(
                    username=login.username,
                    first_name=login.first_name,
                    last_name=login.last_name,
                    email=f"{login.username}@northvale.example",
                    role=login.role,
                    team=team,
                    agency=login.agency,
                    job_title=login.job_title,
                    password=demo_hash,
                    qualified_on=today - dt.timedelta(days=365 * 6),
                )
            )
        for role, title, number in spec.members:
            how_many = ctx.scaled(number, minimum=1)
            if role == R.TEAM_MANAGER and any(
                d.role == R.TEAM_MANAGER for d in demo_by_team.get(spec.name, ())
            ):
                continue  # the demo team manager manages this team
            for _ in range(how_many):
                ethnicity = names.choose_ethnicity(rng)
                sex = rng.choice("MF")
                first, last = names.first_name(rng, ethnicity, sex), names.last_name(rng, ethnicity)
                base = f"{fold(first)}.{fold(last)}"
                username, n = base, 1
                while username in used_usernames:
                    n += 1
                    username = f"{base}{n}"
                used_usernames.add(username)
                users.append(
                    User(
                        username=username,
                        first_name=first,
                        last_name=last,
                        email=f"{username}@northvale.example",
                        role=role,
                        team=team,
                        agency=spec.agency,
                        job_title=title,
                        password=make_password(None),
                        is_agency_staff=role == SW and rng.random() < 0.2,
                        qualified_on=(today - dt.timedelta(days=rng.randint(200, 365 * 25)))
                        if spec.kind != TeamKind.PARTNER
                        else None,
                    )
                )
    users = bulk_create(User, users, ctx, "staff")
    # Made directly, not through an administrator's request: the approval of every account that can see
    # children's records is recorded as given by the system set-up (explicit, and audited).
    approvals_record_system_setup(users=users, reason="Synthetic authority: staff made by the generator")
    ctx.demo_users = {u.username: u for u in users if u.username.endswith(".demo")}
    ctx.staff_by_team = {}
    for user in users:
        ctx.staff_by_team.setdefault(user.team.name, []).append(user)

    # Each team's manager: the first team manager in it (the demo one where there is one).
    changed = []
    for name, team in ctx.teams.items():
        managers = [u for u in ctx.staff_by_team.get(name, []) if u.role == R.TEAM_MANAGER]
        if not managers:
            managers = [u for u in ctx.staff_by_team.get(name, []) if u.role == R.SERVICE_MANAGER]
        if managers:
            team.manager = managers[0]
            changed.append(team)
    Team.objects.bulk_update(changed, ["manager"], batch_size=ctx.batch_size)


def case_holders(ctx: GenerationContext, team_name: str) -> list:
    """The people in a team who hold cases (workers and senior practitioners)."""
    holders = {R.SOCIAL_WORKER, R.SENIOR_PRACTITIONER, R.PERSONAL_ADVISER, R.MASH_PRACTITIONER}
    return [u for u in ctx.staff_by_team.get(team_name, []) if u.role in holders]


def team_manager(ctx: GenerationContext, team_name: str):
    return ctx.teams[team_name].manager
