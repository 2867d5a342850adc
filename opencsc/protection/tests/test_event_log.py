"""Child protection in the event log (core/events.py): what each service writes there."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from opencsc.casework.models import Meeting
from opencsc.core import events
from opencsc.core.audit import update_with_history
from opencsc.core.models import Event
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection import services
from opencsc.protection.models import Conference, CPPlan
from opencsc.protection.tests.helpers import ACTION, POLICE, cp_plan, icpc, referral, strategy

pytestmark = pytest.mark.django_db
D = dt.date
KINDS = ["strategy_discussion", "section47", "cp_conference", "cp_plan", "police_protection", "epo"]


def moment(day, hour):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


def facts(kind, **where):
    """The (title, day, clock, scope, seq) of each event of that kind."""
    rows = Event.objects.filter(kind=kind, **where)
    return sorted((e.title, e.occurred_on, e.clock, e.scope, e.seq) for e in rows)


def every_case(worker):
    """One child with each kind of record and each branch of the sources (the synthetic authority
    has no police protection, emergency protection order or transfer-in conference)."""
    child = ChildFactory()
    plan = cp_plan(worker, child, D(2025, 3, 3))
    services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 6, 2), decision="ends",
                               category="PHY", attendance=[POLICE], end_reason="moved")
    later = strategy(worker, child, D(2025, 9, 1))
    services.section47_outcome_record(actor=worker, section47=later.section47, outcome="not_substantiated",
                                      completed_on=D(2025, 9, 8), outcome_summary="No evidence of harm")
    strategy(worker, child, D(2025, 10, 1), decision="nfa")
    other = ChildFactory()
    referral(worker, other, D(2025, 1, 6))
    transfer = services.conference_record(
        actor=worker, child=other, kind="transfer_in", held_on=D(2025, 1, 20), transfer_notified_on=D(2025, 1, 6),
        decision="plan", category="NEG", attendance=[POLICE], child_attended=True, child_contributed=True)
    services.cp_plan_start(actor=worker, conference=transfer, contingency="C", actions=[ACTION])
    services.police_protection_record(actor=worker, child=other, started_at=moment(D(2025, 3, 29), 23),
                                      ended_at=moment(D(2025, 3, 31), 1), ended_how="returned",
                                      circumstances="Left alone overnight")
    services.police_protection_record(actor=worker, child=other, started_at=moment(D(2025, 7, 1), 9),
                                      circumstances="Found in a drug den")
    services.epo_record(actor=worker, child=other, made_on=D(2025, 4, 1), expires_on=D(2025, 4, 9),
                        extended_to=D(2025, 4, 16), ended_on=D(2025, 4, 14), circumstances="Court", court="West London")
    services.epo_record(actor=worker, child=other, made_on=D(2025, 8, 1), expires_on=D(2025, 8, 8),
                        circumstances="Court")
    return child, other, plan


# --- What each service writes ---------------------------------------------------------------------------


def test_every_case_is_in_the_log(worker, db):
    every_case(worker)
    assert events.verify(kinds=KINDS) == []
    assert Event.objects.filter(kind__in=KINDS).count() == sum(
        1 for kind in KINDS for _ in events.facts_of(events.get_source(kind), events.get_source(kind).rows()))


def test_a_strategy_discussion_starts_an_enquiry_in_the_log(worker, db):
    child = ChildFactory()
    discussion = strategy(worker, child, D(2025, 3, 3))
    s47 = discussion.section47
    assert facts("strategy_discussion", source_id=discussion.pk) == [
        ("Strategy discussion: start a section 47 enquiry", D(2025, 3, 3), "strategy_discussion", "", 0)]
    assert facts("section47", source_id=s47.pk) == [
        ("Section 47 enquiry started", D(2025, 3, 3), "s47_started", f"s47:{s47.pk}", 0)]
    event = Event.objects.get(kind="strategy_discussion", source_id=discussion.pk)
    assert (event.child_id, event.author_id, event.recorded_at) == (child.pk, worker.pk, discussion.created_at)
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize("outcome, clocks", [
    ("substantiated", ["s47_outcome"]),
    ("not_substantiated", ["s47_no_further_action", "s47_outcome"]),
    ("other", ["s47_no_further_action", "s47_outcome"]),
])
def test_an_enquiry_outcome_stops_its_clocks_on_the_day_it_was_completed(worker, db, outcome, clocks):
    s47 = strategy(worker, ChildFactory(), D(2025, 3, 3)).section47
    services.section47_outcome_record(actor=worker, section47=s47, outcome=outcome, completed_on=D(2025, 3, 20))
    rows = Event.objects.filter(kind="section47", source_id=s47.pk, occurred_on=D(2025, 3, 20))
    assert sorted(rows.values_list("clock", flat=True)) == clocks
    assert rows.exclude(title="").get().title.startswith("Section 47 enquiry completed: ")
    assert events.verify(kinds=KINDS) == []


def test_a_plan_and_its_conferences_in_the_log(worker, db):
    child = ChildFactory()
    plan = cp_plan(worker, child, D(2025, 3, 3))
    icpc_row = plan.conference
    assert facts("cp_conference", source_id=icpc_row.pk) == [
        ("Initial child protection conference: child protection plan needed", D(2025, 3, 3), "icpc",
         f"s47:{icpc_row.section47_id}", 0)]
    assert facts("cp_plan", source_id=plan.pk) == [("Child protection plan started: neglect", D(2025, 3, 3), "", "", 0)]
    review = services.conference_record(actor=worker, child=child, kind="review", held_on=D(2025, 6, 2),
                                        decision="ends", attendance=[POLICE], end_reason="moved")
    assert facts("cp_conference", source_id=review.pk) == [
        ("Review child protection conference: child protection plan ends", D(2025, 6, 2), "cp_review",
         f"plan:{plan.plan_id}", 0)]
    assert facts("cp_plan", source_id=plan.pk) == [
        ("Child protection plan ended: child moved to another local authority", D(2025, 6, 2), "", "", 1),
        ("Child protection plan started: neglect", D(2025, 3, 3), "", "", 0)]
    assert events.verify(kinds=KINDS) == []


def test_ending_a_plan_writes_its_end_and_reason(worker, db):
    plan = cp_plan(worker, ChildFactory(), D(2025, 3, 3))
    services.cp_plan_end(actor=worker, cp_plan=plan, end_date=D(2025, 9, 1), end_reason="looked_after")
    assert ("Child protection plan ended: child became looked after", D(2025, 9, 1), "", "", 1) in facts(
        "cp_plan", source_id=plan.pk)
    assert events.verify(kinds=KINDS) == []


def test_a_transfer_in_conference_has_its_notice_and_its_conference(worker, db):
    child = ChildFactory()
    referral(worker, child, D(2025, 1, 6))
    conference = services.conference_record(
        actor=worker, child=child, kind="transfer_in", held_on=D(2025, 1, 20), transfer_notified_on=D(2025, 1, 8),
        decision="no_plan", attendance=[POLICE])
    scope = f"conference:{conference.pk}"
    assert facts("cp_conference", source_id=conference.pk) == [
        ("", D(2025, 1, 8), "transfer_in_notice", scope, 1),
        ("Transfer-in conference: no child protection plan needed", D(2025, 1, 20), "transfer_in_conference", scope, 0)]
    assert events.verify(kinds=KINDS) == []


def test_police_protection_is_timed(worker, db):
    child = ChildFactory()
    start, end = moment(D(2025, 3, 29), 23), moment(D(2025, 3, 31), 1)  # over the change to summer time
    record = services.police_protection_record(actor=worker, child=child, started_at=start, ended_at=end,
                                               ended_how="returned", circumstances="Left alone")
    rows = Event.objects.filter(kind="police_protection", source_id=record.pk).order_by("seq")
    assert [(e.clock, e.timed, e.occurred_at, e.occurred_on) for e in rows] == [
        ("police_protection", True, start, D(2025, 3, 29)), ("police_protection_ended", True, end, D(2025, 3, 31))]
    assert rows[0].title == "Child taken into police protection"
    assert rows[0].detail == "Ended 31 Mar 2025 01:00: Child returned home or to family"
    assert events.verify(kinds=KINDS) == []


@pytest.mark.parametrize("extended_to, ended_on, clocks", [
    (None, None, [("epo_made", D(2025, 4, 1))]),
    (None, D(2025, 4, 5), [("epo_ended", D(2025, 4, 5)), ("epo_made", D(2025, 4, 1))]),
    (D(2025, 4, 16), D(2025, 4, 14),
     [("epo_ended", D(2025, 4, 14)), ("epo_extended", D(2025, 4, 9)), ("epo_made", D(2025, 4, 1))]),
])
def test_an_emergency_protection_order_in_the_log(worker, db, extended_to, ended_on, clocks):
    order = services.epo_record(actor=worker, child=ChildFactory(), made_on=D(2025, 4, 1), expires_on=D(2025, 4, 9),
                                extended_to=extended_to, ended_on=ended_on, circumstances="Court")
    rows = Event.objects.filter(kind="epo", source_id=order.pk)
    assert sorted(rows.values_list("clock", "occurred_on")) == clocks
    assert set(rows.values_list("scope", flat=True)) == {f"epo:{order.pk}"}
    assert events.verify(kinds=KINDS) == []


def test_a_change_to_the_casework_meeting_moves_the_protection_events(worker, db):
    """The dates of discussions, enquiries and conferences are their meetings': the log follows them."""
    child = ChildFactory()
    plan = cp_plan(worker, child, D(2025, 3, 3))
    conference = plan.conference
    discussion = conference.section47.strategy_discussion
    for meeting in (discussion.meeting, conference.meeting):
        update_with_history(Meeting.objects.get(pk=meeting.pk), actor=worker, expected_version=None,
                            held_on=D(2025, 3, 4), child_attended=True)
    assert facts("strategy_discussion", source_id=discussion.pk)[0][1] == D(2025, 3, 4)
    assert facts("section47", source_id=conference.section47_id)[0][1] == D(2025, 3, 4)
    event = Event.objects.get(kind="cp_conference", source_id=conference.pk)
    assert (event.occurred_on, event.detail) == (D(2025, 3, 4), "Category: Neglect. Child attended")
    assert events.verify(kinds=KINDS) == []


def test_refused_records_write_nothing(worker, db):
    child = ChildFactory()
    plan = cp_plan(worker, child, D(2025, 3, 3))
    before = list(Event.objects.order_by("pk").values_list("pk", "kind", "occurred_on"))
    with pytest.raises(ValidationError):
        icpc(worker, child, plan.conference.section47, D(2025, 3, 4))
    with pytest.raises(ValidationError):
        services.cp_plan_end(actor=worker, cp_plan=plan, end_date=D(2025, 3, 1), end_reason="moved")
    assert list(Event.objects.order_by("pk").values_list("pk", "kind", "occurred_on")) == before
    assert Conference.objects.filter(child=child).count() == 1
    assert CPPlan.objects.get(child=child).plan.end_date is None
