"""This app's entries in the event registry: chronology items and statutory clock events.

Clock events are named as in timescales/docs/rules.md. Scopes are namespaced by model, so that
records of different kinds with the same primary key never share a clock group:
`s47:<pk>` for `s47_started`, `s47_outcome`, `s47_no_further_action` and `icpc`;
`plan:<casework Plan pk>` for `cp_review` (as casework uses for `cp_plan_started`);
`conference:<pk>` for transfer-in conferences, `police_protection:<pk>` and `epo:<pk>`.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from opencsc.casework.events import (
    ChronologyItem,
    ClockEvent,
    EventSource,
    children_query,
    of_children,
    register,
    within,
)
from opencsc.codes import CATEGORY_OF_ABUSE
from opencsc.core import events
from opencsc.core.events import Fact
from opencsc.core.prepared import prepared

from .models import (
    Conference,
    CPPlan,
    EmergencyProtectionOrder,
    PoliceProtection,
    Section47,
    StrategyDiscussion,
)


def _url(child):
    return reverse("protection:overview", args=[child.pk])


@prepared
def _strategy_discussion_rows(child_id):
    return StrategyDiscussion.objects.filter(child_id=child_id).select_related("meeting", "recorded_by")


def _strategy_discussions(child, date_from=None, date_to=None):
    for item in _strategy_discussion_rows(child.pk):
        if not within(item.meeting.held_on, date_from, date_to):
            continue
        yield ChronologyItem(
            date=item.meeting.held_on, source="strategy_discussion", category="Child protection",
            title=f"Strategy discussion: {item.get_decision_display().lower()}",
            detail=item.information_shared[:300], url=_url(child), significant=True,
            author=item.recorded_by.display_name, sort_key=(item.pk,),
        )


@children_query
def _strategy_clock_rows(children):
    return of_children(StrategyDiscussion.objects.all(), children).values_list(
        "child_id", "meeting__held_on"
    ).order_by("child_id", "meeting__held_on", "id")


def _strategy_clock_events(children):
    for child_id, held_on in _strategy_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="strategy_discussion", on=held_on)


@prepared
def _section47_rows(child_id):
    return Section47.objects.filter(child_id=child_id).select_related("strategy_discussion__meeting")


def _section47s(child, date_from=None, date_to=None):
    for item in _section47_rows(child.pk):
        start = item.start_date
        if (not date_from or start >= date_from) and (not date_to or start <= date_to):
            yield ChronologyItem(
                date=start, source="section47", category="Child protection", title="Section 47 enquiry started",
                url=_url(child), significant=True, sort_key=(item.pk, 0),
            )
        done = item.completed_on
        if done and (not date_from or done >= date_from) and (not date_to or done <= date_to):
            yield ChronologyItem(
                date=done, source="section47", category="Child protection",
                title=f"Section 47 enquiry completed: {item.get_outcome_display().lower()}",
                detail=item.outcome_summary[:300], url=_url(child), significant=True, sort_key=(item.pk, 1),
            )


@children_query
def _section47_clock_rows(children):
    return of_children(Section47.objects.all(), children).values_list(
        "child_id", "pk", "strategy_discussion__meeting__held_on", "completed_on", "outcome"
    ).order_by("child_id", "strategy_discussion__meeting__held_on", "id")


def _section47_clock_events(children):
    for child_id, pk, start, completed_on, outcome in _section47_clock_rows(children):
        scope = f"s47:{pk}"
        yield ClockEvent(child_id=child_id, event="s47_started", on=start, scope=scope)
        if completed_on:
            yield ClockEvent(child_id=child_id, event="s47_outcome", on=completed_on, scope=scope)
            if outcome != Section47.Outcome.SUBSTANTIATED:
                yield ClockEvent(child_id=child_id, event="s47_no_further_action", on=completed_on, scope=scope)


@prepared
def _conference_rows(child_id):
    return Conference.objects.filter(child_id=child_id).select_related("meeting", "recorded_by")


def _conferences(child, date_from=None, date_to=None):
    for item in _conference_rows(child.pk):
        if not within(item.meeting.held_on, date_from, date_to):
            continue
        detail = []
        if item.category:
            detail.append(f"Category: {CATEGORY_OF_ABUSE.label(item.category)}")
        if item.meeting.child_attended:
            detail.append("Child attended")
        if item.meeting.child_contributed:
            detail.append("Child's views shared")
        yield ChronologyItem(
            date=item.meeting.held_on, source="cp_conference", category="Child protection",
            title=f"{item.get_kind_display()}: {item.get_decision_display().lower()}",
            detail=". ".join(detail), url=_url(child), significant=True,
            author=item.recorded_by.display_name, sort_key=(item.pk,),
        )


CONFERENCE_EVENTS = {Conference.Kind.INITIAL: "icpc", Conference.Kind.REVIEW: "cp_review",
                     Conference.Kind.TRANSFER_IN: "transfer_in_conference"}


@children_query
def _conference_clock_rows(children):
    return of_children(Conference.objects.all(), children).values_list(
        "child_id", "pk", "kind", "meeting__held_on", "section47_id", "cp_plan__plan_id", "transfer_notified_on"
    ).order_by("child_id", "meeting__held_on", "id")


def _conference_clock_events(children):
    for child_id, pk, kind, held_on, s47_id, plan_id, notified in _conference_clock_rows(children):
        if kind == Conference.Kind.INITIAL:
            yield ClockEvent(child_id=child_id, event="icpc", on=held_on, scope=f"s47:{s47_id}" if s47_id else "")
        elif kind == Conference.Kind.REVIEW:
            yield ClockEvent(child_id=child_id, event="cp_review", on=held_on,
                             scope=f"plan:{plan_id}" if plan_id else "")
        else:
            yield ClockEvent(child_id=child_id, event="transfer_in_notice", on=notified, scope=f"conference:{pk}")
            yield ClockEvent(child_id=child_id, event="transfer_in_conference", on=held_on, scope=f"conference:{pk}")


@prepared
def _cp_plan_rows(child_id):
    return CPPlan.objects.filter(child_id=child_id).select_related("plan")


def _cp_plans(child, date_from=None, date_to=None):
    for item in _cp_plan_rows(child.pk):
        for day, title, key in (
            (item.plan.start_date,
             f"Child protection plan started: {CATEGORY_OF_ABUSE.label(item.initial_category).lower()}", 0),
            (item.plan.end_date, f"Child protection plan ended: {item.get_end_reason_display().lower()}".rstrip(": "),
             1),
        ):
            if day and (not date_from or day >= date_from) and (not date_to or day <= date_to):
                yield ChronologyItem(date=day, source="cp_plan", category="Child protection", title=title,
                                     url=_url(child), significant=True, sort_key=(item.pk, key))


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


@prepared
def _police_protection_rows(child_id):
    return PoliceProtection.objects.filter(child_id=child_id).select_related("recorded_by")


def _police_protections(child, date_from=None, date_to=None):
    for item in _police_protection_rows(child.pk):
        day = _local_date(item.started_at)
        if (not date_from or day >= date_from) and (not date_to or day <= date_to):
            ended = ""
            if item.ended_at:
                ended = f"Ended {timezone.localtime(item.ended_at):%d %b %Y %H:%M}: {item.get_ended_how_display()}"
            yield ChronologyItem(
                date=day, source="police_protection", category="Child protection",
                title="Child taken into police protection", detail=ended or item.circumstances[:300],
                url=_url(child), significant=True, author=item.recorded_by.display_name, sort_key=(item.pk,),
            )


@children_query
def _police_protection_clock_rows(children):
    return of_children(PoliceProtection.objects.all(), children).values_list(
        "child_id", "pk", "started_at", "ended_at"
    ).order_by("child_id", "started_at", "id")


def _police_protection_clock_events(children):
    for child_id, pk, started_at, ended_at in _police_protection_clock_rows(children):
        scope = f"police_protection:{pk}"
        yield ClockEvent(child_id=child_id, event="police_protection", on=started_at, scope=scope)
        if ended_at:
            yield ClockEvent(child_id=child_id, event="police_protection_ended", on=ended_at, scope=scope)


@prepared
def _epo_rows(child_id):
    return EmergencyProtectionOrder.objects.filter(child_id=child_id).select_related("recorded_by")


def _epos(child, date_from=None, date_to=None):
    for item in _epo_rows(child.pk):
        if not within(item.made_on, date_from, date_to):
            continue
        until = item.extended_to or item.expires_on
        yield ChronologyItem(
            date=item.made_on, source="epo", category="Child protection",
            title="Emergency protection order made", detail=f"Until {until:%d %b %Y}. {item.court}".strip(),
            url=_url(child), significant=True, author=item.recorded_by.display_name, sort_key=(item.pk,),
        )


@children_query
def _epo_clock_rows(children):
    return of_children(EmergencyProtectionOrder.objects.all(), children).values_list(
        "child_id", "pk", "made_on", "expires_on", "extended_to", "ended_on"
    ).order_by("child_id", "made_on", "id")


def _epo_clock_events(children):
    for child_id, pk, made_on, expires_on, extended_to, ended_on in _epo_clock_rows(children):
        yield ClockEvent(child_id=child_id, event="epo_made", on=made_on, scope=f"epo:{pk}")
        if extended_to:
            yield ClockEvent(child_id=child_id, event="epo_extended", on=expires_on, scope=f"epo:{pk}")
        if ended_on:
            yield ClockEvent(child_id=child_id, event="epo_ended", on=ended_on, scope=f"epo:{pk}")


register(EventSource(
    key="strategy_discussion", label="Strategy discussions", fetch=_strategy_discussions,
    stops_clocks=("strategy_discussion",), clock_events=_strategy_clock_events,
))
register(EventSource(
    key="section47", label="Section 47 enquiries", fetch=_section47s,
    starts_clocks=("s47_started",), stops_clocks=("s47_outcome", "s47_no_further_action"),
    clock_events=_section47_clock_events,
))
register(EventSource(
    key="cp_conference", label="Child protection conferences", fetch=_conferences,
    starts_clocks=("transfer_in_notice",), stops_clocks=("icpc", "cp_review", "transfer_in_conference"),
    clock_events=_conference_clock_events,
))
register(EventSource(key="cp_plan", label="Child protection plans", fetch=_cp_plans))
register(EventSource(
    key="police_protection", label="Police protection", fetch=_police_protections,
    starts_clocks=("police_protection",), stops_clocks=("police_protection_ended",),
    clock_events=_police_protection_clock_events,
))
register(EventSource(
    key="epo", label="Emergency protection orders", fetch=_epos,
    starts_clocks=("epo_made",), stops_clocks=("epo_ended",), clock_events=_epo_clock_events,
))


# --- The event log (core/events.py): the same entries and clock events, written by the services ---
#
# Each record's facts, in the order of the old sort keys: the chronology entry of a record and the
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
    if meeting.child_attended:
        detail.append("Child attended")
    if meeting.child_contributed:
        detail.append("Child's views shared")
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
        child_id=row.child_id, on=events.local_day(row.started_at), at=row.started_at, seq=0, category=CP,
        title="Child taken into police protection", detail=ended or row.circumstances[:300],
        url=_overview(row.child_id), significant=True, author_id=row.recorded_by_id, recorded_at=row.created_at,
        clock="police_protection", scope=scope, timed=True,
    )
    if row.ended_at:
        yield Fact(child_id=row.child_id, on=events.local_day(row.ended_at), at=row.ended_at, seq=1,
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
