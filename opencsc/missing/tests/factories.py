import datetime as dt
from zoneinfo import ZoneInfo

import factory

from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.testing import RecordFactory
from opencsc.missing.models import ExploitationAssessment, MissingEpisode, ReturnInterview, RiskLevel
from opencsc.people.tests.factories import ChildFactory

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


class MissingEpisodeFactory(RecordFactory):
    class Meta:
        model = MissingEpisode

    child = factory.SubFactory(ChildFactory, date_of_birth=dt.date(2011, 5, 4))
    kind = MissingEpisode.Kind.MISSING
    missing_from = MissingEpisode.MissingFrom.CARE
    started_at = factory.LazyFunction(lambda: at(dt.date(2026, 3, 2), 21, 30))
    ended_at = factory.LazyAttribute(lambda o: o.started_at + dt.timedelta(hours=14))
    reported_to_police = True
    police_reference = factory.Sequence(lambda n: f"MPS/{2026}/{1000 + n}")
    where_found = "Found by police at a friend's flat in Feltham"
    risks = "Believed to be with older young people linked to county lines."
    created_by = factory.SubFactory(UserFactory)


class ReturnInterviewFactory(RecordFactory):
    class Meta:
        model = ReturnInterview

    episode = factory.SubFactory(MissingEpisodeFactory)
    offered_at = factory.LazyAttribute(lambda o: o.episode.ended_at + dt.timedelta(hours=20))
    response = ReturnInterview.Response.ACCEPTED
    completed_at = factory.LazyAttribute(lambda o: o.offered_at + dt.timedelta(hours=4))
    interviewer = factory.Faker("name", locale="en_GB")
    findings = "Said they went to see friends; agreed a safety plan with their carer."
    created_by = factory.SubFactory(UserFactory)


class ExploitationAssessmentFactory(RecordFactory):
    class Meta:
        model = ExploitationAssessment

    child = factory.SubFactory(ChildFactory)
    assessed_on = dt.date(2026, 3, 10)
    sexual_risk = RiskLevel.LOW
    criminal_risk = RiskLevel.HIGH
    indicators = "New phone and cash; seen with older males in a car."
    review_on = dt.date(2026, 6, 10)
    created_by = factory.SubFactory(UserFactory)
