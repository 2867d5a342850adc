"""The event log (core/events.py) of care leavers: what the services write."""

import pytest

from opencsc.accounts.roles import Role
from opencsc.careleavers import services
from opencsc.core import events
from opencsc.core.models import Event

from .factories import YoungPersonFactory, ago, born_aged, care_leaver

KINDS = ["leaving_care_decision", "pathway_plan", "leaving_care_contact", "leaving_care_support"]
pytestmark = pytest.mark.django_db


# --- What the services write (durable) --------------------------------------------------------------


def _events(child, kind):
    return set(Event.objects.filter(child=child, kind=kind).values_list("occurred_on", "seq", "title", "clock"))


@pytest.fixture
def pa(make_user):
    return make_user(role=Role.PERSONAL_ADVISER)


def test_decisions_start_the_eligible_clock_once(pa):
    child = YoungPersonFactory(date_of_birth=born_aged(17))
    first = services.eligibility_decide(actor=pa, child=child, category="eligible", decided_on=ago(20))
    second = services.eligibility_decide(actor=pa, child=child, category="eligible", decided_on=ago(10))
    rows = Event.objects.filter(kind="leaving_care_decision", child=child)
    assert set(rows.values_list("source_id", "occurred_on", "clock")) == {
        (first.pk, ago(20), "became_eligible"), (second.pk, ago(10), "")}
    assert events.verify(kinds=KINDS) == []


def test_a_plan_its_review_and_needs_assessment_are_in_the_log(pa):
    cl = care_leaver(age=19)
    plan = services.pathway_plan_create(actor=pa, child=cl.child, start_date=ago(60), needs_assessed_on=ago(70),
                                        young_persons_views="Fine", needs="A flat", contingency="Lodgings")
    services.pathway_plan_review(actor=pa, plan=plan, reviewed_on=ago(5), young_persons_views="Fine", changes="None")
    assert _events(cl.child, "pathway_plan") == {
        (ago(60), 0, "Pathway plan written", "pathway_plan"), (ago(5), 1, "Pathway plan reviewed", "pathway_plan_review"),
        (ago(70), 2, "", "needs_assessment")}
    assert events.verify(kinds=KINDS) == []


def test_a_contact_is_in_the_log(pa):
    cl = care_leaver(age=19)
    services.contact_record(actor=pa, child=cl.child, contact_date=ago(3), in_touch="YES", method="visit",
                            activity="F2", accommodation="U1")
    (row,) = Event.objects.filter(child=cl.child, kind="leaving_care_contact")
    assert (row.occurred_on, row.author, row.clock) == (ago(3), pa, "")
    assert row.title.startswith("Care leaver contact: ")
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize("changes, expected", [
    ({"bursary_awarded_on": 30}, {(30, 2, "Higher education bursary awarded", "")}),
    ({"support_ended_on": 10}, {(10, 3, "Leaving care support ended", "leaving_care_support_ended")}),
    ({"support_ended_on": 10, "bursary_awarded_on": 40},
     {(10, 3, "Leaving care support ended", "leaving_care_support_ended"),
      (40, 2, "Higher education bursary awarded", "")}),
])
def test_support_dates_are_in_the_log(pa, changes, expected):
    cl = care_leaver(age=19)
    services.support_update(actor=pa, care_leaver=cl, expected_version=1,
                            **{field: ago(days) for field, days in changes.items()})
    assert _events(cl.child, "leaving_care_support") == {(ago(d), s, t, c) for d, s, t, c in expected}
    assert events.verify(kinds=KINDS) == []
    # A later change of the date moves the clock event.
    cl.refresh_from_db()
    services.support_update(actor=pa, care_leaver=cl, expected_version=2, support_ended_on=ago(1))
    assert Event.objects.get(child=cl.child, clock="leaving_care_support_ended").occurred_on == ago(1)
    assert events.verify(kinds=KINDS) == []
