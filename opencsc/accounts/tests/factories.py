import factory

from opencsc.accounts.models import Team, User
from opencsc.accounts.roles import Role, TeamKind
from opencsc.core.testing import RecordFactory
from opencsc.core.tests import names

TEAM_FOR_ROLE = {
    Role.SOCIAL_WORKER: TeamKind.REFERRAL_ASSESSMENT,
    Role.SENIOR_PRACTITIONER: TeamKind.CHILD_PROTECTION,
    Role.TEAM_MANAGER: TeamKind.CHILD_PROTECTION,
    Role.SERVICE_MANAGER: TeamKind.CHILD_PROTECTION,
    Role.IRO: TeamKind.IRO_SERVICE,
    Role.MASH_PRACTITIONER: TeamKind.MASH,
    Role.PARTNER: TeamKind.PARTNER,
    Role.EDT_WORKER: TeamKind.EDT,
    Role.PERSONAL_ADVISER: TeamKind.CARE_LEAVERS,
    Role.PERFORMANCE_ANALYST: TeamKind.PERFORMANCE,
    Role.AUDITOR: TeamKind.QUALITY,
    Role.ADMINISTRATOR: TeamKind.ADMINISTRATION,
}


class TeamFactory(RecordFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    kind = TeamKind.REFERRAL_ASSESSMENT


class UserFactory(RecordFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    class Params:
        name_number = factory.LazyFunction(names.next_number)

    first_name = factory.LazyAttribute(lambda o: names.first_name(o.name_number))
    last_name = factory.LazyAttribute(lambda o: names.last_name(o.name_number))
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.SOCIAL_WORKER
    team = factory.LazyAttribute(
        lambda u: TeamFactory(name=f"{TeamKind(TEAM_FOR_ROLE[u.role]).label} team", kind=TEAM_FOR_ROLE[u.role])
    )
    agency = factory.LazyAttribute(lambda u: "police" if u.role == Role.PARTNER else "")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
