"""Factories for children in care. `looked_after()` builds a period the way users do (through the service)."""

import datetime as dt

import factory

from opencsc.accounts.tests.factories import UserFactory
from opencsc.care import services
from opencsc.care.models import CareEpisode, IROEscalation, PeriodOfCare, Placement
from opencsc.core.testing import RecordFactory
from opencsc.people.tests.factories import ChildFactory

FOSTER = {"placement_type": "U3", "provider": "PR1", "carer_name": "Mr and Mrs Okafor", "postcode": "TW4 5HB",
          "in_authority": True, "distance_km": "3.2", "siblings_placed_together": "none"}


class PeriodOfCareFactory(RecordFactory):
    class Meta:
        model = PeriodOfCare

    child = factory.SubFactory(ChildFactory)
    start_date = dt.date(2026, 4, 1)
    created_by = factory.SubFactory(UserFactory)


class PlacementFactory(RecordFactory):
    class Meta:
        model = Placement

    period = factory.SubFactory(PeriodOfCareFactory)
    child = factory.SelfAttribute("period.child")
    start_date = factory.SelfAttribute("period.start_date")
    placement_type = "U3"
    provider = "PR1"
    carer_name = factory.Faker("name", locale="en_GB")
    postcode = "TW4 5HB"
    created_by = factory.SelfAttribute("period.created_by")


class CareEpisodeFactory(RecordFactory):
    class Meta:
        model = CareEpisode

    placement = factory.SubFactory(PlacementFactory)
    period = factory.SelfAttribute("placement.period")
    child = factory.SelfAttribute("placement.child")
    start_date = factory.SelfAttribute("placement.start_date")
    reason_new_episode = "S"
    legal_status = "C2"
    category_of_need = "N1"
    home_postcode = "TW3 1ES"
    created_by = factory.SelfAttribute("placement.created_by")


class IROEscalationFactory(RecordFactory):
    class Meta:
        model = IROEscalation

    period = factory.SubFactory(PeriodOfCareFactory)
    child = factory.SelfAttribute("period.child")
    concern = "The care plan has not been updated since the placement changed."
    raised_on = factory.LazyAttribute(lambda o: o.period.start_date + dt.timedelta(days=30))
    raised_by = factory.SubFactory(UserFactory, role="iro")
    response_due_on = factory.LazyAttribute(lambda o: o.raised_on + dt.timedelta(days=10))


def looked_after(actor, child, on=dt.date(2026, 4, 1), *, legal_status="C2", category_of_need="N1", **placement):
    """The child's open period of care, starting one on `on` through the service if there is none."""
    current = services.open_period(child)
    if current is not None:
        return current
    values = {**FOSTER, **placement}
    return services.child_becomes_looked_after(
        actor=actor, child=child, start_date=on, legal_status=legal_status, category_of_need=category_of_need,
        home_postcode="TW3 1ES", **values,
    )
