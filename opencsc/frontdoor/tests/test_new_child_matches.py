"""A new child typed on the contact form is checked against the children already known (issue 19 item 2):
the same matching as /children/new/, the possible matches shown with their alerts, and the worker's choice
(an existing child, or none of these) recorded."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.core.models import AuditEvent
from opencsc.frontdoor.models import Contact
from opencsc.people.models import Child
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory, PersonFactory, RelationshipFactory

from .test_pages import contact_post, date_fields

D = dt.date
pytestmark = pytest.mark.django_db
URL = reverse("frontdoor:contact_add")
WARNING = "This child may already have a record"


def known_child(first, last, born, **extra):
    return ChildFactory(first_name=first, last_name=last, date_of_birth=born, **search_keys(first, last), **extra)


@pytest.fixture
def malcolm():
    child = known_child("Malcolm", "Andrews", D(2022, 1, 20))
    RelationshipFactory(child=child, person=PersonFactory(poses_risk=True))
    return child


def malcom(**overrides):
    return contact_post(new_first_name="Malcom", new_last_name="Andrews",
                        **date_fields("new_date_of_birth", D(2022, 1, 20)), **overrides)


def shown(response) -> str:
    return re.search(r'name="matches_shown" value="([^"]*)"', response.content.decode()).group(1)


def check_events():
    return AuditEvent.objects.filter(action=AuditEvent.Action.OTHER, summary__startswith="Possible existing records")


def test_a_misspelt_known_child_is_shown_with_its_alerts_and_nothing_is_saved(signed_in, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    children = Child.objects.count()
    response = client.post(URL, malcom(concerns="Bruising seen at nursery"))
    body = response.content.decode()
    assert response.status_code == 200
    assert WARNING in body and "Nothing has been saved yet. You entered Malcom Andrews, born 20 Jan 2022" in body
    assert "Malcolm Andrews" in body and malcolm.la_child_id in body and "20 Jan 2022" in body
    assert "Poses a risk" in body and "None of these: create a new record" in body
    assert "Bruising seen at nursery" in body and "PC Lewis" in body  # what was typed is kept
    assert "There is a problem" not in body
    assert not Contact.objects.exists() and Child.objects.count() == children


def test_choosing_the_known_child_links_the_contact_to_it_and_creates_no_child(signed_in, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    children = Child.objects.count()
    token = shown(client.post(URL, malcom()))
    response = client.post(URL, malcom(matches_shown=token, new_child_match=str(malcolm.pk)))
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert list(contact.children.all()) == [malcolm]
    assert Child.objects.count() == children
    event = check_events().get()
    assert event.child == malcolm and event.changes["possible_matches"] == [None, [malcolm.la_child_id]]
    assert event.changes["chosen"] == [None, malcolm.la_child_id]


def test_confirming_none_of_these_creates_one_new_child(signed_in, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    children = Child.objects.count()
    token = shown(client.post(URL, malcom()))
    response = client.post(URL, malcom(matches_shown=token, new_child_match="new"))
    assert response.status_code == 302
    new = Contact.objects.get().children.get()
    assert (new.first_name, new.last_name, new.date_of_birth) == ("Malcom", "Andrews", D(2022, 1, 20))
    assert new != malcolm and Child.objects.count() == children + 1
    event = check_events().get()
    assert event.child == new and event.changes["chosen"] == [None, "new record"]
    assert event.changes["possible_matches"] == [None, [malcolm.la_child_id]]


def test_saving_again_without_a_choice_is_an_error_and_saves_nothing(signed_in, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    children = Child.objects.count()
    token = shown(client.post(URL, malcom()))
    response = client.post(URL, malcom(matches_shown=token))
    body = response.content.decode()
    assert "There is a problem" in body and "Select the child if they are one of these" in body
    assert 'href="#id_new_child_match"' in body and 'id="id_new_child_match"' in body
    assert "<title>Error: " in body
    assert not Contact.objects.exists() and Child.objects.count() == children


def test_a_choice_made_before_the_matches_were_shown_is_not_taken(signed_in, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    children = Child.objects.count()
    response = client.post(URL, malcom(new_child_match="new"))
    assert WARNING in response.content.decode()
    assert not Contact.objects.exists() and Child.objects.count() == children


def test_a_child_with_no_possible_match_is_added_without_a_warning(signed_in, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    response = client.post(URL, contact_post(new_first_name="Ruby", new_last_name="Ncube",
                                             **date_fields("new_date_of_birth", D(2022, 1, 20))))
    assert response.status_code == 302
    assert Contact.objects.get().children.get().first_name == "Ruby"
    assert not check_events().exists()


def test_a_match_in_a_record_the_worker_may_not_see_is_said_but_not_shown(signed_in):
    hidden = known_child("Malcolm", "Andrews", D(2022, 1, 20), is_restricted=True)
    client = signed_in(Role.MASH_PRACTITIONER)
    response = client.post(URL, malcom())
    body = response.content.decode()
    assert "A possible match exists in a record you cannot see" in body
    assert hidden.la_child_id not in body and not Contact.objects.exists()
    client.post(URL, malcom(matches_shown=shown(response), new_child_match=str(hidden.pk)))
    assert not Contact.objects.exists()  # a record they may not see cannot be chosen
    client.post(URL, malcom(matches_shown=shown(response), new_child_match="new"))
    event = check_events().get()
    assert event.changes["match_not_shown"] == [None, True] and event.changes["possible_matches"] == [None, []]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.PERFORMANCE_ANALYST, Role.PARTNER])
def test_a_role_that_may_not_record_contacts_changes_nothing(signed_in, malcolm, role):
    client = signed_in(role)
    children = Child.objects.count()
    response = client.post(URL, malcom(matches_shown=str(malcolm.pk), new_child_match=str(malcolm.pk)))
    assert response.status_code == 403
    response = client.post(URL, malcom(matches_shown=str(malcolm.pk), new_child_match="new"))
    assert response.status_code == 403
    assert not Contact.objects.exists() and Child.objects.count() == children and not check_events().exists()


def test_a_match_not_shown_when_the_worker_chose_shows_the_matches_again(signed_in, malcolm):
    client = signed_in(Role.MASH_PRACTITIONER)
    token = shown(client.post(URL, malcom()))
    other = known_child("Malcom", "Andrews", D(2022, 1, 20))  # recorded meanwhile (or the typed child changed)
    response = client.post(URL, malcom(matches_shown=token, new_child_match="new"))
    body = response.content.decode()
    assert WARNING in body and other.la_child_id in body and malcolm.la_child_id in body
    assert not Contact.objects.exists()
