import datetime as dt

import factory
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import UserFactory
from opencsc.careleavers import rules
from opencsc.careleavers.models import (
    AdviserAllocation,
    CareLeaver,
    Contact,
    EligibilityDecision,
    PathwayPlan,
    PathwayPlanReview,
)
from opencsc.core.testing import RecordFactory
from opencsc.people.tests.factories import ChildFactory


def today() -> dt.date:
    return timezone.localdate()


def ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def born_aged(years: int, days_after_birthday: int = 40) -> dt.date:
    """A date of birth making the young person `years` old today (and some days)."""
    day = today() - dt.timedelta(days=days_after_birthday)
    return rules.birthday(day, -years)


class YoungPersonFactory(ChildFactory):
    date_of_birth = factory.LazyFunction(lambda: born_aged(19))


class AdviserFactory(UserFactory):
    role = Role.PERSONAL_ADVISER


class CareLeaverFactory(RecordFactory):
    class Meta:
        model = CareLeaver

    child = factory.SubFactory(YoungPersonFactory)
    created_by = factory.SubFactory(UserFactory)


class EligibilityDecisionFactory(RecordFactory):
    class Meta:
        model = EligibilityDecision

    child = factory.SubFactory(YoungPersonFactory)
    category = "former_relevant"
    decided_on = factory.LazyFunction(lambda: ago(200))
    created_by = factory.SubFactory(UserFactory)


class AdviserAllocationFactory(RecordFactory):
    class Meta:
        model = AdviserAllocation

    child = factory.SubFactory(YoungPersonFactory)
    adviser = factory.SubFactory(AdviserFactory)
    start_date = factory.LazyFunction(lambda: ago(200))
    created_by = factory.SubFactory(UserFactory)


class PathwayPlanFactory(RecordFactory):
    class Meta:
        model = PathwayPlan

    child = factory.SubFactory(YoungPersonFactory)
    start_date = factory.LazyFunction(lambda: ago(100))
    young_persons_views = "I want to stay near my college."
    needs = "Help with budgeting; a flat near college."
    contingency = "If the tenancy fails, supported lodgings with Mrs Patel."
    created_by = factory.SubFactory(UserFactory)


class PathwayPlanReviewFactory(RecordFactory):
    class Meta:
        model = PathwayPlanReview

    plan = factory.SubFactory(PathwayPlanFactory)
    reviewed_on = factory.LazyAttribute(lambda o: o.plan.start_date + dt.timedelta(days=30))
    young_persons_views = "Things are going well."
    changes = "No change."
    created_by = factory.SubFactory(UserFactory)


class ContactFactory(RecordFactory):
    class Meta:
        model = Contact

    child = factory.SubFactory(YoungPersonFactory)
    contact_date = factory.LazyFunction(lambda: ago(10))
    in_touch = "YES"
    method = "visit"
    activity = "F2"
    accommodation = "U1"
    created_by = factory.SubFactory(UserFactory)


def care_leaver(*, age: int = 19, category: str = "former_relevant", **child_fields) -> CareLeaver:
    """A young person with a category decided and support running."""
    child = YoungPersonFactory(date_of_birth=born_aged(age), **child_fields)
    EligibilityDecisionFactory(child=child, category=category, decided_on=max(ago(200), rules.birthday(
        child.date_of_birth, 16)))
    return CareLeaverFactory(child=child, support_to_25=age >= 21)
