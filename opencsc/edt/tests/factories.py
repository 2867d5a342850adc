import datetime as dt
from zoneinfo import ZoneInfo

import factory

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.core.testing import RecordFactory
from opencsc.edt.models import OutOfHoursEntry
from opencsc.people.tests.factories import ChildFactory

LONDON = ZoneInfo("Europe/London")


class OutOfHoursEntryFactory(RecordFactory):
    class Meta:
        model = OutOfHoursEntry

    child = factory.SubFactory(ChildFactory)
    occurred_at = dt.datetime(2026, 3, 6, 22, 30, tzinfo=LONDON)  # a Friday night
    what_happened = factory.Faker("sentence", locale="en_GB")
    action_taken = "Spoke to mother and the police; visited the home."
    decision = "Child to stay with maternal aunt overnight."
    follow_up = "Call the school and arrange a strategy discussion."
    day_team = factory.LazyFunction(lambda: TeamFactory(name="MASH team", kind=TeamKind.MASH))
    recorded_by = factory.SubFactory(UserFactory, role=Role.EDT_WORKER)
