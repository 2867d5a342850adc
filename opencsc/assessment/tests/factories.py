import datetime as dt

import factory
from django.utils import timezone

from opencsc.accounts.tests.factories import UserFactory
from opencsc.assessment.models import Assessment, CINEpisode
from opencsc.core.testing import RecordFactory
from opencsc.people.tests.factories import ChildFactory


class CINEpisodeFactory(RecordFactory):
    class Meta:
        model = CINEpisode

    child = factory.SubFactory(ChildFactory)
    referral_date = dt.date(2026, 3, 2)
    referral_source = "6"
    primary_need = "N1"
    created_by = factory.SubFactory(UserFactory)


class AssessmentFactory(RecordFactory):
    class Meta:
        model = Assessment

    episode = factory.SubFactory(CINEpisodeFactory)
    start_date = factory.LazyAttribute(lambda o: o.episode.referral_date)
    analysis = "Risks are reducing; mother engages with support."
    created_by = factory.SubFactory(UserFactory)

    class Params:
        # Submitted for authorisation by the social worker (awaiting a manager).
        submitted = factory.Trait(submitted_at=factory.LazyFunction(timezone.now),
                                  submitted_by=factory.SelfAttribute("created_by"))


def submit(assessment, by=None):
    """The worker has submitted it for authorisation (as assessment_submit leaves it), for tests that authorise."""
    Assessment.objects.filter(pk=assessment.pk).update(
        submitted_at=timezone.now(), submitted_by=by or assessment.created_by)
    assessment.refresh_from_db()
    return assessment
