"""This app's entries in the event registry."""


from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from opencsc.core import events as event_log
from opencsc.core.events import Fact

from .models import CaseNote, ChronologyEntry, Meeting, OversightAction, Plan, Visit

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


# --- The event log (core/events.py): facts written by the services ------------------------------------
#
# The kinds an owning app shows in the chronology itself (_SHOWN_ELSEWHERE) give clock facts only (no title).


def _author(user_id) -> int | None:
    return user_id or None


# Case notes that record a visit to the child: they are visits (Fact.seen) wherever visits are listed.
VISIT_NOTE_TYPES = frozenset({CaseNote.NoteType.HOME_VISIT, CaseNote.NoteType.OFFICE_VISIT})


def _case_note_facts(note):
    visit = event_log.seen(note.child_seen, note.child_seen_alone) if note.note_type in VISIT_NOTE_TYPES else ""
    seen = event_log.SEEN_TEXT[visit] if visit else ""
    if note.child_seen and not visit:
        seen = "Child seen alone" if note.child_seen_alone else "Child seen"
    yield Fact(
        child_id=note.child_id, on=note.contact_date, title=note.subject, category=note.get_note_type_display(),
        detail=seen, url=reverse("casework:note_detail", args=[note.child_id, note.pk]),
        significant=note.note_type == CaseNote.NoteType.MANAGEMENT_OVERSIGHT, author_id=_author(note.author_id),
        recorded_at=note.created_at, seen=visit,
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
    detail = [f"Chaired by {meeting.chair}"] if meeting.chair else []
    detail += child_participation(meeting)
    url = reverse("casework:plan_detail", args=[meeting.child_id, meeting.plan_id]) if meeting.plan_id else ""
    yield Fact(
        child_id=meeting.child_id, on=meeting.held_on, title=meeting.get_kind_display(), category="Meeting",
        detail=". ".join(detail), url=url, significant=meeting.kind in _SIGNIFICANT_MEETINGS,
        author_id=_author(meeting.recorded_by_id), recorded_at=meeting.created_at, scope=scope, clock=clock,
    )


def _visit_facts(visit):
    seen = event_log.seen(visit.child_seen, visit.child_seen_alone)
    clock, needs_seen = VISIT_CLOCK_EVENTS.get(visit.kind, ("", False))
    if needs_seen and not visit.child_seen:
        clock = ""
    yield Fact(
        child_id=visit.child_id, on=visit.visited_on, title=visit.get_kind_display(), category="Visit",
        detail=". ".join(text for text in (event_log.SEEN_TEXT[seen], "Bedroom seen" if visit.bedroom_seen else "",
                                           visit.summary[:300]) if text),
        url=reverse("casework:visits", args=[visit.child_id]), author_id=_author(visit.visitor_id),
        recorded_at=visit.created_at, clock=clock, seen=seen,
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
    # A subquery, not Count("actions"): announcing an action reads its record through
    # filter(actions=<pk>), and an annotation over that same join would count that one action only.
    counts = (OversightAction.objects.filter(record=OuterRef("pk")).order_by().values("record")
              .annotate(n=Count("pk")).values("n"))
    return queryset.annotate(action_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0))


event_log.register(event_log.Source(
    key="case_note", label="Case notes and visits", model="casework.CaseNote", project=_case_note_facts,
    visits="Home and office visits in case notes"))
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
    stops_clocks=("cin_visit", "cp_visit", "cla_visit", "pa_visit"), latest=True, visits="Visits",
))
event_log.register(event_log.Source(
    key="oversight", label="Management oversight and supervision", model="casework.OversightRecord",
    project=_oversight_facts, related=("recorded_by",), prepare=_with_action_count,
    follows={"casework.OversightAction": "actions"},
))


def child_participation(meeting) -> list[str]:
    """How the child took part in a meeting, as a chronology entry's detail says it."""
    return [text for took_part, text in ((meeting.child_attended, "Child attended"),
                                         (meeting.child_contributed, "Child's views shared")) if took_part]
