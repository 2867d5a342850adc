import datetime as dt

import factory

from opencsc.accounts.tests.factories import UserFactory
from opencsc.adoption.models import (
    AdopterHousehold,
    AdoptionPlan,
    AdoptionReview,
    AdoptionVisit,
    PermanenceOrder,
)
from opencsc.core.testing import RecordFactory
from opencsc.people.tests.factories import ChildFactory


class AdopterHouseholdFactory(RecordFactory):
    """Approved adopters (enquiry Jan 2024, approved Sep 2024) unless told otherwise."""

    class Meta:
        model = AdopterHousehold

    name = factory.Faker("name", locale="en_GB")
    adopters = "MF"
    enquiry_on = dt.date(2024, 1, 8)
    stage_one_on = dt.date(2024, 2, 5)
    stage_two_on = dt.date(2024, 5, 6)
    approved_on = dt.date(2024, 9, 2)
    created_by = factory.SubFactory(UserFactory)


class AdoptionPlanFactory(RecordFactory):
    """A plan decided on 3 Jun 2025 for a child looked after since 6 Jan 2025; nothing after it yet."""

    class Meta:
        model = AdoptionPlan

    child = factory.SubFactory(ChildFactory, date_of_birth=dt.date(2023, 4, 1))
    entered_care_on = dt.date(2025, 1, 6)
    should_be_placed_on = dt.date(2025, 6, 3)
    decision_maker = factory.Faker("name", locale="en_GB")
    created_by = factory.SubFactory(UserFactory)


class AdoptionReviewFactory(RecordFactory):
    class Meta:
        model = AdoptionReview

    plan = factory.SubFactory(AdoptionPlanFactory)
    held_on = factory.LazyAttribute(lambda o: o.plan.should_be_placed_on + dt.timedelta(days=60))
    created_by = factory.SubFactory(UserFactory)


class AdoptionVisitFactory(RecordFactory):
    class Meta:
        model = AdoptionVisit

    plan = factory.SubFactory(AdoptionPlanFactory)
    visited_on = factory.LazyAttribute(lambda o: o.plan.placed_on + dt.timedelta(days=5))
    created_by = factory.SubFactory(UserFactory)


class PermanenceOrderFactory(RecordFactory):
    class Meta:
        model = PermanenceOrder

    child = factory.SubFactory(ChildFactory)
    kind = PermanenceOrder.Kind.SGO
    made_on = dt.date(2026, 2, 2)
    guardians = factory.Faker("name", locale="en_GB")
    relationship = "Maternal grandmother"
    created_by = factory.SubFactory(UserFactory)
