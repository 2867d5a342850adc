"""An adopter is checked against the people already known when recorded (issue 19 item 2): the same matching as
the family network and /children/new/ (people.selectors.possible_people), the possible matches shown with the
households and networks they are in, and the choice recorded (people.MatchCheck and the audit)."""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.adoption.models import Adopter
from opencsc.core.models import AuditEvent
from opencsc.people.models import MatchCheck, Person, Relationship
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory, PersonFactory, RelationshipFactory
from opencsc.retention.destruction import destroy

from .factories import AdopterHouseholdFactory
from .test_pages import date_fields

D = dt.date
pytestmark = pytest.mark.django_db
BORN = D(1985, 7, 14)


@pytest.fixture
def adoption_worker(signed_in):
    return signed_in(Role.SOCIAL_WORKER, team=TeamFactory(name="Adoption team", kind=TeamKind.ADOPTION))


@pytest.fixture
def household():
    return AdopterHouseholdFactory(name="Sam and Alex Shah", approved_on=None)


@pytest.fixture
def sam(household):
    """Sam Shah, born 14 Jul 1985: already an adopter in another household."""
    person = PersonFactory(first_name="Sam", last_name="Shah", date_of_birth=BORN)
    Adopter.objects.create(household=AdopterHouseholdFactory(name="The Shah family"), person=person,
                           added_by=household.created_by)
    return person


def url(household):
    return reverse("adoption:adopter_person_add", args=[household.pk])


def adopter_post(first="Sam", last="Shah", born=BORN, **extra):
    data = {"first_name": first, "last_name": last, "sex": "F"}
    if born:
        data.update(date_fields("date_of_birth", born))
    return {**data, **extra}


def shown(response) -> str:
    return re.search(r'name="matches_shown" value="([^"]*)"', response.content.decode()).group(1)


def state():
    return (Person.objects.count(), Adopter.objects.count(), MatchCheck.objects.count(), AuditEvent.objects.count())


@pytest.mark.parametrize("first, last", [("Sam", "Shah"), ("Samm", "Shah"), ("Shah", "Sam"), ("Sam", "Shaw")])
def test_a_known_adopter_is_shown_with_their_household_and_nothing_is_saved(adoption_worker, household, sam,
                                                                           first, last):
    before = state()
    body = adoption_worker.post(url(household), adopter_post(first, last)).content.decode()
    assert "This adopter may already be known to us" in body and "Adopter in The Shah family" in body
    assert "14 Jul 1985" in body and f'value="{first}"' in body and "Is the adopter one of these?" in body
    assert state() == before


def test_choosing_the_known_person_links_them_as_an_adopter(adoption_worker, household, sam):
    people = Person.objects.count()
    token = shown(adoption_worker.post(url(household), adopter_post("Samm")))
    response = adoption_worker.post(url(household), adopter_post("Samm", matches_shown=token,
                                                                 match=f"person:{sam.pk}"), follow=True)
    body = response.content.decode()
    assert "Sam Shah recorded as an adopter: their existing record is linked" in body
    assert "the existing record was linked" in body
    adopter = Adopter.objects.get(household=household)
    assert adopter.person == sam and Person.objects.count() == people
    assert adopter.match_check.chose_existing and adopter.match_check.subject == MatchCheck.Subject.ADOPTER
    assert AuditEvent.objects.filter(object_id=str(adopter.match_check.pk), content_type__model="matchcheck").exists()


def test_confirming_none_of_these_adds_a_new_person(adoption_worker, household, sam):
    token = shown(adoption_worker.post(url(household), adopter_post()))
    adoption_worker.post(url(household), adopter_post(matches_shown=token, match="new"))
    adopter = Adopter.objects.get(household=household)
    assert adopter.person != sam and not adopter.match_check.chose_existing
    assert adopter.match_check.shown == [{"kind": "person", "id": sam.pk, "label": f"Sam Shah (person {sam.pk})"}]


def test_an_adopter_with_no_match_is_added_straight_away(adoption_worker, household, sam):
    assert adoption_worker.post(url(household), adopter_post("Alex", "Okoro")).status_code == 302
    adopter = Adopter.objects.get(household=household)
    assert adopter.person.last_name == "Okoro" and adopter.match_check is None


def test_a_person_in_a_network_the_worker_may_see_is_shown_with_it(adoption_worker, household):
    child = ChildFactory(first_name="Mia", last_name="Shah", **search_keys("Mia", "Shah"))
    aunt = PersonFactory(first_name="Sam", last_name="Shah", date_of_birth=BORN)
    RelationshipFactory(child=child, person=aunt, kind=Relationship.Kind.AUNT_UNCLE)
    body = adoption_worker.post(url(household), adopter_post()).content.decode()
    assert f"Aunt or uncle of Mia Shah ({child.la_child_id})" in body


def test_a_match_the_worker_may_not_see_is_warned_of_only(adoption_worker, household):
    secret = ChildFactory(first_name="Zed", last_name="Shah", is_restricted=True, **search_keys("Zed", "Shah"))
    hidden = PersonFactory(first_name="Sam", last_name="Shah", date_of_birth=BORN)
    RelationshipFactory(child=secret, person=hidden)
    before = state()
    response = adoption_worker.post(url(household), adopter_post())
    body = response.content.decode()
    assert "A possible match exists in a record you cannot see" in body and "Zed" not in body
    assert shown(response) == "hidden" and state() == before
    adoption_worker.post(url(household), adopter_post(matches_shown="hidden", match=f"person:{hidden.pk}"))
    assert state() == before  # cannot be chosen
    adoption_worker.post(url(household), adopter_post(matches_shown="hidden", match="new"))
    assert Adopter.objects.get(household=household).person != hidden and MatchCheck.objects.get().hidden


def test_no_choice_is_an_error_and_saves_nothing(adoption_worker, household, sam):
    token = shown(adoption_worker.post(url(household), adopter_post()))
    before = state()
    body = adoption_worker.post(url(household), adopter_post(matches_shown=token)).content.decode()
    assert "Select the adopter if they are one of these" in body and 'href="#id_match"' in body
    assert state() == before


@pytest.mark.parametrize("role, status", [(Role.SOCIAL_WORKER, 404), (Role.PARTNER, 403),
                                          (Role.PERFORMANCE_ANALYST, 403)])
def test_a_user_outside_the_adoption_service_changes_nothing(signed_in, household, sam, role, status):
    client = signed_in(role, team=TeamFactory(name="Assessment team"))
    before = state()
    for post in (adopter_post(), adopter_post(matches_shown=f"person:{sam.pk}", match=f"person:{sam.pk}"),
                 adopter_post(matches_shown=f"person:{sam.pk}", match="new")):
        assert client.post(url(household), post).status_code == status
    assert state() == before


def test_destroying_a_childs_record_keeps_a_person_of_its_network_who_is_an_adopter(household):
    child = ChildFactory(date_of_birth=D(2000, 1, 1))
    aunt = PersonFactory(first_name="Sam", last_name="Shah")
    uncle = PersonFactory(first_name="Ray", last_name="Shah")
    RelationshipFactory(child=child, person=aunt, kind=Relationship.Kind.AUNT_UNCLE)
    RelationshipFactory(child=child, person=uncle, kind=Relationship.Kind.AUNT_UNCLE)
    Adopter.objects.create(household=household, person=aunt, added_by=household.created_by)
    with transaction.atomic():
        destroy({child.pk})
    assert Person.objects.filter(pk=aunt.pk).exists() and not Person.objects.filter(pk=uncle.pk).exists()
