"""Contacts in the event log (core/events.py): one set of facts per child named, written by the services."""

import datetime as dt

import pytest
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.frontdoor import services
from opencsc.people.tests.factories import ChildFactory

from .factories import at

D = dt.date
KINDS = ["contact", "cin_episode"]
pytestmark = pytest.mark.django_db


def facts(child):
    return set(Event.objects.filter(kind="contact", child=child).values_list("occurred_on", "title", "clock",
                                                                            "settled_on"))


RECEIVED = (D(2026, 11, 2), "Contact received", "contact_received")


def test_a_contact_about_brothers_and_sisters_is_in_each_childs_log(make_user):
    mash = make_user(Role.MASH_PRACTITIONER)
    siblings = ChildFactory.create_batch(2)
    contact = services.contact_create(actor=mash, children=siblings, received_at=at(D(2026, 11, 2), 11),
                                      referrer_name="Ms Adeyemi", referral_source="2A",
                                      concerns="Came to school hungry.")
    for child in siblings:
        assert facts(child) == {(*RECEIVED, None)}
        assert Event.objects.get(kind="contact", child=child).scope == f"contact:{contact.pk}"
    services.contact_screen(actor=mash, contact=contact, level_of_need="3", screening_rationale="Threshold met",
                            expected_version=contact.version)
    for child in siblings:
        screened = Event.objects.get(kind="contact", child=child, title="Contact screened")
        assert screened.author == mash and screened.detail.endswith("Threshold met") and screened.clock == ""
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize(("outcome", "decided_at", "expected"), [
    ("nfa", at(D(2026, 11, 3), 9), {(D(2026, 11, 3), "Contact decided: no further action", "contact_decided",
                                     D(2026, 11, 3))}),
    # Just after midnight local time (the day before in UTC in summer): the local day counts.
    ("advice", at(D(2026, 11, 4), 0, 30), {(D(2026, 11, 4), "Contact decided: information and advice",
                                            "contact_decided", D(2026, 11, 4))}),
    ("referral", at(D(2026, 11, 3), 9), {(D(2026, 11, 3), "Contact decided: referral to children's social care",
                                          "contact_decided", D(2026, 11, 3))}),
    ("strategy", at(D(2026, 11, 3), 9), {(D(2026, 11, 3), "Contact decided: strategy discussion",
                                          "contact_decided", None), (D(2026, 11, 3), "", "cp_concern", None)}),
])
def test_a_decision_stops_the_clock_and_may_start_another(make_user, outcome, decided_at, expected):
    mash, manager = make_user(Role.MASH_PRACTITIONER), make_user(Role.TEAM_MANAGER)
    child = ChildFactory()
    contact = services.contact_create(actor=mash, children=[child], received_at=at(D(2026, 11, 2), 11),
                                      referrer_name="Ms Adeyemi", referral_source="2A",
                                      concerns="Came to school hungry.")
    services.contact_screen(actor=mash, contact=contact, level_of_need="3", screening_rationale="Threshold met",
                            expected_version=contact.version)
    contact.refresh_from_db()
    services.contact_decide(actor=manager, contact=contact, outcome=outcome, decision_rationale="Reasons",
                            expected_version=contact.version, decided_at=decided_at, primary_need="N1",
                            team=manager.team)
    settled = next(iter(expected))[3]
    screened = (timezone.localdate(contact.screened_at), "Contact screened", "", settled)  # no clock of its own
    assert facts(child) == {(*RECEIVED, settled), screened, *expected}
    assert Event.objects.filter(kind="cin_episode", child=child).exists() is (outcome in ("referral", "strategy"))
    assert events.verify(kinds=KINDS) == []
