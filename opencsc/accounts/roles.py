"""Roles, team kinds and partner agencies: the vocabulary of access control.

No Django model imports here, so the access rules can be read as data.
"""

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_PRACTITIONER = "senior_practitioner", "Senior practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    IRO = "iro", "Independent reviewing officer or conference chair"
    MASH_PRACTITIONER = "mash_practitioner", "MASH practitioner"
    PARTNER = "partner", "Partner agency practitioner"
    EDT_WORKER = "edt_worker", "Out-of-hours (EDT) worker"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"


class TeamKind(models.TextChoices):
    MASH = "mash", "Multi-agency safeguarding hub (MASH)"
    REFERRAL_ASSESSMENT = "referral_assessment", "Referral and assessment"
    CHILD_PROTECTION = "child_protection", "Child protection"
    CHILDREN_IN_CARE = "children_in_care", "Children in care"
    CARE_LEAVERS = "care_leavers", "Care leavers"
    FOSTERING = "fostering", "Fostering"
    ADOPTION = "adoption", "Adoption"
    EARLY_HELP = "early_help", "Early help"
    EDT = "edt", "Emergency duty team (out of hours)"
    IRO_SERVICE = "iro_service", "IRO and conference chairs"
    PERFORMANCE = "performance", "Performance and information"
    QUALITY = "quality", "Quality assurance"
    ADMINISTRATION = "administration", "System administration"
    PARTNER = "partner", "Partner agency"


class Agency(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"


# Roles that work directly with children's records ("practitioners and managers").
CASEWORK_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.SENIOR_PRACTITIONER,
        Role.TEAM_MANAGER,
        Role.SERVICE_MANAGER,
        Role.IRO,
        Role.MASH_PRACTITIONER,
        Role.EDT_WORKER,
        Role.PERSONAL_ADVISER,
    }
)
# Roles that may read any unrestricted child's record.
READ_ALL_ROLES = CASEWORK_ROLES | {Role.PERFORMANCE_ANALYST, Role.AUDITOR}
MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER})
# Staff roles must sign in with two factors; partner agency users too, since they see shared records.
TWO_FACTOR_ROLES = frozenset(Role.values)
# Roles that can see children's records (partner agency users see the records shared with them):
# every role but Administrator. Giving an account one of these takes a service manager's approval.
PRIVILEGED_ROLES = frozenset(Role.values) - {Role.ADMINISTRATOR}


class AccessOutcome(models.TextChoices):
    """What the access log records of an attempt to see a record (AccessLog.Outcome)."""

    VIEWED = "viewed", "Viewed"
    REFUSED = "refused", "Refused"
