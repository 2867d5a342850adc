"""This app's entries in the event registry."""

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from .events import ChronologyItem, ClockEvent, EventSource, register
from .models import Allocation, CaseNote, ChronologyEntry, Document, Meeting, OversightRecord, Plan, Visit


def _case_notes(child, date_from=None, date_to=None, limit=None):
    qs = CaseNote.objects.filter(child=child).select_related("author")
    if date_from:
        qs = qs.filter(contact_date__gte=date_from)
    if date_to:
        qs = qs.filter(contact_date__lte=date_to)
    if limit is not None:
        qs = qs.order_by("-contact_date", "-pk")[:limit]
    for note in qs:
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


def _manual_entries(child, date_from=None, date_to=None, limit=None):
    qs = ChronologyEntry.objects.filter(child=child).select_related("author")
    if date_from:
        qs = qs.filter(event_date__gte=date_from)
    if date_to:
        qs = qs.filter(event_date__lte=date_to)
    if limit is not None:
        qs = qs.order_by("-event_date", "-pk")[:limit]
    for entry in qs:
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


def _allocations(child, date_from=None, date_to=None, limit=None):
    qs = Allocation.objects.filter(child=child).select_related("worker", "team")
    if date_from:
        qs = qs.filter(start_date__gte=date_from)
    if date_to:
        qs = qs.filter(start_date__lte=date_to)
    if limit is not None:
        qs = qs.order_by("-start_date", "-pk")[:limit]
    for allocation in qs:
        who = allocation.worker.display_name if allocation.worker else "unallocated"
        yield ChronologyItem(
            date=allocation.start_date,
            source="allocation",
            category="Allocation",
            title=f"Allocated to {who}, {allocation.team.name}",
            detail=allocation.reason,
            sort_key=(allocation.pk,),
        )


def _day_start(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _documents(child, date_from=None, date_to=None):
    qs = Document.objects.filter(child=child).select_related("uploaded_by")
    if date_from:
        qs = qs.filter(uploaded_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(uploaded_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    for doc in qs:
        yield ChronologyItem(
            date=timezone.localdate(doc.uploaded_at),
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


def _plans(child, date_from=None, date_to=None):
    qs = Plan.objects.filter(child=child).exclude(kind__in=list(_SHOWN_ELSEWHERE["plan"])).select_related(
        "created_by")
    if date_to:
        qs = qs.filter(start_date__lte=date_to)
    if date_from:
        qs = qs.filter(Q(start_date__gte=date_from) | Q(end_date__gte=date_from))
    for plan in qs:
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


def _plan_clock_events(children):
    qs = Plan.objects.filter(child__in=children, kind__in=list(PLAN_CLOCK_EVENTS)).values_list(
        "child_id", "kind", "start_date", "end_date", "pk"
    )
    for child_id, kind, start, end, pk in qs.order_by("child_id", "start_date", "id"):
        started, ended = PLAN_CLOCK_EVENTS[kind]
        yield ClockEvent(child_id=child_id, event=started, on=start, scope=f"plan:{pk}")
        if end:
            yield ClockEvent(child_id=child_id, event=ended, on=end, scope=f"plan:{pk}")


def _meetings(child, date_from=None, date_to=None, limit=None):
    qs = Meeting.objects.filter(child=child).exclude(kind__in=list(_SHOWN_ELSEWHERE["meeting"])).select_related(
        "recorded_by", "plan")
    if date_from:
        qs = qs.filter(held_on__gte=date_from)
    if date_to:
        qs = qs.filter(held_on__lte=date_to)
    if limit is not None:
        qs = qs.order_by("-held_on", "-pk")[:limit]
    for meeting in qs:
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


def _meeting_clock_events(children):
    qs = Meeting.objects.filter(child__in=children, kind__in=list(MEETING_CLOCK_EVENTS)).values_list(
        "child_id", "kind", "held_on", "plan_id"
    )
    for child_id, kind, held_on, plan_id in qs.order_by("child_id", "held_on", "id"):
        yield ClockEvent(child_id=child_id, event=MEETING_CLOCK_EVENTS[kind], on=held_on,
                         scope=f"plan:{plan_id}" if plan_id else "")


def _visits(child, date_from=None, date_to=None, limit=None):
    qs = Visit.objects.filter(child=child).select_related("visitor")
    if date_from:
        qs = qs.filter(visited_on__gte=date_from)
    if date_to:
        qs = qs.filter(visited_on__lte=date_to)
    if limit is not None:
        qs = qs.order_by("-visited_on", "-pk")[:limit]
    for visit in qs:
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


def _visit_clock_events(children):
    seen_kinds = [kind for kind, (_, needs_seen) in VISIT_CLOCK_EVENTS.items() if needs_seen]
    any_kinds = [kind for kind, (_, needs_seen) in VISIT_CLOCK_EVENTS.items() if not needs_seen]
    qs = Visit.objects.filter(child__in=children).filter(
        Q(kind__in=seen_kinds, child_seen=True) | Q(kind__in=any_kinds)
    ).values_list("child_id", "kind", "visited_on")
    for child_id, kind, visited_on in qs.order_by("child_id", "visited_on", "id"):
        yield ClockEvent(child_id=child_id, event=VISIT_CLOCK_EVENTS[kind][0], on=visited_on)


def _oversight(child, date_from=None, date_to=None, limit=None):
    qs = OversightRecord.objects.filter(child=child).select_related("recorded_by").annotate(
        action_count=Count("actions")
    )
    if date_from:
        qs = qs.filter(held_on__gte=date_from)
    if date_to:
        qs = qs.filter(held_on__lte=date_to)
    if limit is not None:
        qs = qs.order_by("-held_on", "-pk")[:limit]
    for record in qs:
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
    clock_events=_plan_clock_events,
))
register(EventSource(
    key="meeting", label="Meetings", fetch=_meetings, stops_clocks=("cin_review", "core_group"),
    clock_events=_meeting_clock_events, takes_limit=True,
))
register(EventSource(
    key="visit", label="Visits", fetch=_visits, stops_clocks=("cin_visit", "cp_visit", "cla_visit", "pa_visit"),
    clock_events=_visit_clock_events, takes_limit=True,
))
register(EventSource(key="oversight", label="Management oversight and supervision", fetch=_oversight,
                     takes_limit=True))
