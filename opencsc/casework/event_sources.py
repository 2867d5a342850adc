"""This app's entries in the event registry."""


from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from opencsc.core import events as event_log
from opencsc.core.events import Fact
from opencsc.core.prepared import prepared

from .events import (
    ChronologyItem,
    ClockEvent,
    EventSource,
    children_query,
    latest_of,
    of_children,
    register,
    within,
)
from .models import Allocation, CaseNote, ChronologyEntry, Document, Meeting, OversightRecord, Plan, Visit


@prepared
def _case_note_rows(child_id, *, limit=None):
    qs = CaseNote.objects.filter(child_id=child_id).select_related("author")
    return qs if limit is None else qs.order_by("-contact_date", "-pk")[:limit]


def _case_notes(child, date_from=None, date_to=None, limit=None):
    for note in _case_note_rows(child.pk, limit=limit):
        if not within(note.contact_date, date_from, date_to):
            continue
        seen = ""
        if note.child_seen:
            seen = "Child seen alone" if note.child_seen_alone else "Child seen"
        yield ChronologyItem(
            date=note.contact_date,
            source="case_note",
            category=note.get_note_type_display(),
            title=note.subject,
            detail=seen,
            url=reverse("casework:note_detail", args=[child.pk, note.pk]),
            significant=note.note_type == CaseNote.NoteType.MANAGEMENT_OVERSIGHT,
            author=note.author.display_name,
            sort_key=(note.pk,),
        )


@prepared
def _manual_entry_rows(child_id, *, limit=None):
    qs = ChronologyEntry.objects.filter(child_id=child_id).select_related("author")
    return qs if limit is None else qs.order_by("-event_date", "-pk")[:limit]


def _manual_entries(child, date_from=None, date_to=None, limit=None):
    for entry in _manual_entry_rows(child.pk, limit=limit):
        if not within(entry.event_date, date_from, date_to):
            continue
        yield ChronologyItem(
            date=entry.event_date,
            source="manual",
            category="Significant event",
            title=entry.title,
            detail=entry.detail,
            significant=entry.significance == ChronologyEntry.Significance.HIGH,
            author=entry.author.display_name,
            sort_key=(entry.pk,),
        )


@prepared
def _allocation_rows(child_id, *, limit=None):
    qs = Allocation.objects.filter(child_id=child_id).select_related("worker", "team")
    return qs if limit is None else qs.order_by("-start_date", "-pk")[:limit]


def _allocations(child, date_from=None, date_to=None, limit=None):
    for allocation in _allocation_rows(child.pk, limit=limit):
        if not within(allocation.start_date, date_from, date_to):
            continue
        who = allocation.worker.display_name if allocation.worker else "unallocated"
        yield ChronologyItem(
            date=allocation.start_date,
            source="allocation",
            category="Allocation",
            title=f"Allocated to {who}, {allocation.team.name}",
            detail=allocation.reason,
            sort_key=(allocation.pk,),
        )


@prepared
def _document_rows(child_id):
    return Document.objects.filter(child_id=child_id).select_related("uploaded_by")


def _documents(child, date_from=None, date_to=None):
    for doc in _document_rows(child.pk):
        day = timezone.localdate(doc.uploaded_at)
        if not within(day, date_from, date_to):
            continue
        yield ChronologyItem(
            date=day,
            source="document",
            category="Document",
            title=doc.title,
            url=reverse("casework:document_download", args=[child.pk, doc.pk]),
            author=doc.uploaded_by.display_name,
            sort_key=(doc.pk,),
        )


register(EventSource(key="case_note", label="Case notes and visits", fetch=_case_notes, takes_limit=True))
register(EventSource(key="manual", label="Significant events entered by hand", fetch=_manual_entries,
                     takes_limit=True))
register(EventSource(key="allocation", label="Allocations", fetch=_allocations, takes_limit=True))
register(EventSource(key="document", label="Documents", fetch=_documents))


# --- Plans, meetings, visits and oversight ------------------------------------------------

# Clock events named as in timescales/docs/rules.md. A plan's events, and those of the meetings
# that belong to it, share the scope `plan:<pk>` (protection's `cp_review` uses it too).
PLAN_CLOCK_EVENTS = {
    Plan.Kind.CHILD_IN_NEED: ("cin_plan_started", "cin_plan_ended"),
    Plan.Kind.CHILD_PROTECTION: ("cp_plan_started", "cp_plan_ended"),
}
MEETING_CLOCK_EVENTS = {
    Meeting.Kind.CIN_MEETING: "cin_review",
    Meeting.Kind.CORE_GROUP: "core_group",
}
# Visit kind -> (clock event, counts only when the child was seen)
VISIT_CLOCK_EVENTS = {
    Visit.Kind.CIN: ("cin_visit", True),
    Visit.Kind.CP: ("cp_visit", True),
    Visit.Kind.CLA: ("cla_visit", True),
    Visit.Kind.PA: ("pa_visit", False),
}

# Plan and meeting kinds whose owning app shows them in the chronology itself (with more
# detail, such as the category of abuse): casework then leaves them out of its own
# chronology items, to avoid showing them twice. Clock events are unaffected.
_SHOWN_ELSEWHERE: dict[str, set[str]] = {"plan": set(), "meeting": set()}


def shown_elsewhere(*, plan_kinds=(), meeting_kinds=()) -> None:
    """Called by an owning app (at import of its event_sources) for the kinds it shows in the chronology."""
    _SHOWN_ELSEWHERE["plan"].update(plan_kinds)
    _SHOWN_ELSEWHERE["meeting"].update(meeting_kinds)


@prepared
def _plan_rows(child_id, *, hidden):
    return Plan.objects.filter(child_id=child_id).exclude(kind__in=hidden).select_related("created_by")


def _plans(child, date_from=None, date_to=None):
    for plan in _plan_rows(child.pk, hidden=tuple(sorted(_SHOWN_ELSEWHERE["plan"]))):
        if (date_to and plan.start_date > date_to) or (
                date_from and plan.start_date < date_from and not (plan.end_date and plan.end_date >= date_from)):
            continue
        url = reverse("casework:plan_detail", args=[child.pk, plan.pk])
        label = plan.get_kind_display()
        yield ChronologyItem(
            date=plan.start_date, source="plan", category="Plan", title=f"{label} started",
            detail=plan.summary[:200], url=url, significant=True, author=plan.created_by.display_name,
            sort_key=(plan.pk, 0),
        )
        if plan.end_date:
            yield ChronologyItem(
                date=plan.end_date, source="plan", category="Plan", title=f"{label} ended", url=url,
                significant=True, sort_key=(plan.pk, 1),
            )


def _clock_plans(children):
    return of_children(Plan.objects.filter(kind__in=list(PLAN_CLOCK_EVENTS)), children)


@children_query
def _plan_clock_rows(children):
    return _clock_plans(children).values_list("child_id", "kind", "start_date", "end_date", "pk").order_by(
        "child_id", "start_date", "id")


def _plan_clock_events(children):
    return _plan_events(_plan_clock_rows(children))


@children_query
def _open_plan_rows(children, *, on_or_before):
    still_open = Q(end_date__isnull=True) | Q(end_date__gt=on_or_before) | Q(end_date__lt=F("start_date"))
    return _clock_plans(children).filter(still_open).values_list(
        "child_id", "kind", "start_date", "end_date", "pk").order_by("child_id", "start_date", "id")


def _open_plan_clock_events(children, on_or_before):
    """The plans not ended on or before the date (see the source's `closes`)."""
    return _plan_events(_open_plan_rows(children, on_or_before=on_or_before))


def _plan_events(rows):
    for child_id, kind, start, end, pk in rows:
        started, ended = PLAN_CLOCK_EVENTS[kind]
        yield ClockEvent(child_id=child_id, event=started, on=start, scope=f"plan:{pk}")
        if end:
            yield ClockEvent(child_id=child_id, event=ended, on=end, scope=f"plan:{pk}")


@prepared
def _meeting_rows(child_id, *, hidden, limit=None):
    qs = Meeting.objects.filter(child_id=child_id).exclude(kind__in=hidden).select_related("recorded_by", "plan")
    return qs if limit is None else qs.order_by("-held_on", "-pk")[:limit]


def _meetings(child, date_from=None, date_to=None, limit=None):
    hidden = tuple(sorted(_SHOWN_ELSEWHERE["meeting"]))
    for meeting in _meeting_rows(child.pk, hidden=hidden, limit=limit):
        if not within(meeting.held_on, date_from, date_to):
            continue
        detail = []
        if meeting.chair:
            detail.append(f"Chaired by {meeting.chair}")
        if meeting.child_attended:
            detail.append("Child attended")
        if meeting.child_contributed:
            detail.append("Child's views shared")
        url = reverse("casework:plan_detail", args=[child.pk, meeting.plan_id]) if meeting.plan_id else ""
        yield ChronologyItem(
            date=meeting.held_on, source="meeting", category="Meeting", title=meeting.get_kind_display(),
            detail=". ".join(detail), url=url,
            significant=meeting.kind in (Meeting.Kind.STRATEGY, Meeting.Kind.ICPC, Meeting.Kind.CP_REVIEW),
            author=meeting.recorded_by.display_name, sort_key=(meeting.pk,),
        )


def _clock_meetings(children):
    return of_children(Meeting.objects.filter(kind__in=list(MEETING_CLOCK_EVENTS)), children)


@children_query
def _meeting_clock_rows(children):
    return _clock_meetings(children).values_list("child_id", "kind", "held_on", "plan_id").order_by(
        "child_id", "held_on", "id")


def _meeting_clock_events(children):
    for child_id, kind, held_on, plan_id in _meeting_clock_rows(children):
        yield ClockEvent(child_id=child_id, event=MEETING_CLOCK_EVENTS[kind], on=held_on,
                         scope=f"plan:{plan_id}" if plan_id else "")


@children_query
def _latest_meeting_rows(children, *, on_or_before):
    return latest_of(_clock_meetings(children).filter(held_on__lte=on_or_before), "held_on",
                     ("child_id", "kind", "plan_id"))


def _latest_meeting_clock_events(children, on_or_before):
    for child_id, kind, plan_id, held_on in _latest_meeting_rows(children, on_or_before=on_or_before):
        yield ClockEvent(child_id=child_id, event=MEETING_CLOCK_EVENTS[kind], on=held_on,
                         scope=f"plan:{plan_id}" if plan_id else "")


@prepared
def _visit_rows(child_id, *, limit=None):
    qs = Visit.objects.filter(child_id=child_id).select_related("visitor")
    return qs if limit is None else qs.order_by("-visited_on", "-pk")[:limit]


def _visits(child, date_from=None, date_to=None, limit=None):
    for visit in _visit_rows(child.pk, limit=limit):
        if not within(visit.visited_on, date_from, date_to):
            continue
        if not visit.child_seen:
            seen = "Child not seen"
        elif visit.child_seen_alone:
            seen = "Child seen alone"
        else:
            seen = "Child seen, not alone"
        yield ChronologyItem(
            date=visit.visited_on, source="visit", category="Visit", title=visit.get_kind_display(),
            detail=seen, url=reverse("casework:visits", args=[child.pk]), author=visit.visitor.display_name,
            sort_key=(visit.pk,),
        )


def _clock_visits(children):
    """The visits that count for the clocks: those of a kind that needs the child seen, only if seen."""
    seen_kinds = [kind for kind, (_, needs_seen) in VISIT_CLOCK_EVENTS.items() if needs_seen]
    any_kinds = [kind for kind, (_, needs_seen) in VISIT_CLOCK_EVENTS.items() if not needs_seen]
    return of_children(Visit.objects.all(), children).filter(
        Q(kind__in=seen_kinds, child_seen=True) | Q(kind__in=any_kinds))


@children_query
def _visit_clock_rows(children):
    return _clock_visits(children).values_list("child_id", "kind", "visited_on").order_by(
        "child_id", "visited_on", "id")


def _visit_clock_events(children):
    for child_id, kind, visited_on in _visit_clock_rows(children):
        yield ClockEvent(child_id=child_id, event=VISIT_CLOCK_EVENTS[kind][0], on=visited_on)


@children_query
def _latest_visit_rows(children, *, on_or_before):
    return latest_of(_clock_visits(children).filter(visited_on__lte=on_or_before), "visited_on", ("child_id", "kind"))


def _latest_visit_clock_events(children, on_or_before):
    for child_id, kind, visited_on in _latest_visit_rows(children, on_or_before=on_or_before):
        yield ClockEvent(child_id=child_id, event=VISIT_CLOCK_EVENTS[kind][0], on=visited_on)


@prepared
def _oversight_rows(child_id, *, limit=None):
    qs = OversightRecord.objects.filter(child_id=child_id).select_related("recorded_by").annotate(
        action_count=Count("actions")
    )
    return qs if limit is None else qs.order_by("-held_on", "-pk")[:limit]


def _oversight(child, date_from=None, date_to=None, limit=None):
    for record in _oversight_rows(child.pk, limit=limit):
        if not within(record.held_on, date_from, date_to):
            continue
        actions = f" {record.action_count} action{'s' if record.action_count != 1 else ''} set." \
            if record.action_count else ""
        yield ChronologyItem(
            date=record.held_on, source="oversight", category=record.get_kind_display(),
            title=f"{record.get_kind_display()} by {record.recorded_by.display_name}",
            detail=(record.decisions[:300] + actions).strip(), url=reverse("casework:oversight", args=[child.pk]),
            significant=True, author=record.recorded_by.display_name, sort_key=(record.pk,),
        )


register(EventSource(
    key="plan", label="Plans", fetch=_plans,
    starts_clocks=("cin_plan_started", "cp_plan_started"), stops_clocks=("cin_plan_ended", "cp_plan_ended"),
    clock_events=_plan_clock_events, open_clock_events=_open_plan_clock_events,
    closes=tuple(PLAN_CLOCK_EVENTS.values()),
))
register(EventSource(
    key="meeting", label="Meetings", fetch=_meetings, stops_clocks=("cin_review", "core_group"),
    clock_events=_meeting_clock_events, latest_clock_events=_latest_meeting_clock_events, takes_limit=True,
))
register(EventSource(
    key="visit", label="Visits", fetch=_visits, stops_clocks=("cin_visit", "cp_visit", "cla_visit", "pa_visit"),
    clock_events=_visit_clock_events, latest_clock_events=_latest_visit_clock_events, takes_limit=True,
))
register(EventSource(key="oversight", label="Management oversight and supervision", fetch=_oversight,
                     takes_limit=True))


# --- The event log (core/events.py): the same sources, as facts written by the services --------------
#
# Each source below gives, for one row, exactly what the EventSource of the same key above gives: its
# chronology items and its clock events (one fact for both when they fall on the same day). The kinds
# an owning app shows in the chronology itself (_SHOWN_ELSEWHERE) give clock facts only (no title).


def _author(user_id) -> int | None:
    return user_id or None


def _case_note_facts(note):
    seen = ""
    if note.child_seen:
        seen = "Child seen alone" if note.child_seen_alone else "Child seen"
    yield Fact(
        child_id=note.child_id, on=note.contact_date, title=note.subject, category=note.get_note_type_display(),
        detail=seen, url=reverse("casework:note_detail", args=[note.child_id, note.pk]),
        significant=note.note_type == CaseNote.NoteType.MANAGEMENT_OVERSIGHT, author_id=_author(note.author_id),
        recorded_at=note.created_at,
    )


def _manual_entry_facts(entry):
    yield Fact(
        child_id=entry.child_id, on=entry.event_date, title=entry.title, category="Significant event",
        detail=entry.detail, significant=entry.significance == ChronologyEntry.Significance.HIGH,
        author_id=_author(entry.author_id), recorded_at=entry.created_at,
    )


def _allocation_facts(allocation):
    who = allocation.worker.display_name if allocation.worker else "unallocated"
    yield Fact(
        child_id=allocation.child_id, on=allocation.start_date, title=f"Allocated to {who}, {allocation.team.name}",
        category="Allocation", detail=allocation.reason,
    )


def _document_facts(doc):
    yield Fact(
        child_id=doc.child_id, on=timezone.localdate(doc.uploaded_at), title=doc.title, category="Document",
        url=reverse("casework:document_download", args=[doc.child_id, doc.pk]),
        author_id=_author(doc.uploaded_by_id), recorded_at=doc.uploaded_at,
    )


def _plan_settled_on(plan):
    """The day the plan's clocks are over for good: its end, unless it ended before it started (the old
    open_clock_events kept such a plan open)."""
    return plan.end_date if plan.end_date and plan.end_date >= plan.start_date else None


def _plan_facts(plan):
    clocks = PLAN_CLOCK_EVENTS.get(plan.kind)
    shown = plan.kind not in _SHOWN_ELSEWHERE["plan"]
    if not (shown or clocks):
        return
    started, ended = {}, {}
    if shown:
        label = plan.get_kind_display()
        url = reverse("casework:plan_detail", args=[plan.child_id, plan.pk])
        started = {"title": f"{label} started", "category": "Plan", "detail": plan.summary[:200], "url": url,
                   "significant": True, "author_id": _author(plan.created_by_id)}
        ended = {"title": f"{label} ended", "category": "Plan", "url": url, "significant": True}
    if clocks:
        common = {"scope": f"plan:{plan.pk}", "settled_on": _plan_settled_on(plan)}
        started |= {"clock": clocks[0], **common}
        ended |= {"clock": clocks[1], **common}
    yield Fact(child_id=plan.child_id, on=plan.start_date, seq=0, recorded_at=plan.created_at, **started)
    if plan.end_date:
        yield Fact(child_id=plan.child_id, on=plan.end_date, seq=1, recorded_at=plan.created_at, **ended)


_SIGNIFICANT_MEETINGS = (Meeting.Kind.STRATEGY, Meeting.Kind.ICPC, Meeting.Kind.CP_REVIEW)


def _meeting_facts(meeting):
    clock = MEETING_CLOCK_EVENTS.get(meeting.kind, "")
    scope = f"plan:{meeting.plan_id}" if clock and meeting.plan_id else ""
    if meeting.kind in _SHOWN_ELSEWHERE["meeting"]:
        if clock:
            yield Fact(child_id=meeting.child_id, on=meeting.held_on, recorded_at=meeting.created_at, scope=scope,
                       clock=clock)
        return
    detail = []
    if meeting.chair:
        detail.append(f"Chaired by {meeting.chair}")
    if meeting.child_attended:
        detail.append("Child attended")
    if meeting.child_contributed:
        detail.append("Child's views shared")
    url = reverse("casework:plan_detail", args=[meeting.child_id, meeting.plan_id]) if meeting.plan_id else ""
    yield Fact(
        child_id=meeting.child_id, on=meeting.held_on, title=meeting.get_kind_display(), category="Meeting",
        detail=". ".join(detail), url=url, significant=meeting.kind in _SIGNIFICANT_MEETINGS,
        author_id=_author(meeting.recorded_by_id), recorded_at=meeting.created_at, scope=scope, clock=clock,
    )


def _visit_facts(visit):
    if not visit.child_seen:
        seen = "Child not seen"
    elif visit.child_seen_alone:
        seen = "Child seen alone"
    else:
        seen = "Child seen, not alone"
    clock, needs_seen = VISIT_CLOCK_EVENTS.get(visit.kind, ("", False))
    if needs_seen and not visit.child_seen:
        clock = ""
    yield Fact(
        child_id=visit.child_id, on=visit.visited_on, title=visit.get_kind_display(), category="Visit", detail=seen,
        url=reverse("casework:visits", args=[visit.child_id]), author_id=_author(visit.visitor_id),
        recorded_at=visit.created_at, clock=clock,
    )


def _oversight_facts(record):
    count = record.action_count
    actions = f" {count} action{'s' if count != 1 else ''} set." if count else ""
    kind = record.get_kind_display()
    yield Fact(
        child_id=record.child_id, on=record.held_on, title=f"{kind} by {record.recorded_by.display_name}",
        category=kind, detail=(record.decisions[:300] + actions).strip(),
        url=reverse("casework:oversight", args=[record.child_id]), significant=True,
        author_id=_author(record.recorded_by_id), recorded_at=record.created_at,
    )


def _with_action_count(queryset):
    return queryset.annotate(action_count=Count("actions"))


event_log.register(event_log.Source(
    key="case_note", label="Case notes and visits", model="casework.CaseNote", project=_case_note_facts))
event_log.register(event_log.Source(
    key="manual", label="Significant events entered by hand", model="casework.ChronologyEntry",
    project=_manual_entry_facts))
event_log.register(event_log.Source(
    key="allocation", label="Allocations", model="casework.Allocation", project=_allocation_facts,
    related=("worker", "team")))
event_log.register(event_log.Source(
    key="document", label="Documents", model="casework.Document", project=_document_facts))
event_log.register(event_log.Source(
    key="plan", label="Plans", model="casework.Plan", project=_plan_facts,
    starts_clocks=("cin_plan_started", "cp_plan_started"), stops_clocks=("cin_plan_ended", "cp_plan_ended"),
    closes=tuple(PLAN_CLOCK_EVENTS.values()),
))
event_log.register(event_log.Source(
    key="meeting", label="Meetings", model="casework.Meeting", project=_meeting_facts,
    stops_clocks=("cin_review", "core_group"), latest=True,
))
event_log.register(event_log.Source(
    key="visit", label="Visits", model="casework.Visit", project=_visit_facts,
    stops_clocks=("cin_visit", "cp_visit", "cla_visit", "pa_visit"), latest=True,
))
event_log.register(event_log.Source(
    key="oversight", label="Management oversight and supervision", model="casework.OversightRecord",
    project=_oversight_facts, related=("recorded_by",), prepare=_with_action_count,
    follows={"casework.OversightAction": "actions"},
))
