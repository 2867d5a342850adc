"""This app's sources in the event log (core/events.py): chronology entries and statutory clock events.

Clock events are named as in timescales/docs/rules.md. Scopes are namespaced by model, so that
records of different kinds with the same primary key never share a clock group:
`s47:<pk>` for `s47_started`, `s47_outcome`, `s47_no_further_action` and `icpc`;
`plan:<casework Plan pk>` for `cp_review` (as casework uses for `cp_plan_started`);
`conference:<pk>` for transfer-in conferences, `police_protection:<pk>` and `epo:<pk>`.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opencsc.casework.event_sources import child_participation
from opencsc.codes import CATEGORY_OF_ABUSE
from opencsc.core import events
from opencsc.core.events import Fact

from .models import (
    Conference,
    CPPlan,
    EmergencyProtectionOrder,
    PoliceProtection,
    Section47,
    StrategyDiscussion,
)

# Each record's facts, in order (seq): the chronology entry of a record and the
# clock event it records on the same day are one fact; a clock event on another day (or a second
# one on the same day) is a fact of its own, with no title.

CP = "Child protection"


def _overview(child_id: int) -> str:
    return reverse("protection:overview", args=[child_id])


def _strategy_discussion_facts(row: StrategyDiscussion):
    yield Fact(
        child_id=row.child_id, on=row.meeting.held_on, category=CP,
        title=f"Strategy discussion: {row.get_decision_display().lower()}",
        detail=row.information_shared[:300], url=_overview(row.child_id), significant=True,
        author_id=row.recorded_by_id, recorded_at=row.created_at, clock="strategy_discussion",
    )


def _section47_facts(row: Section47):
    scope = f"s47:{row.pk}"
    url = _overview(row.child_id)
    yield Fact(
        child_id=row.child_id, on=row.strategy_discussion.meeting.held_on, seq=0, category=CP,
        title="Section 47 enquiry started", url=url, significant=True, recorded_at=row.created_at,
        clock="s47_started", scope=scope,
    )
    if row.completed_on:
        yield Fact(
            child_id=row.child_id, on=row.completed_on, seq=1, category=CP,
            title=f"Section 47 enquiry completed: {row.get_outcome_display().lower()}",
            detail=row.outcome_summary[:300], url=url, significant=True, recorded_at=row.created_at,
            clock="s47_outcome", scope=scope,
        )
        if row.outcome != Section47.Outcome.SUBSTANTIATED:
            yield Fact(child_id=row.child_id, on=row.completed_on, seq=2, recorded_at=row.created_at,
                       clock="s47_no_further_action", scope=scope)


def _conference_facts(row: Conference):
    meeting = row.meeting
    detail = []
    if row.category:
        detail.append(f"Category: {CATEGORY_OF_ABUSE.label(row.category)}")
    detail += child_participation(meeting)
    if row.kind == Conference.Kind.INITIAL:
        clock, scope = "icpc", f"s47:{row.section47_id}" if row.section47_id else ""
    elif row.kind == Conference.Kind.REVIEW:
        plan_id = row.cp_plan.plan_id if row.cp_plan_id else None
        clock, scope = "cp_review", f"plan:{plan_id}" if plan_id else ""
    else:
        clock, scope = "transfer_in_conference", f"conference:{row.pk}"
    yield Fact(
        child_id=row.child_id, on=meeting.held_on, seq=0, category=CP,
        title=f"{row.get_kind_display()}: {row.get_decision_display().lower()}",
        detail=". ".join(detail), url=_overview(row.child_id), significant=True, author_id=row.recorded_by_id,
        recorded_at=row.created_at, clock=clock, scope=scope,
    )
    if row.kind == Conference.Kind.TRANSFER_IN and row.transfer_notified_on:
        yield Fact(child_id=row.child_id, on=row.transfer_notified_on, seq=1, recorded_at=row.created_at,
                   clock="transfer_in_notice", scope=scope)


def _cp_plan_facts(row: CPPlan):
    url = _overview(row.child_id)
    for day, title, seq in (
        (row.plan.start_date,
         f"Child protection plan started: {CATEGORY_OF_ABUSE.label(row.initial_category).lower()}", 0),
        (row.plan.end_date, f"Child protection plan ended: {row.get_end_reason_display().lower()}".rstrip(": "), 1),
    ):
        if day:
            yield Fact(child_id=row.child_id, on=day, seq=seq, category=CP, title=title, url=url, significant=True,
                       recorded_at=row.created_at)


def _police_protection_facts(row: PoliceProtection):
    scope = f"police_protection:{row.pk}"
    ended = ""
    if row.ended_at:
        ended = f"Ended {timezone.localtime(row.ended_at):%d %b %Y %H:%M}: {row.get_ended_how_display()}"
    yield Fact(
        child_id=row.child_id, on=timezone.localdate(row.started_at), at=row.started_at, seq=0, category=CP,
        title="Child taken into police protection", detail=ended or row.circumstances[:300],
        url=_overview(row.child_id), significant=True, author_id=row.recorded_by_id, recorded_at=row.created_at,
        clock="police_protection", scope=scope, timed=True,
    )
    if row.ended_at:
        yield Fact(child_id=row.child_id, on=timezone.localdate(row.ended_at), at=row.ended_at, seq=1,
                   recorded_at=row.created_at, clock="police_protection_ended", scope=scope, timed=True)


def _epo_facts(row: EmergencyProtectionOrder):
    scope = f"epo:{row.pk}"
    until = row.extended_to or row.expires_on
    yield Fact(
        child_id=row.child_id, on=row.made_on, seq=0, category=CP, title="Emergency protection order made",
        detail=f"Until {until:%d %b %Y}. {row.court}".strip(), url=_overview(row.child_id), significant=True,
        author_id=row.recorded_by_id, recorded_at=row.created_at, clock="epo_made", scope=scope,
    )
    if row.extended_to:
        yield Fact(child_id=row.child_id, on=row.expires_on, seq=1, recorded_at=row.created_at,
                   clock="epo_extended", scope=scope)
    if row.ended_on:
        yield Fact(child_id=row.child_id, on=row.ended_on, seq=2, recorded_at=row.created_at,
                   clock="epo_ended", scope=scope)


# A strategy discussion's and a conference's date is their casework meeting's (a section 47
# enquiry's, its strategy discussion's meeting's), a plan's dates its casework plan's: a change to
# those rows changes these facts.
events.register(events.Source(
    key="strategy_discussion", label="Strategy discussions", model="protection.StrategyDiscussion",
    project=_strategy_discussion_facts, related=("meeting",), follows={"casework.Meeting": "meeting"},
    stops_clocks=("strategy_discussion",),
))
events.register(events.Source(
    key="section47", label="Section 47 enquiries", model="protection.Section47", project=_section47_facts,
    related=("strategy_discussion__meeting",), follows={"casework.Meeting": "strategy_discussion__meeting"},
    starts_clocks=("s47_started",), stops_clocks=("s47_outcome", "s47_no_further_action"),
))
events.register(events.Source(
    key="cp_conference", label="Child protection conferences", model="protection.Conference",
    project=_conference_facts, related=("meeting", "cp_plan"), follows={"casework.Meeting": "meeting"},
    starts_clocks=("transfer_in_notice",), stops_clocks=("icpc", "cp_review", "transfer_in_conference"),
))
events.register(events.Source(
    key="cp_plan", label="Child protection plans", model="protection.CPPlan", project=_cp_plan_facts,
    related=("plan",), follows={"casework.Plan": "plan"},
))
events.register(events.Source(
    key="police_protection", label="Police protection", model="protection.PoliceProtection",
    project=_police_protection_facts,
    starts_clocks=("police_protection",), stops_clocks=("police_protection_ended",),
))
events.register(events.Source(
    key="epo", label="Emergency protection orders", model="protection.EmergencyProtectionOrder",
    project=_epo_facts, starts_clocks=("epo_made",), stops_clocks=("epo_ended",),
))
