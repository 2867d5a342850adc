import datetime as dt

import factory

from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.testing import RecordFactory
from opencsc.otherduties.models import CareProceedings, LadoAllegation, PrivateFostering
from opencsc.people.tests.factories import ChildFactory


class PrivateFosteringFactory(RecordFactory):
    class Meta:
        model = PrivateFostering

    child = factory.SubFactory(ChildFactory, date_of_birth=dt.date(2012, 6, 1))
    notified_on = dt.date(2026, 3, 2)
    arrangement_start = dt.date(2026, 2, 20)
    carer_name = factory.Faker("name", locale="en_GB")
    carer_relationship = "Family friend"
    parents_consent = True
    created_by = factory.SubFactory(UserFactory)


class CareProceedingsFactory(RecordFactory):
    class Meta:
        model = CareProceedings

    child = factory.SubFactory(ChildFactory, date_of_birth=dt.date(2019, 6, 1))
    court = "West London Family Court"
    case_number = factory.Sequence(lambda n: f"ZW26C{n:05d}")
    issued_on = dt.date(2026, 3, 2)
    created_by = factory.SubFactory(UserFactory)


class LadoAllegationFactory(RecordFactory):
    class Meta:
        model = LadoAllegation

    received_on = dt.date(2026, 3, 2)
    lado_informed_on = dt.date(2026, 3, 3)
    person_name = factory.Faker("name", locale="en_GB")
    person_role = "Teaching assistant"
    employer = "Northvale Primary School"
    agency = LadoAllegation.Agency.EDUCATION
    allegation = "A pupil said the teaching assistant grabbed their arm."
    created_by = factory.SubFactory(UserFactory)
