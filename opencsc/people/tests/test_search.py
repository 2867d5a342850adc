"""Finding a child: spelling-tolerant names, identifiers, filters, and only the children the user may see."""

import datetime as dt

import pytest

from opencsc.people.models import ChildAlias, PartnerShare, RestrictedAccessGrant
from opencsc.people.names import search_keys
from opencsc.people.selectors import child_search, possible_duplicates

from .factories import AddressFactory, ChildFactory
from .identifiers import make_nhs_number, make_upn


def named(first, last, **kwargs):
    return ChildFactory(first_name=first, last_name=last, **search_keys(first, last), **kwargs)


def found(user, **kwargs):
    return [r.child for r in child_search(user=user, **kwargs)]


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "recorded, typed",
    [
        (("Mohamed", "Ali"), "Muhammad Ali"),
        (("Muhammad", "Ali"), "Mohammed Ali"),
        (("John", "Smyth"), "John Smith"),
        (("John", "Smith"), "John Smyth"),
        (("Katherine", "Jones"), "Catherine Jones"),
        (("Catherine", "Jones"), "Kathryn Jones"),
        (("Zoë", "O'Brien"), "zoe obrien"),
        (("Aoife", "McCarthy"), "MCCARTHY"),
        (("Aoife", "McCarthy"), "McCarthy Aoife"),  # either order
        (("Jayden", "Clarke"), "Jaden Clark"),
    ],
)
def test_names_are_found_despite_spelling(worker, recorded, typed):
    child = named(*recorded)
    named("Olga", "Petrova")
    assert found(worker, query=typed) == [child]


@pytest.mark.django_db
def test_the_closest_spelling_comes_first(worker):
    near = named("Catherine", "Smith")
    exact = named("Katherine", "Smith")
    assert found(worker, query="Katherine Smith")[:2] == [exact, near]


@pytest.mark.django_db
def test_unrelated_names_are_not_found(worker):
    named("Olga", "Petrova")
    assert found(worker, query="Mohammed Ali") == []


@pytest.mark.django_db
def test_an_alias_finds_the_child(worker):
    child = named("Amelia", "Hart")
    ChildAlias.objects.create(child=child, first_name="Millie", last_name="Dawson", **search_keys("Millie", "Dawson"))
    results = child_search(user=worker, query="Millie Dawson")
    assert [r.child for r in results] == [child] and results[0].matched_alias == "Millie Dawson"


@pytest.mark.django_db
@pytest.mark.parametrize("style", ["plain", "spaces", "dashes"])
def test_nhs_number_typed_with_spaces_finds_the_child(worker, style):
    nhs = make_nhs_number(42)
    child = ChildFactory(nhs_number=nhs)
    ChildFactory(nhs_number=make_nhs_number(43))
    typed = {"plain": nhs, "spaces": f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}", "dashes": f"{nhs[:3]}-{nhs[3:6]}-{nhs[6:]}"}
    assert found(worker, query=typed[style]) == [child]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["C0001234", "c0001234"])
def test_la_child_id_finds_the_child(worker, typed):
    child = ChildFactory(la_child_id="C0001234")
    ChildFactory(la_child_id="C0001235")
    assert found(worker, query=typed) == [child]


@pytest.mark.django_db
def test_upn_finds_the_child(worker):
    child = ChildFactory(upn=make_upn(3))
    assert found(worker, query=make_upn(3).lower()) == [child]


@pytest.mark.django_db
def test_date_of_birth_narrows_the_search(worker):
    older = named("Leo", "Grant", date_of_birth=dt.date(2012, 4, 1))
    named("Leo", "Grant", date_of_birth=dt.date(2018, 4, 1))
    assert found(worker, query="Leo Grant", date_of_birth=dt.date(2012, 4, 1)) == [older]
    assert found(worker, date_of_birth=dt.date(2012, 4, 1)) == [older]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["tw3 1es", "TW31ES", "TW3"])
def test_postcode_matches_current_and_past_addresses(worker, typed):
    moved_away = named("Ruby", "Lane")
    AddressFactory(child=moved_away, postcode="TW3 1ES", start_date=dt.date(2019, 1, 1), end_date=dt.date(2020, 1, 1))
    AddressFactory(child=moved_away, postcode="SW1A 1AA", start_date=dt.date(2020, 1, 2))
    elsewhere = named("Ruby", "Lane")
    AddressFactory(child=elsewhere, postcode="M1 1AE")
    assert found(worker, query="Ruby Lane", postcode=typed) == [moved_away]


@pytest.mark.django_db
def test_nothing_asked_finds_nothing(worker):
    ChildFactory()
    assert found(worker) == [] and found(worker, query="   ") == []


@pytest.mark.django_db
def test_restricted_children_are_found_only_by_named_users(make_user):
    child = named("Hidden", "Person", is_restricted=True)
    outsider, named_user = make_user("service_manager"), make_user("social_worker")
    RestrictedAccessGrant.objects.create(child=child, user=named_user)
    for query in ("Hidden Person", child.la_child_id):
        assert found(outsider, query=query) == []
        assert found(named_user, query=query) == [child]


@pytest.mark.django_db
def test_partners_find_only_children_shared_with_their_agency(make_user):
    police = make_user("partner", agency="police")
    shared = named("Sam", "Taylor")
    named("Sam", "Taylor")  # not shared
    health_only = named("Sam", "Taylor")
    ended = named("Sam", "Taylor")
    PartnerShare.objects.create(child=shared, agency="police", reason="Strategy", shared_on=dt.date(2026, 1, 1))
    PartnerShare.objects.create(child=health_only, agency="health", reason="GP", shared_on=dt.date(2026, 1, 1))
    PartnerShare.objects.create(child=ended, agency="police", reason="Old", shared_on=dt.date(2025, 1, 1),
                                ends_on=dt.date(2025, 6, 1))
    assert found(police, query="Sam Taylor") == [shared]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator"])
def test_roles_without_read_access_find_nothing(make_user, role):
    named("Sam", "Taylor")
    assert found(make_user(role), query="Sam Taylor") == []


# possible_duplicates ----------------------------------------------------------------------


@pytest.mark.django_db
def test_possible_duplicates_by_name_and_date_of_birth(worker):
    existing = named("Mohamed", "Hussain", date_of_birth=dt.date(2014, 2, 2))
    named("Mohamed", "Hussain", date_of_birth=dt.date(2016, 2, 2))
    check = possible_duplicates(user=worker, first_name="Muhammad", last_name="Hussain",
                                date_of_birth=dt.date(2014, 2, 2))
    assert check.visible == [existing] and not check.hidden


@pytest.mark.django_db
def test_possible_duplicates_by_nhs_number_whatever_the_name(worker):
    existing = named("Alex", "Stone", nhs_number=make_nhs_number(77))
    check = possible_duplicates(user=worker, first_name="Different", last_name="Name", nhs_number=make_nhs_number(77))
    assert check.visible == [existing]


@pytest.mark.django_db
def test_a_restricted_match_is_reported_without_details(worker):
    named("Hidden", "Child", date_of_birth=dt.date(2015, 1, 1), is_restricted=True)
    check = possible_duplicates(user=worker, first_name="Hidden", last_name="Child", date_of_birth=dt.date(2015, 1, 1))
    assert check.visible == [] and check.hidden and bool(check)


@pytest.mark.django_db
def test_no_possible_duplicates(worker):
    named("Hidden", "Child", date_of_birth=dt.date(2015, 1, 1))
    assert not possible_duplicates(user=worker, first_name="Hidden", last_name="Child",
                                   date_of_birth=dt.date(2016, 1, 1))
