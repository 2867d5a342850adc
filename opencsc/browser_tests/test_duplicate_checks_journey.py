"""The duplicate check in the family network (issue 19 item 2): adding someone already known shows the possible
matches, keeps what was typed, and the worker links the existing person rather than making a second record."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from opencsc.accounts.tests.factories import UserFactory
from opencsc.people.models import MatchCheck, Person, Relationship
from opencsc.people.names import search_keys
from opencsc.people.tests.factories import ChildFactory, PersonFactory, RelationshipFactory

from .helpers import fill_date, save_screenshot, sign_in


def test_adding_a_known_person_to_a_network_links_the_existing_record(page, live_server):
    # Given Ella, and Malcolm Andrews already known as the father of another child, recorded as posing a risk
    ella = ChildFactory(first_name="Ella", last_name="Andrews", date_of_birth=dt.date(2020, 6, 1),
                        **search_keys("Ella", "Andrews"))
    kai = ChildFactory(first_name="Kai", last_name="Andrews", date_of_birth=dt.date(2015, 3, 3),
                       **search_keys("Kai", "Andrews"))
    malcolm = PersonFactory(first_name="Malcolm", last_name="Andrews", date_of_birth=dt.date(1990, 1, 20),
                            poses_risk=True)
    RelationshipFactory(child=kai, person=malcolm, kind=Relationship.Kind.FATHER)
    manager = UserFactory(role="team_manager")
    people = Person.objects.count()

    # When a team manager adds Ella's father, misspelling his name
    sign_in(page, live_server, manager.username)
    page.goto(f"{live_server.url}/children/{ella.pk}/family/")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Relationship to the child").select_option(label="Father")
    page.get_by_label("First name").fill("Malcom")
    page.get_by_label("Last name").fill("Andrews")
    fill_date(page, "Date of birth", dt.date(1990, 1, 20), exact=True)
    page.get_by_label("Notes").fill("Sees Ella at weekends")
    page.get_by_role("button", name="Add to the network").click()

    # Then the possible match is shown, with how he is known to us, and nothing typed is lost
    expect(page.get_by_role("heading", name="This person may already be known to us")).to_be_visible()
    matches = page.get_by_role("table", name="Possible matches")
    expect(matches.get_by_text(re.compile("Father of Kai Andrews"))).to_be_visible()
    expect(matches.get_by_text("Poses a risk to children")).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Sees Ella at weekends")
    expect(page.get_by_label("First name")).to_have_value("Malcom")
    assert Person.objects.count() == people and not Relationship.objects.filter(child=ella).exists()

    # When they save without choosing, the error summary links to the question
    page.get_by_role("button", name="Add to the network").click()
    summary = page.get_by_role("alert")
    expect(summary.get_by_text(re.compile("Select the person if they are one of these"))).to_be_visible()
    summary.get_by_role("link", name=re.compile("Select the person")).click()
    expect(page.locator("#id_match")).to_be_focused()

    # And they choose the existing Malcolm Andrews
    page.get_by_role("group", name="Is this person one of these?").get_by_label(
        re.compile(r"Yes, Malcolm Andrews, born 20 Jan 1990")).check()
    page.get_by_role("button", name="Add to the network").click()

    # Then Ella's network has him, linked to his existing record, and the choice is kept
    expect(page.get_by_text("their existing record is linked")).to_be_visible()
    expect(page.get_by_text("the existing record was linked")).to_be_visible()
    save_screenshot(page, "duplicate_check_family_network")
    assert Relationship.objects.get(child=ella).person == malcolm and Person.objects.count() == people
    check = MatchCheck.objects.get()
    assert check.chose_existing and check.person == malcolm and check.child == ella
