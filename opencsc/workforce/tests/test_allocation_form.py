"""The allocation form offers only the workers who may hold a child's case, grouped by team with their
caseloads; a refused allocation changes nothing; the worker finds the child in "Newly allocated to you"
until they open the record, and the child's due items are in their My work from the allocation."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.assessment.tests.factories import CINEpisodeFactory
from opencsc.casework.models import Allocation
from opencsc.casework.services import allocation_transfer
from opencsc.casework.tests.factories import AllocationFactory, CaseNoteFactory, VisitFactory
from opencsc.core.models import AuditEvent
from opencsc.core.work import queues_for
from opencsc.people.tests.factories import ChildFactory
from opencsc.timescales.selectors import my_work

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def date_fields(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


@pytest.fixture
def world(make_user):
    assessment = TeamFactory(name="Referral and assessment team 1", kind=TeamKind.REFERRAL_ASSESSMENT)
    protection = TeamFactory(name="Child protection team 1", kind=TeamKind.CHILD_PROTECTION)
    leavers = TeamFactory(name="Care leavers team", kind=TeamKind.CARE_LEAVERS)
    w = {
        "assessment": assessment, "protection": protection,
        "manager": make_user(Role.TEAM_MANAGER, team=assessment),
        "sam": make_user(Role.SOCIAL_WORKER, team=assessment, first_name="Sam", last_name="Walker"),
        "priya": make_user(Role.SENIOR_PRACTITIONER, team=protection, first_name="Priya", last_name="Shah"),
        "pat": make_user(Role.PERSONAL_ADVISER, team=leavers, first_name="Pat", last_name="Adeyemi"),
        # Never offered: not case-holding, not active, or not in a team that holds cases
        "martin": make_user(Role.MASH_PRACTITIONER, team=TeamFactory(name="MASH", kind=TeamKind.MASH),
                            first_name="Martin", last_name="Ashby"),
        "admin": make_user(Role.ADMINISTRATOR, team=TeamFactory(name="System administration",
                                                                kind=TeamKind.ADMINISTRATION)),
        "anita": make_user(Role.PERFORMANCE_ANALYST, team=TeamFactory(name="Performance and information",
                                                                      kind=TeamKind.PERFORMANCE)),
        "officer": make_user(Role.PARTNER, agency="police", team=TeamFactory(name="Police public protection unit",
                                                                            kind=TeamKind.PARTNER)),
        "left": make_user(Role.SOCIAL_WORKER, team=assessment, first_name="Gone", last_name="Away",
                          is_active=False),
        "iro": make_user(Role.IRO, team=TeamFactory(name="IRO and conference chairs", kind=TeamKind.IRO_SERVICE)),
    }
    TeamFactory(name="Safeguarding service managers", kind=TeamKind.CHILD_PROTECTION)  # no practitioners
    for _ in range(2):
        AllocationFactory(worker=w["priya"], team=protection, start_date=TODAY() - dt.timedelta(days=40))
    return w


def test_the_form_offers_only_case_holding_workers_grouped_by_team_with_their_caseloads(client, world):
    child = ChildFactory()
    client.force_login(world["manager"])
    page = client.get(reverse("workforce:allocate", args=[child.pk])).content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)"', page)
    # The manager's own team first, then the others by name
    assert groups == ["Referral and assessment team 1", "Care leavers team", "Child protection team 1"]
    assert "Priya Shah, senior practitioner: 2 children allocated" in page
    assert "Sam Walker, social worker: 0 children allocated" in page
    assert "Pat Adeyemi, personal adviser" in page
    for absent in ("---------", "Martin Ashby", "Gone Away", "System administration", "Performance and information",
                   "Police public protection unit", "MASH", "IRO and conference chairs",
                   "Safeguarding service managers"):
        assert absent not in page, absent
    teams = re.findall(r'name="team" type="radio" value="(\d+)"', page)
    assert teams[0] == str(world["assessment"].pk)
    assert "Not yet: leave the child in the team, awaiting allocation" in page


def test_the_team_asked_for_comes_first(client, world):
    client.force_login(world["manager"])
    url = reverse("workforce:allocate", args=[ChildFactory().pk]) + f"?team={world['protection'].pk}"
    page = client.get(url).content.decode()
    assert re.findall(r'<optgroup label="([^"]+)"', page)[0] == "Child protection team 1"
    assert f'value="{world["protection"].pk}" checked' in page


@pytest.mark.parametrize("who", ["martin", "admin", "anita", "officer", "left", "iro"])
def test_a_worker_who_may_not_hold_cases_is_refused_and_nothing_changes(client, world, who):
    child = ChildFactory()
    current = AllocationFactory(child=child, worker=world["sam"], team=world["assessment"],
                                start_date=TODAY() - dt.timedelta(days=30))
    stranger = world[who]
    client.force_login(world["manager"])
    response = client.post(reverse("workforce:allocate", args=[child.pk]), {
        "team": stranger.team_id, "worker": stranger.pk, **date_fields("start_date", TODAY())})
    assert response.status_code == 200
    assert "Select a worker from the list" in response.content.decode()
    with pytest.raises(ValidationError) as error:  # and the service refuses it however it is asked
        allocation_transfer(actor=world["manager"], child=child, team=stranger.team, worker=stranger,
                            start_date=TODAY())
    assert set(error.value.message_dict) & {"team", "worker"}
    current.refresh_from_db()
    assert current.end_date is None and list(Allocation.objects.filter(child=child)) == [current]
    assert not AuditEvent.objects.filter(child=child, object_id=str(current.pk), action="updated").exists()


def test_no_team_and_no_worker_is_a_clear_error(client, world):
    child = ChildFactory()
    client.force_login(world["manager"])
    response = client.post(reverse("workforce:allocate", args=[child.pk]), {**date_fields("start_date", TODAY())})
    assert "Select the team" in response.content.decode()
    assert not Allocation.objects.filter(child=child).exists()


def test_the_worker_finds_the_child_newly_allocated_until_they_open_the_record(client, world):
    child = ChildFactory(first_name="Ava", last_name="Green")
    CINEpisodeFactory(child=child, referral_date=TODAY() - dt.timedelta(days=1))
    client.force_login(world["manager"])
    client.post(reverse("workforce:allocate", args=[child.pk]), {
        "team": world["assessment"].pk, "worker": world["sam"].pk, **date_fields("start_date", TODAY())})
    assert Allocation.objects.get(child=child, end_date__isnull=True).worker == world["sam"]

    sam = world["sam"]
    client.force_login(sam)
    [queue] = [q for q in queues_for(sam) if q.queue.code == "newly_allocated"]
    assert [i.subject for i in queue.items] == [f"Ava Green ({child.la_child_id})"]
    page = client.get(reverse("workforce:newly_allocated")).content.decode()
    assert "Ava Green" in page and "Open the record and plan your first visit" in page
    # The child's due items follow from the allocation: the assessment clock is in Sam's My work
    assert any(i.child_id == child.pk and i.rule_code == "assessment" for i in my_work(user=sam))

    assert client.get(reverse("casework:child_record", args=[child.pk])).status_code == 200
    assert "Ava Green" not in client.get(reverse("workforce:newly_allocated")).content.decode()
    assert [q for q in queues_for(sam) if q.queue.code == "newly_allocated"][0].items == []


@pytest.mark.parametrize("taken_up", ["visit", "case_note", "nothing"])
def test_a_visit_or_a_case_note_also_takes_the_child_off_the_new_list(world, taken_up):
    sam = world["sam"]
    allocation = AllocationFactory(worker=sam, team=world["assessment"], start_date=TODAY() - dt.timedelta(days=3))
    if taken_up == "visit":
        VisitFactory(child=allocation.child, visitor=sam, visited_on=TODAY())
    elif taken_up == "case_note":
        CaseNoteFactory(child=allocation.child, author=sam, contact_date=TODAY())
    VisitFactory(child=allocation.child, visited_on=TODAY())  # someone else's visit does not count
    [queue] = [q for q in queues_for(sam) if q.queue.code == "newly_allocated"]
    assert len(queue.items) == (1 if taken_up == "nothing" else 0)
