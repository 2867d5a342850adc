"""The one duplicate check wherever a person is added (issue 19 item 2): the family network and /children/new/.

Adding someone runs people.selectors.possible_people (the matching of /children/new/): the possible matches are
shown (name, date of birth, how they are known to us), a match the user may not see is warned of and never
shown, and the user links the existing record or adds a new one after confirming none of these is them. The
choice is kept on the record (people.MatchCheck) and in the audit."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.core.models import AuditEvent
from opencsc.people.models import Child, MatchCheck, Person, Relationship
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory, PersonFactory, RelationshipFactory

from .test_pages import date_fields

D = dt.date
pytestmark = pytest.mark.django_db
BORN = D(1990, 1, 20)
KNOWN = "This person may already be known to us"


def known_child(first, last, born, **extra):
    return ChildFactory(first_name=first, last_name=last, date_of_birth=born, **search_keys(first, last), **extra)


@pytest.fixture
def child():
    return known_child("Ella", "Andrews", D(2020, 6, 1))


@pytest.fixture
def malcolm():
    """Malcolm Andrews, born 20 Jan 1990: the father in another child's network, who poses a risk."""
    person = PersonFactory(first_name="Malcolm", last_name="Andrews", date_of_birth=BORN, poses_risk=True)
    other = known_child("Kai", "Andrews", D(2015, 3, 3))
    RelationshipFactory(child=other, person=person, kind=Relationship.Kind.FATHER)
    return person


def url(child):
    return reverse("people:family_add", args=[child.pk])


def person_post(first="Malcom", last="Andrews", born=BORN, **extra):
    data = {"kind": "father", "first_name": first, "last_name": last, "sex": "M",
            "notes": "Sees Ella at weekends", "phone": "07700 900123"}
    if born:
        data.update(date_fields("date_of_birth", born))
    return {**data, **extra}


def shown(response) -> str:
    return re.search(r'name="matches_shown" value="([^"]*)"', response.content.decode()).group(1)


def state():
    return (Person.objects.count(), Relationship.objects.count(), MatchCheck.objects.count(),
            AuditEvent.objects.count(), Child.objects.count())


@pytest.mark.parametrize("first, last, born", [
    ("Malcom", "Andrews", BORN),      # a letter missing
    ("Malcolm", "Andrewes", BORN),    # a letter too many
    ("Andrews", "Malcolm", BORN),     # first and last names swapped
    ("Malcolm", "Andrews", BORN),     # the same name and birth date
    ("Malcolm", "Andrews", None),     # the same name, no birth date given
])
def test_a_person_already_known_is_shown_and_nothing_is_saved(signed_in, child, malcolm, first, last, born):
    client = signed_in(Role.MASH_PRACTITIONER)
    before = state()
    response = client.post(url(child), person_post(first, last, born))
    body = response.content.decode()
    assert response.status_code == 200 and KNOWN in body
    assert f"Nothing has been saved yet. You entered {first} {last}" in body
    assert "Malcolm Andrews" in body and "20 Jan 1990" in body
    assert "Father of Kai Andrews" in body and "Poses a risk to children" in body
    assert "None of these: add a new person" in body and "<legend" in body
    assert "Sees Ella at weekends" in body and "07700 900123" in body  # what was typed is kept
    assert "There is a problem" not in body
    assert state() == before


@pytest.mark.parametrize("first, last", [("Ruby", "Ncube"), ("Malcolm", "Baptiste"), ("Marcus", "Andrews")])
def test_a_person_with_no_possible_match_is_added_straight_away(signed_in, child, malcolm, first, last):
    client = signed_in(Role.MASH_PRACTITIONER)
    response = client.post(url(child), person_post(first, last))
    assert response.status_code == 302
    added = Relationship.objects.get(child=child).person
    assert (added.first_name, added.last_name) == (first, last) and added != malcolm
    assert not MatchCheck.objects.exists()


def test_choosing_the_known_person_links_them_and_records_the_choice(signed_in, child, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    people = Person.objects.count()
    token = shown(client.post(url(child), person_post()))
    response = client.post(url(child), person_post(matches_shown=token, match=f"person:{malcolm.pk}", marac="on"),
                           follow=True)
    assert "Malcolm Andrews added to the family network: their existing record is linked" in response.content.decode()
    relationship = Relationship.objects.get(child=child)
    assert relationship.person == malcolm and relationship.notes == "Sees Ella at weekends"
    assert Person.objects.count() == people
    malcolm.refresh_from_db()
    assert malcolm.marac and malcolm.phone == "07700 900123"  # added where they had none; nothing overwritten
    check = MatchCheck.objects.get()
    assert check.chose_existing and check.subject == MatchCheck.Subject.NETWORK
    assert (check.child, check.person, check.relationship) == (child, malcolm, relationship)
    assert [m["id"] for m in check.shown] == [malcolm.pk] and not check.hidden
    assert (check.first_name, check.last_name, check.date_of_birth) == ("Malcom", "Andrews", BORN)
    event = AuditEvent.objects.get(object_id=str(check.pk), content_type__model="matchcheck")
    assert event.child == child and event.changes["chosen"] == [None, f"Malcolm Andrews (person {malcolm.pk})"]
    family = client.get(reverse("people:family", args=[child.pk])).content.decode()
    assert "Checked for an existing record when added: the existing record was linked" in family


def test_confirming_none_of_these_adds_a_new_person_and_records_it(signed_in, child, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    people = Person.objects.count()
    token = shown(client.post(url(child), person_post()))
    assert client.post(url(child), person_post(matches_shown=token, match="new")).status_code == 302
    added = Relationship.objects.get(child=child).person
    assert added != malcolm and added.first_name == "Malcom" and Person.objects.count() == people + 1
    check = MatchCheck.objects.get()
    assert not check.chose_existing and check.person == added and check.shown[0]["id"] == malcolm.pk
    event = AuditEvent.objects.get(object_id=str(check.pk), content_type__model="matchcheck")
    assert event.changes["chosen"] == [None, "new record"]


def test_a_known_child_may_be_linked_as_a_sibling(signed_in, child):
    sibling = known_child("Malcolm", "Andrews", D(2012, 1, 20))
    client = signed_in(Role.MASH_PRACTITIONER)
    post = person_post("Malcom", "Andrews", D(2012, 1, 20), kind="sibling")
    response = client.post(url(child), post)
    assert sibling.la_child_id in response.content.decode()
    client.post(url(child), {**post, "matches_shown": shown(response), "match": f"child:{sibling.pk}"})
    relationship = Relationship.objects.get(child=child)
    assert relationship.related_child == sibling and relationship.person is None
    assert MatchCheck.objects.get().related_child == sibling


def test_saving_again_without_a_choice_is_an_error_linked_from_the_summary(signed_in, child, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    token = shown(client.post(url(child), person_post()))
    before = state()
    body = client.post(url(child), person_post(matches_shown=token)).content.decode()
    assert "<title>Error: " in body and "There is a problem" in body
    assert "Select the person if they are one of these, or select none of these to add a new person" in body
    assert 'href="#id_match"' in body and 'id="id_match"' in body and 'aria-describedby="match-error"' in body
    assert "Sees Ella at weekends" in body
    assert state() == before


def test_a_choice_made_before_the_matches_were_shown_is_not_taken(signed_in, child, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    before = state()
    body = client.post(url(child), person_post(match="new")).content.decode()
    assert KNOWN in body and state() == before


def test_a_match_the_user_may_not_see_is_warned_of_and_never_shown(signed_in, child):
    secret = known_child("Zed", "Andrews", D(2016, 1, 1), is_restricted=True)
    hidden = PersonFactory(first_name="Malcolm", last_name="Andrews", date_of_birth=BORN)
    RelationshipFactory(child=secret, person=hidden)
    client = signed_in(Role.MASH_PRACTITIONER)
    before = state()
    response = client.post(url(child), person_post())
    body = response.content.decode()
    assert "A possible match exists in a record you cannot see" in body
    assert "Zed" not in body and "20 Jan 1990" not in body.split("You entered")[1].split("</p>")[1]
    assert f"person:{hidden.pk}" not in body and shown(response) == "hidden"
    body = client.post(url(child), person_post(matches_shown="hidden", match=f"person:{hidden.pk}")).content.decode()
    assert "Select the person if they are one of these" in body and state() == before  # cannot be chosen
    client.post(url(child), person_post(matches_shown="hidden", match="new"))
    check = MatchCheck.objects.get()
    assert check.hidden and check.shown == [] and Relationship.objects.get(child=child).person != hidden


def test_someone_already_in_this_network_is_not_added_twice(signed_in, child, malcolm):
    RelationshipFactory(child=child, person=malcolm, kind=Relationship.Kind.FATHER)
    client = signed_in(Role.MASH_PRACTITIONER)
    token = shown(client.post(url(child), person_post()))
    before = state()
    body = client.post(url(child), person_post(matches_shown=token, match=f"person:{malcolm.pk}")).content.decode()
    assert "Malcolm Andrews is already in this child&#x27;s family network" in body and state() == before


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.PARTNER, Role.SOCIAL_WORKER])
def test_a_user_who_may_not_change_the_network_changes_nothing(signed_in, child, malcolm, role):
    client = signed_in(role)  # a social worker the child is not allocated to: not found
    before = state()
    for post in (person_post(), person_post(matches_shown=f"person:{malcolm.pk}", match=f"person:{malcolm.pk}"),
                 person_post(matches_shown=f"person:{malcolm.pk}", match="new")):
        assert client.post(url(child), post).status_code in (403, 404)
    assert state() == before


# /children/new/ --------------------------------------------------------------------------------------

NEW_CHILD = {"first_name": "Andrews", "last_name": "Malcolm", "sex": "M", "ethnicity": "WBRI",
             **date_fields("date_of_birth", D(2022, 1, 20))}


def test_a_new_child_with_names_swapped_is_matched_and_the_existing_record_chosen(signed_in):
    existing = known_child("Malcolm", "Andrews", D(2022, 1, 20))
    client = signed_in(Role.MASH_PRACTITIONER)
    before = state()
    response = client.post(reverse("people:child_create"), NEW_CHILD)
    body = response.content.decode()
    assert "This child may already have a record" in body and existing.la_child_id in body and state() == before
    response = client.post(reverse("people:child_create"),
                           {**NEW_CHILD, "matches_shown": shown(response), "match": f"child:{existing.pk}"})
    assert response.url == reverse("casework:child_record", args=[existing.pk])
    assert Child.objects.count() == before[-1]
    check = MatchCheck.objects.get()
    assert check.chose_existing and check.child == existing and check.subject == MatchCheck.Subject.CHILD


def test_a_new_child_confirmed_different_is_created_and_the_choice_recorded(signed_in):
    existing = known_child("Malcolm", "Andrews", D(2022, 1, 20))
    client = signed_in(Role.MASH_PRACTITIONER)
    token = shown(client.post(reverse("people:child_create"), NEW_CHILD))
    client.post(reverse("people:child_create"), {**NEW_CHILD, "matches_shown": token, "match": "new"})
    new = Child.objects.get(first_name="Andrews")
    check = MatchCheck.objects.get()
    assert check.child == new and not check.chose_existing and check.shown[0]["id"] == existing.pk
    assert AuditEvent.objects.filter(object_id=str(check.pk), content_type__model="matchcheck", child=new).exists()


def test_a_new_child_cannot_be_created_by_a_role_that_may_not(signed_in):
    existing = known_child("Malcolm", "Andrews", D(2022, 1, 20))
    client = signed_in(Role.PERFORMANCE_ANALYST)
    before = state()
    for choice in ("new", f"child:{existing.pk}"):
        response = client.post(reverse("people:child_create"),
                               {**NEW_CHILD, "matches_shown": f"child:{existing.pk}", "match": choice})
        assert response.status_code == 403
    assert state() == before
