import datetime as dt

import factory

from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.testing import RecordFactory
from opencsc.earlyhelp.models import EarlyHelpEpisode, Family, OutcomeArea, StepRequest
from opencsc.people.tests.factories import ChildFactory

ALL_FIVES = {area.value: 5 for area in OutcomeArea}
ACTION = {
    "what_must_change": "Jay gets to school on time every day",
    "action": "Morning routine chart and a weekly check-in with the family support worker",
    "responsible": "Ms Patel",
    "responsible_agency": "Early help",
    "due_date": dt.date(2026, 6, 30),
    "measure": "Attendance above 95% for a half term",
}


class FamilyFactory(RecordFactory):
    class Meta:
        model = Family

    name = factory.Faker("last_name", locale="en_GB")
    created_by = factory.SubFactory(UserFactory)


class EarlyHelpEpisodeFactory(RecordFactory):
    class Meta:
        model = EarlyHelpEpisode

    child = factory.SubFactory(ChildFactory)
    family = factory.SubFactory(FamilyFactory)
    start_date = dt.date(2026, 2, 2)
    source = EarlyHelpEpisode.Source.REQUEST
    reason = "School worried about attendance and mother asked for help with routines."
    created_by = factory.SubFactory(UserFactory)


class StepRequestFactory(RecordFactory):
    class Meta:
        model = StepRequest

    child = factory.LazyAttribute(lambda o: o.early_help_episode.child)
    direction = StepRequest.Direction.STEP_UP
    early_help_episode = factory.SubFactory(EarlyHelpEpisodeFactory)
    requested_on = dt.date(2026, 3, 2)
    reason = "Disclosure of domestic abuse at home."
    created_by = factory.SubFactory(UserFactory)
