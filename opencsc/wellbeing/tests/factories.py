import datetime as dt

import factory

from opencsc.accounts.tests.factories import UserFactory
from opencsc.care.models import PeriodOfCare
from opencsc.core.testing import RecordFactory
from opencsc.people.tests.factories import ChildFactory
from opencsc.wellbeing.models import (
    PEP,
    SDQ,
    Complaint,
    ContactArrangement,
    DentalCheck,
    HealthAssessment,
)


class PeriodOfCareFactory(RecordFactory):
    """A period of care, made directly (the care app's services are tested there)."""

    class Meta:
        model = PeriodOfCare

    child = factory.SubFactory(ChildFactory, date_of_birth=dt.date(2015, 6, 1))
    start_date = dt.date(2025, 9, 1)
    created_by = factory.SubFactory(UserFactory)


class HealthAssessmentFactory(RecordFactory):
    class Meta:
        model = HealthAssessment

    child = factory.SubFactory(ChildFactory)
    kind = HealthAssessment.Kind.REVIEW
    assessment_date = dt.date(2026, 3, 2)
    assessed_by = factory.Faker("name", locale="en_GB")
    outcome = "Healthy; asthma reviewed; eye test booked."
    created_by = factory.SubFactory(UserFactory)


class DentalCheckFactory(RecordFactory):
    class Meta:
        model = DentalCheck

    child = factory.SubFactory(ChildFactory)
    check_date = dt.date(2026, 3, 2)
    dentist = "High Street Dental Practice"
    created_by = factory.SubFactory(UserFactory)


class PEPFactory(RecordFactory):
    class Meta:
        model = PEP

    child = factory.SubFactory(ChildFactory)
    meeting_date = dt.date(2026, 3, 2)
    status = PEP.Status.COMPLETE
    targets = "Read for 20 minutes each evening with the carer."
    created_by = factory.SubFactory(UserFactory)


class SDQFactory(RecordFactory):
    class Meta:
        model = SDQ

    child = factory.SubFactory(ChildFactory)
    completed_on = dt.date(2026, 3, 2)
    score = 12
    completed_by = SDQ.CompletedBy.CARER
    created_by = factory.SubFactory(UserFactory)


class ContactArrangementFactory(RecordFactory):
    class Meta:
        model = ContactArrangement

    child = factory.SubFactory(ChildFactory)
    with_whom = factory.Faker("name", locale="en_GB")
    relationship = "Mother"
    frequency = ContactArrangement.Frequency.FORTNIGHTLY
    supervised = True
    start_date = dt.date(2025, 10, 1)
    created_by = factory.SubFactory(UserFactory)


class ComplaintFactory(RecordFactory):
    class Meta:
        model = Complaint

    child = factory.SubFactory(ChildFactory)
    received_on = dt.date(2026, 2, 2)
    summary = "Contact with my brother was cancelled twice."
    created_by = factory.SubFactory(UserFactory)
