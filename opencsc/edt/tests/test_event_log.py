"""Out-of-hours entries in the event log (core/events.py): recorded through the page, acknowledged, and as the
old registry gave them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from opencsc.accounts.roles import Role, TeamKind
from opencsc.accounts.tests.factories import TeamFactory
from opencsc.casework.tests import event_log_compare as compare
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.edt.models import OutOfHoursEntry
from opencsc.people.tests.factories import ChildFactory

# The comparison with the old registry reads the shared synthetic authority (last in the module).
pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(("time", "flags", "day", "title"), [
    ("23:40", {}, dt.date(2026, 3, 6), "Out-of-hours action at 23:40"),
    ("00:15", {"police_protection": "on"}, dt.date(2026, 3, 6), "Out-of-hours action at 00:15 (police protection)"),
])
def test_an_entry_recorded_through_the_page_is_in_the_log(signed_in, time, flags, day, title):
    TeamFactory(name="MASH", kind=TeamKind.MASH)
    child = ChildFactory()
    client = signed_in(Role.EDT_WORKER)
    data = {"occurred_on_0": str(day.day), "occurred_on_1": str(day.month), "occurred_on_2": str(day.year),
            "occurred_time": time, "what_happened": "Police called.", "action_taken": "Visited with police.",
            "decision": "Stay with grandmother.", "follow_up": "Strategy discussion.", **flags}
    assert client.post(reverse("edt:entry_add", args=[child.pk]), data).status_code == 302
    entry = OutOfHoursEntry.objects.get(child=child)

    [event] = Event.objects.filter(kind="out_of_hours", source_id=entry.pk)
    hour, minute = map(int, time.split(":"))
    assert (event.occurred_on, event.occurred_at, event.title, event.detail, event.significant, event.author) == (
        day, dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON), title, "Decision: Stay with grandmother.",
        bool(flags), client.user)
    assert event.url == reverse("edt:entry_detail", args=[child.pk, entry.pk])

    client = signed_in(Role.MASH_PRACTITIONER)
    assert client.post(reverse("edt:entry_acknowledge", args=[child.pk, entry.pk])).status_code == 302
    assert Event.objects.filter(kind="out_of_hours", source_id=entry.pk).count() == 1
    assert events.verify(kinds=["out_of_hours"]) == []


def test_old_and_new_sources_agree(authority):
    children = set(OutOfHoursEntry.objects.values_list("child_id", flat=True))
    assert children
    # The old items were ordered by local time then pk: sort_key (time, pk).
    assert compare.new_items("out_of_hours") == compare.old_items(
        "out_of_hours", children, position=lambda key: (key[1], 0))
    assert events.verify(kinds=["out_of_hours"]) == []
