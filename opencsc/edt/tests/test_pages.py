"""Recording out-of-hours work, the handover to the day team and its acknowledgement, through the pages."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opencsc.accounts.roles import CASEWORK_ROLES, Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.casework.models import Allocation
from opencsc.casework.selectors import chronology_for
from opencsc.core.models import AuditEvent
from opencsc.edt import policy, selectors
from opencsc.edt.models import OutOfHoursEntry
from opencsc.people.tests.factories import ChildFactory

from .factories import OutOfHoursEntryFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def entry_data(**overrides):
    data = {
        "occurred_on_0": "6", "occurred_on_1": "3", "occurred_on_2": "2026", "occurred_time": "23:40",
        "what_happened": "Police called: mother arrested after a fight at home.",
        "action_taken": "Visited with police; checked the children were unhurt.",
        "decision": "Children to stay with their grandmother overnight.",
        "follow_up": "Visit the grandmother and start a strategy discussion.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def mash():
    return TeamFactory(name="MASH", kind=TeamKind.MASH)


def test_edt_records_work_handed_over_to_the_mash_when_nobody_holds_the_child(signed_in, mash):
    child = ChildFactory()
    client = signed_in(Role.EDT_WORKER)
    response = client.post(reverse("edt:entry_add", args=[child.pk]), entry_data())
    entry = OutOfHoursEntry.objects.get(child=child)
    assert response.status_code == 302
    assert response["Location"] == reverse("edt:entry_detail", args=[child.pk, entry.pk])
    assert entry.occurred_at == dt.datetime(2026, 3, 6, 23, 40, tzinfo=LONDON)
    assert entry.day_team == mash
    assert entry.recorded_by == client.user
    assert entry.acknowledged_at is None
    assert AuditEvent.objects.filter(child=child, action="created", object_id=str(entry.pk)).exists()


def test_the_handover_goes_to_the_team_holding_the_child(signed_in, mash, make_user):
    child = ChildFactory()
    team = TeamFactory(name="Child protection east", kind=TeamKind.CHILD_PROTECTION)
    Allocation.objects.create(child=child, team=team, worker=make_user(), start_date=dt.date(2026, 1, 5))
    client = signed_in(Role.EDT_WORKER)
    client.post(reverse("edt:entry_add", args=[child.pk]), entry_data())
    assert OutOfHoursEntry.objects.get(child=child).day_team == team


@pytest.mark.parametrize("overrides, field, message", [
    ({"what_happened": " "}, "what_happened", "Enter what happened"),
    ({"decision": ""}, "decision", "Enter the decision made"),
    ({"follow_up": ""}, "follow_up", "Enter what the day team needs to do"),
    ({"occurred_time": "25:00"}, "occurred_time", "Enter the time as hours and minutes, like 23:15"),
    ({"occurred_on_2": "2099"}, "occurred_on", "When it happened must be now or in the past"),
    ({"placement_made": "on"}, "placement_details", "Enter where the child was placed"),
])
def test_incomplete_entries_are_refused_and_nothing_is_saved(signed_in, mash, overrides, field, message):
    child = ChildFactory()
    client = signed_in(Role.EDT_WORKER)
    response = client.post(reverse("edt:entry_add", args=[child.pk]), entry_data(**overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not OutOfHoursEntry.objects.exists()
    assert not AuditEvent.objects.filter(child=child).exists()


def test_without_a_mash_team_an_unallocated_child_cannot_be_handed_over(signed_in):
    child = ChildFactory()
    client = signed_in(Role.EDT_WORKER)
    response = client.post(reverse("edt:entry_add", args=[child.pk]), entry_data())
    assert response.status_code == 200
    assert "There is no active MASH team" in response.content.decode()
    assert not OutOfHoursEntry.objects.exists()


@pytest.mark.parametrize("role", sorted(CASEWORK_ROLES))
def test_only_the_edt_and_managers_record_out_of_hours_work(signed_in, mash, role):
    child = ChildFactory()
    client = signed_in(role)
    response = client.post(reverse("edt:entry_add", args=[child.pk]), entry_data())
    assert OutOfHoursEntry.objects.filter(child=child).count() == (1 if role in policy.may_record_out_of_hours.roles else 0)
    if role not in policy.may_record_out_of_hours.roles:
        assert response.status_code == 403


def test_an_entry_appears_in_the_chronology_with_its_flags(make_user):
    entry = OutOfHoursEntryFactory(police_protection=True)
    items = [i for i in chronology_for(user=make_user(), child=entry.child) if i.source == "out_of_hours"]
    assert [(i.date, i.title, i.significant) for i in items] == [
        (dt.date(2026, 3, 6), "Out-of-hours action at 22:30 (police protection)", True)]
    assert items[0].url == reverse("edt:entry_detail", args=[entry.child_id, entry.pk])


def test_the_day_team_acknowledges_a_handover_once(signed_in):
    entry = OutOfHoursEntryFactory()
    client = signed_in(Role.MASH_PRACTITIONER)
    url = reverse("edt:entry_acknowledge", args=[entry.child_id, entry.pk])
    before = timezone.now()
    assert client.post(url).status_code == 302
    entry.refresh_from_db()
    assert entry.acknowledged_by == client.user
    assert entry.acknowledged_at >= before
    first = entry.acknowledged_at
    audits = AuditEvent.objects.filter(child=entry.child).count()
    response = client.post(url, follow=True)
    assert "already acknowledged this handover" in response.content.decode()
    entry.refresh_from_db()
    assert entry.acknowledged_at == first
    assert AuditEvent.objects.filter(child=entry.child).count() == audits


@pytest.mark.parametrize("role", sorted(CASEWORK_ROLES))
def test_the_edt_does_not_acknowledge_its_own_handover(signed_in, role):
    entry = OutOfHoursEntryFactory()
    client = signed_in(role)
    response = client.post(reverse("edt:entry_acknowledge", args=[entry.child_id, entry.pk]))
    entry.refresh_from_db()
    assert (entry.acknowledged_at is not None) is (role in policy.may_acknowledge_handover.roles)
    if role not in policy.may_acknowledge_handover.roles:
        assert response.status_code == 403
        assert entry.acknowledged_by is None


def test_the_handover_list_shows_what_is_overdue_and_hides_restricted_children(signed_in):
    late = OutOfHoursEntryFactory()  # Friday 6 March 2026: overdue since 10:00 on Monday 9 March
    done = OutOfHoursEntryFactory(day_team=late.day_team)
    done.acknowledged_at, done.acknowledged_by = timezone.now(), done.recorded_by
    done.save()
    hidden = OutOfHoursEntryFactory(day_team=late.day_team, child=ChildFactory(is_restricted=True))
    client = signed_in(Role.TEAM_MANAGER)
    response = client.get(reverse("edt:handovers"), {"show": "open", "team": late.day_team.pk})
    rows = response.context["rows"]
    assert [r.entry for r in rows] == [late]
    assert rows[0].overdue and rows[0].status == ("Overdue", "govuk-tag--red")
    assert response.context["overdue"] == 1
    assert escape(late.child.full_name) in response.content.decode()
    assert escape(hidden.child.full_name) not in response.content.decode()
    everything = client.get(reverse("edt:handovers"), {"show": "all", "team": late.day_team.pk})
    assert {r.entry for r in everything.context["rows"]} == {late, done}


def test_a_handover_from_last_night_is_not_overdue_before_ten(make_user):
    entry = OutOfHoursEntryFactory()
    monday = dt.datetime(2026, 3, 9, 9, 45, tzinfo=LONDON)
    [row] = selectors.with_status([entry], now=monday)
    assert not row.overdue and row.status == ("To acknowledge", "govuk-tag--yellow")
    assert row.due == dt.datetime(2026, 3, 9, 10, 0, tzinfo=LONDON)
    [later] = selectors.with_status([entry], now=monday + dt.timedelta(minutes=16))
    assert later.overdue


def test_the_list_starts_with_the_users_own_team(signed_in, make_user):
    mine = OutOfHoursEntryFactory()
    other = OutOfHoursEntryFactory(day_team=TeamFactory(name="Children in care", kind=TeamKind.CHILDREN_IN_CARE))
    client = signed_in(Role.MASH_PRACTITIONER, team=mine.day_team)
    response = client.get(reverse("edt:handovers"))
    assert [r.entry for r in response.context["rows"]] == [mine]
    assert escape(other.child.full_name) not in response.content.decode()


def test_the_child_page_lists_entries_and_offers_recording_to_the_edt(signed_in):
    entry = OutOfHoursEntryFactory()
    edt = signed_in(Role.EDT_WORKER)
    page = edt.get(reverse("edt:entries", args=[entry.child_id]))
    assert page.status_code == 200
    assert [r.entry for r in page.context["rows"]] == [entry]
    assert reverse("edt:entry_add", args=[entry.child_id]) in page.content.decode()


def test_the_handover_list_runs_the_same_queries_however_many_rows(signed_in, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = OutOfHoursEntryFactory()
    client = signed_in(Role.TEAM_MANAGER)
    page = reverse("edt:handovers")
    params = {"show": "all", "team": first.day_team.pk}
    with CaptureQueriesContext(connection) as one:
        client.get(page, params)
    for _ in range(6):
        OutOfHoursEntryFactory(day_team=first.day_team)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(page, params)
    assert len(response.context["rows"]) == 7
