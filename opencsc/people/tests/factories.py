import datetime as dt

import factory
from factory.django import DjangoModelFactory

from opencsc.people.models import Address, Child, Person, Relationship


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    la_child_id = factory.Sequence(lambda n: f"C{100000 + n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_between", start_date=dt.date(2009, 1, 1), end_date=dt.date(2025, 1, 1))
    sex = factory.Iterator(["M", "F"])
    ethnicity = "WBRI"


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address

    child = factory.SubFactory(ChildFactory)
    line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Northvale"
    postcode = "TW3 1ES"
    start_date = dt.date(2020, 1, 1)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")


class RelationshipFactory(DjangoModelFactory):
    class Meta:
        model = Relationship

    child = factory.SubFactory(ChildFactory)
    person = factory.SubFactory(PersonFactory)
    kind = Relationship.Kind.MOTHER
