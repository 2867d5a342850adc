import datetime as dt
from decimal import Decimal

import factory

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.testing import RecordFactory
from opencsc.workforce.models import SupervisionSession, WorkerProfile


class WorkerProfileFactory(RecordFactory):
    class Meta:
        model = WorkerProfile

    user = factory.SubFactory(UserFactory)
    experience = WorkerProfile.Experience.EXPERIENCED
    fte = Decimal("1.00")


class SupervisionSessionFactory(RecordFactory):
    class Meta:
        model = SupervisionSession
        skip_postgeneration_save = True

    kind = SupervisionSession.Kind.INDIVIDUAL
    held_on = dt.date(2026, 3, 2)
    supervisor = factory.SubFactory(UserFactory, role=Role.TEAM_MANAGER)
    created_by = factory.SelfAttribute("supervisor")

    @factory.post_generation
    def supervisees(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.supervisees.set(extracted)
