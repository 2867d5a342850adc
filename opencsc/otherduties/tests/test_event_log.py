"""The event log (core/events.py) of private fostering and care proceedings: what the services
write."""

import datetime as dt

import pytest

from opencsc.accounts.roles import Role
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.otherduties import services
from opencsc.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
KINDS = ["private_fostering", "care_proceedings"]


# --- What the services write (durable) --------------------------------------------------------------

D = dt.date


@pytest.fixture
def worker(make_user):
    return make_user(role=Role.SOCIAL_WORKER)


def _rows(record, kind):
    return list(Event.objects.filter(kind=kind, source_id=record.pk).order_by("seq").values_list(
        "occurred_on", "seq", "title", "scope", "clock"))


def test_private_fostering_notification_visits_and_end_are_in_the_log(worker):
    child = ChildFactory(date_of_birth=D(2012, 6, 1))
    arrangement = services.private_fostering_record(
        actor=worker, child=child, notified_on=D(2026, 3, 2), arrangement_start=D(2026, 2, 20),
        carer_name="Maureen Hall", carer_relationship="Family friend", parents_consent=True)
    scope = f"private_fostering:{arrangement.pk}"
    assert _rows(arrangement, "private_fostering") == [
        (D(2026, 3, 2), 0, "Private fostering notified: living with Maureen Hall", scope,
         "private_fostering_notified")]
    services.private_fostering_visit_record(actor=worker, arrangement=arrangement, visited_on=D(2026, 3, 9),
                                            child_seen=True, child_seen_alone=True)
    services.private_fostering_visit_record(actor=worker, arrangement=arrangement, visited_on=D(2026, 4, 9),
                                            child_seen=False)
    assert events.verify(kinds=KINDS) == []
    services.private_fostering_end(actor=worker, arrangement=arrangement, ended_on=D(2026, 5, 1),
                                   end_reason="moved", expected_version=1)
    assert _rows(arrangement, "private_fostering")[1:] == [
        (D(2026, 3, 9), 1, "Private fostering visit: child seen alone", scope, "private_fostering_visit"),
        (D(2026, 4, 9), 2, "Private fostering visit: child not seen", scope, "private_fostering_visit"),
        (D(2026, 5, 1), 3, "Private fostering ended: child or carer moved away", scope, "private_fostering_ended")]
    assert events.verify(kinds=KINDS) == []


def test_proceedings_hearings_extensions_and_final_order_are_in_the_log(worker):
    child = ChildFactory(date_of_birth=D(2019, 6, 1))
    proceedings = services.care_proceedings_record(actor=worker, child=child, court="West London Family Court",
                                                   case_number="ZW26C00012", issued_on=D(2026, 3, 2))
    services.hearing_record(actor=worker, proceedings=proceedings, kind="cmh", held_on=D(2026, 3, 20),
                            interim_order="ico", notes="Interim care order made")
    services.extension_record(actor=worker, proceedings=proceedings, granted_on=D(2026, 8, 20),
                              reason="Parenting assessment delayed by illness")
    assert events.verify(kinds=KINDS) == []
    services.final_order_record(actor=worker, proceedings=proceedings, final_order="sgo",
                                final_order_on=D(2026, 10, 1), expected_version=1)
    scope = f"proceedings:{proceedings.pk}"
    rows = _rows(proceedings, "care_proceedings")
    assert [(on, seq, scope_, clock) for on, seq, _title, scope_, clock in rows] == [
        (D(2026, 3, 2), 0, scope, "proceedings_issued"), (D(2026, 3, 20), 1, "", ""),
        (D(2026, 8, 20), 2, scope, "proceedings_extended"), (D(2026, 10, 1), 3, scope, "final_order")]
    assert rows[-1][2] == "Final order: special guardianship order"
    assert events.verify(kinds=KINDS) == []
