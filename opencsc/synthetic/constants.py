"""The demo logins: one per role, with predictable usernames and one shared password.

Only these accounts can sign in; every other synthetic member of staff has an
unusable password.
"""

from __future__ import annotations

from dataclasses import dataclass

from opencsc.accounts.roles import Agency, Role

DEMO_PASSWORD = "demo-password-2026"
DEFAULT_SEED = 2014
DEFAULT_SIZE = 1.0


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    team: str  # the team's name
    first_name: str
    last_name: str
    job_title: str
    agency: str = ""


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "sw.demo", Role.SOCIAL_WORKER, "Referral and assessment team 1", "Sam", "Walker", "Social worker"
    ),
    DemoLogin(
        "sp.demo", Role.SENIOR_PRACTITIONER, "Child protection team 1", "Priya", "Shah", "Senior practitioner"
    ),
    DemoLogin(
        "tm.demo", Role.TEAM_MANAGER, "Referral and assessment team 1", "Tom", "Mensah", "Team manager"
    ),
    DemoLogin(
        "sm.demo",
        Role.SERVICE_MANAGER,
        "Safeguarding service managers",
        "Sarah",
        "Morgan",
        "Service manager, safeguarding",
    ),
    DemoLogin(
        "iro.demo", Role.IRO, "IRO and conference chairs", "Irene", "Okafor", "Independent reviewing officer"
    ),
    DemoLogin("mash.demo", Role.MASH_PRACTITIONER, "MASH", "Martin", "Ashby", "MASH social worker"),
    DemoLogin(
        "police.demo",
        Role.PARTNER,
        "Police public protection unit",
        "Paul",
        "Lees",
        "Detective constable",
        Agency.POLICE,
    ),
    DemoLogin(
        "health.demo",
        Role.PARTNER,
        "Health safeguarding team",
        "Helen",
        "Ward",
        "Named nurse for safeguarding",
        Agency.HEALTH,
    ),
    DemoLogin("edt.demo", Role.EDT_WORKER, "Emergency duty team", "Ed", "Turner", "EDT social worker"),
    DemoLogin("pa.demo", Role.PERSONAL_ADVISER, "Care leavers team", "Pat", "Adeyemi", "Personal adviser"),
    DemoLogin(
        "analyst.demo",
        Role.PERFORMANCE_ANALYST,
        "Performance and information",
        "Anita",
        "Lyons",
        "Performance analyst",
    ),
    DemoLogin("auditor.demo", Role.AUDITOR, "Quality assurance", "Aled", "Davies", "Practice auditor"),
    DemoLogin(
        "admin.demo", Role.ADMINISTRATOR, "System administration", "Ada", "Mills", "System administrator"
    ),
)
