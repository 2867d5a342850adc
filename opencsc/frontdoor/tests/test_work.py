"""The front door's work queues through the pages: a screened contact reaches the managers who decide it,
with the engine's decision clock; the referral decision allocates the child there and then, or leaves them
waiting in a team for its managers; nothing is decided or allocated when the decision is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.assessment.models import CINEpisode
from opencsc.casework.models import Allocation
from opencsc.casework.tests.factories import AllocationFactory
from opencsc.core.work import queues_for
from opencsc.frontdoor import services
from opencsc.frontdoor.models import Contact
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.timescales.authority import timescale
from opencsc.timescales.selectors import due_items

from .factories import ContactFactory, InformationRequestFactory, at, screened

pytestmark = pytest.mark.django_db


@pytest.fixture
def front_door_team():
    return TeamFactory(name="Referral and assessment team 1", kind=TeamKind.REFERRAL_ASSESSMENT)


@pytest.fixture
def manager(make_user, front_door_team):
    return make_user(Role.TEAM_MANAGER, team=front_door_team, first_name="Tom", last_name="Mensah")


@pytest.fixture
def worker(make_user, front_door_team):
    return make_user(Role.SOCIAL_WORKER, team=front_door_team, first_name="Sam", last_name="Walker")


def queue(user, code):
    return next((q for q in queues_for(user) if q.queue.code == code), None)


def decision_post(contact, **extra):
    return {"outcome": "referral", "decision_rationale": "Threshold for assessment met", "primary_need": "N1",
            "version": contact.version, **extra}


def received_days_ago(days):
    return at(timezone.localdate() - dt.timedelta(days=days), 10)


def test_a_screened_contact_reaches_the_deciding_managers_with_the_engines_clock(client, make_user, manager):
    child = ChildFactory(first_name="Malcolm", last_name="Andrews")
    contact = ContactFactory(children=[child], received_at=received_days_ago(10))
    mash = make_user(Role.MASH_PRACTITIONER)

    # Not yet screened: the MASH's work, not the manager's decisions
    assert [i.subject for i in queue(mash, "contacts_to_screen").items] == [f"Malcolm Andrews ({child.la_child_id})"]
    assert queue(manager, "contact_decisions").items == []

    screened(contact, mash)
    [item] = queue(manager, "contact_decisions").items
    verdict = timescale("contact_decision").verdict(timezone.localdate(contact.received_at), timezone.localdate())
    assert item.overdue and item.due_text == verdict.overdue_text and "working day" in item.due_text
    assert item.due == verdict.due and item.url == reverse("frontdoor:contact_detail", args=[contact.pk])
    assert queue(mash, "contacts_to_screen").items == []

    client.force_login(manager)
    page = client.get(reverse("frontdoor:decisions")).content.decode()
    assert "Malcolm Andrews" in page and verdict.overdue_text in page and "Decide what happens next" in page


def test_a_contact_received_today_is_due_by_the_engines_date(make_user, manager):
    contact = screened(ContactFactory(children=[ChildFactory()], received_at=timezone.now()), None)
    [item] = queue(manager, "contact_decisions").items
    due = timescale("contact_decision").due(timezone.localdate(contact.received_at))
    assert not item.overdue and item.due == due and item.due_text in ("Due today", f"Due {due:%-d %b %Y}")


def test_only_the_front_doors_managers_have_decisions_in_their_work(make_user, client):
    screened(ContactFactory(children=[ChildFactory()]), None)
    in_care = make_user(Role.TEAM_MANAGER, team=TeamFactory(name="Children in care team",
                                                             kind=TeamKind.CHILDREN_IN_CARE))
    assert queue(in_care, "contact_decisions") is None
    assert len(queue(make_user(Role.SERVICE_MANAGER), "contact_decisions").items) == 1
    mash_manager = make_user(Role.TEAM_MANAGER, team=TeamFactory(name="MASH", kind=TeamKind.MASH))
    assert len(queue(mash_manager, "contact_decisions").items) == 1
    assert queue(make_user(Role.SOCIAL_WORKER), "contact_decisions") is None
    client.force_login(in_care)  # any manager may still decide, from the list page
    assert client.get(reverse("frontdoor:decisions")).status_code == 200


def test_a_partner_has_their_agencys_open_requests_to_answer(make_user):
    officer = make_user(Role.PARTNER, agency="police")
    contact = ContactFactory(children=[ChildFactory(first_name="Leon", last_name="Barker")])
    request = InformationRequestFactory(contact=contact, agency="police")
    InformationRequestFactory(contact=contact, agency="health")
    [item] = queue(officer, "information_requests").items
    assert item.subject == "Leon Barker" and item.overdue and item.due_text.startswith("Late: was due")
    assert item.url == reverse("frontdoor:partner_request", args=[request.pk])


def test_a_referral_left_for_allocation_waits_in_the_teams_queue(client, manager, worker, front_door_team):
    child = ChildFactory(first_name="Ava", last_name="Green")
    contact = screened(ContactFactory(children=[child], received_at=received_days_ago(1)), None)
    client.force_login(manager)
    page = client.get(reverse("frontdoor:contact_decide", args=[contact.pk])).content.decode()
    assert "Ava Green: needs a team and a social worker" in page
    response = client.post(reverse("frontdoor:contact_decide", args=[contact.pk]),
                           decision_post(contact, team=front_door_team.pk))
    assert response.status_code == 302
    allocation = Allocation.objects.get(child=child, end_date__isnull=True)
    assert (allocation.team, allocation.worker, allocation.start_date) == (front_door_team, None, timezone.localdate())

    # The team's manager finds the child in "Referrals awaiting allocation", linked to the form on that team
    [item] = queue(manager, "awaiting_allocation").items
    url = reverse("workforce:allocate", args=[child.pk]) + f"?team={front_door_team.pk}"
    assert item.url == url and item.subject.startswith("Ava Green")
    # with the child's assessment clock, which runs from the referral (the engine's due item and words)
    [clock] = due_items(children=Child.objects.filter(pk=child.pk), rules=["assessment"])
    assert (item.due, item.due_text) == (clock.due, f"Assessment: {clock.timing_text}")
    assert "Ava Green" in client.get(reverse("workforce:awaiting_allocation")).content.decode()
    form = client.get(url).context["form"]
    assert form.initial["team"] == str(front_door_team.pk)
    contact_page = client.get(reverse("frontdoor:contact_detail", args=[contact.pk])).content.decode()
    assert f"waiting for a worker in {front_door_team.name}" in contact_page

    # Allocating from there takes the child off the queue and into the worker's
    client.post(url, {"team": front_door_team.pk, "worker": worker.pk, "start_date_0": timezone.localdate().day,
                      "start_date_1": timezone.localdate().month, "start_date_2": timezone.localdate().year})
    assert Allocation.objects.get(child=child, end_date__isnull=True).worker == worker
    assert queue(manager, "awaiting_allocation").items == []
    assert [i.subject for i in queue(worker, "newly_allocated").items] == [f"Ava Green ({child.la_child_id})"]


def test_a_referral_allocated_there_and_then_goes_to_the_worker(client, manager, worker, front_door_team):
    child = ChildFactory()
    contact = screened(ContactFactory(children=[child], received_at=received_days_ago(1)), None)
    client.force_login(manager)
    response = client.post(reverse("frontdoor:contact_decide", args=[contact.pk]),
                           decision_post(contact, worker=worker.pk))  # the worker brings their team
    assert response.status_code == 302
    allocation = Allocation.objects.get(child=child, end_date__isnull=True)
    assert (allocation.team, allocation.worker) == (front_door_team, worker)
    assert queue(manager, "awaiting_allocation").items == []
    assert [i.url for i in queue(worker, "newly_allocated").items] == [
        reverse("casework:child_record", args=[child.pk])]


def test_a_child_whose_worker_holds_the_case_stays_with_them(client, manager, make_user):
    held = AllocationFactory(worker=make_user(Role.SOCIAL_WORKER), start_date=timezone.localdate()
                             - dt.timedelta(days=90))
    contact = screened(ContactFactory(children=[held.child], received_at=received_days_ago(1)), None)
    client.force_login(manager)
    page = client.get(reverse("frontdoor:contact_decide", args=[contact.pk])).content.decode()
    assert f"stays with {held.worker.display_name}" in page and 'name="team"' not in page
    assert client.post(reverse("frontdoor:contact_decide", args=[contact.pk]),
                       decision_post(contact)).status_code == 302
    assert list(Allocation.objects.filter(child=held.child)) == [held]


def test_a_referral_with_nobody_to_take_it_is_refused_and_changes_nothing(client, manager, worker):
    child = ChildFactory()
    contact = screened(ContactFactory(children=[child], received_at=received_days_ago(1)), None)
    client.force_login(manager)
    response = client.post(reverse("frontdoor:contact_decide", args=[contact.pk]), decision_post(contact))
    assert response.status_code == 200
    assert "Select the team to take the referral" in response.content.decode()
    assert Contact.objects.get().decided_at is None
    assert not CINEpisode.objects.exists() and not Allocation.objects.exists()


@pytest.mark.parametrize("role, kind", [
    (Role.MASH_PRACTITIONER, TeamKind.MASH),
    (Role.PERFORMANCE_ANALYST, TeamKind.PERFORMANCE),
    (Role.SOCIAL_WORKER, TeamKind.ADMINISTRATION),
    (Role.IRO, TeamKind.IRO_SERVICE),
])
def test_a_referral_to_someone_who_cannot_hold_cases_is_refused_and_changes_nothing(make_user, manager, role, kind):
    child = ChildFactory()
    contact = screened(ContactFactory(children=[child], received_at=received_days_ago(1)), None)
    stranger = make_user(role, team=TeamFactory(name=f"{kind} team", kind=kind))
    with pytest.raises(ValidationError):
        services.contact_decide(actor=manager, contact=contact, outcome="referral", decision_rationale="Met",
                                primary_need="N1", expected_version=contact.version, worker=stranger)
    assert Contact.objects.get().decided_at is None
    assert not CINEpisode.objects.exists() and not Allocation.objects.exists()


def test_the_queues_cost_the_same_few_queries_however_long(make_user, manager):
    mash = make_user(Role.MASH_PRACTITIONER)

    def cost():
        manager.refresh_from_db()
        mash.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            queues_for(manager)
            queues_for(mash)
        return len(queries)

    screened(ContactFactory(children=[ChildFactory()]), None)
    ContactFactory(children=[ChildFactory()])
    AllocationFactory(worker=None, team=manager.team)
    few = cost()
    for _ in range(4):
        screened(ContactFactory(children=ChildFactory.create_batch(2)), None)
        ContactFactory(children=[ChildFactory()])
        AllocationFactory(worker=None, team=manager.team)
    assert cost() == few
