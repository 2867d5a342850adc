import datetime as dt

import factory

from opencsc.core.testing import RecordFactory
from opencsc.core.tests import names
from opencsc.people.models import Address, Child, Person, Relationship
from opencsc.people.names import search_keys


class ChildFactory(RecordFactory):
    class Meta:
        model = Child

    class Params:
        name_number = factory.LazyFunction(names.next_number)

    la_child_id = factory.Sequence(lambda n: f"C{100000 + n}")
    first_name = factory.LazyAttribute(lambda o: names.first_name(o.name_number))
    last_name = factory.LazyAttribute(lambda o: names.last_name(o.name_number))
    date_of_birth = factory.Faker("date_between", start_date=dt.date(2009, 1, 1), end_date=dt.date(2025, 1, 1))
    sex = factory.Iterator(["M", "F"])
    ethnicity = "WBRI"


class AddressFactory(RecordFactory):
    class Meta:
        model = Address

    child = factory.SubFactory(ChildFactory)
    line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Northvale"
    postcode = "TW3 1ES"
    start_date = dt.date(2020, 1, 1)


class PersonFactory(RecordFactory):
    class Meta:
        model = Person

    class Params:
        name_number = factory.LazyFunction(names.next_number)

    first_name = factory.LazyAttribute(lambda o: names.first_name(o.name_number))
    last_name = factory.LazyAttribute(lambda o: names.last_name(o.name_number))
    # The search keys the services keep (people.names.search_keys), so the duplicate check finds the person.
    search_first = factory.LazyAttribute(lambda o: search_keys(o.first_name, o.last_name)["search_first"])
    search_last = factory.LazyAttribute(lambda o: search_keys(o.first_name, o.last_name)["search_last"])
    phonetic_first = factory.LazyAttribute(lambda o: search_keys(o.first_name, o.last_name)["phonetic_first"])
    phonetic_last = factory.LazyAttribute(lambda o: search_keys(o.first_name, o.last_name)["phonetic_last"])


class RelationshipFactory(RecordFactory):
    class Meta:
        model = Relationship

    child = factory.SubFactory(ChildFactory)
    person = factory.SubFactory(PersonFactory)
    kind = Relationship.Kind.MOTHER
