"""Reads for the child's record. Every function takes a child already fetched
through `people.access.child_for()` and checks the user may see this part of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from opencsc.accounts.models import AccessLog, Team, User
from opencsc.accounts.roles import Role
from opencsc.core import events
from opencsc.core.models import AuditEvent, Event
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.people.access import can, children_for
from opencsc.people.models import Address, Child, ChildAlias, Relationship

from . import policy
from .models import (
    ActionProgress,
    Allocation,
    CaseNote,
    Document,
    Meeting,
    MeetingAttendance,
    OversightAction,
    OversightRecord,
    Plan,
    PlanAction,
    Visit,
)
from .summary import Service, check_expressions, current_services

RECENT_ITEMS = 10


def _require(user, action: str, child: Child) -> None:
    if not can(user, action, child):
        raise Http404("No child found")


# --- Chronology -------------------------------------------------------------------------


def chronology_for(
    *,
    user,
    child: Child,
    sources: list[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    significant_only: bool = False,
    limit: int | None = None,
) -> QuerySet[Event]:
    """The child's chronology from the event log, newest first, filtered in SQL (page it: a ten-year
    history has thousands of entries). Entries of sources the user may not see are left out."""
    _require(user, "view_casework", child)
    hidden = _hidden_kinds(user, child)
    items = Event.objects.filter(child=child).exclude(title="")
    if sources:
        items = items.filter(kind__in=sources)
    if hidden:
        items = items.exclude(kind__in=hidden)
    if date_from:
        items = items.filter(occurred_on__gte=date_from)
    if date_to:
        items = items.filter(occurred_on__lte=date_to)
    if significant_only:
        items = items.filter(significant=True)
    items = items.select_related("author").order_by(*chronology_order())
    return items if limit is None else items[:limit]


def chronology_order() -> tuple:
    """Newest first, within a day too: the last thing that happened that day first. A day's events follow
    their sources' order (core.events.day_ranks, the rules' order: a contact before the referral it led
    to, a referral before its assessment is authorised), each source's by time where it is known, then
    by record and by the record's own order (an assessment started before it is authorised). What closes a
    record for good (a case closed, a plan ended: core.events.closing_clock_events) comes last in its day: an
    episode closed the day its assessment is authorised is above the authorisation."""
    ranks = events.day_ranks()
    rank = Case(*(When(kind=key, then=Value(place)) for key, place in ranks.items()),
                default=Value(len(ranks)), output_field=IntegerField())
    closing = Case(When(clock__in=sorted(events.closing_clock_events()), occurred_at__isnull=True, then=Value(1)),
                   default=Value(0), output_field=IntegerField())
    return ("-occurred_on", closing.desc(), rank.desc(), F("occurred_at").desc(nulls_last=True), "-source_id",
            "-seq")


def _hidden_kinds(user, child: Child) -> list[str]:
    """The sources whose entries this user may not see on this child (``Source.visible_to``)."""
    return [s.key for s in events.sources() if s.visible_to and not can(user, s.visible_to, child)]


# --- Case notes ---------------------------------------------------------------------------


def case_notes_for(
    *, user, child: Child, note_type: str | None = None, child_seen: bool | None = None
) -> QuerySet[CaseNote]:
    _require(user, "view_casework", child)
    qs = CaseNote.objects.filter(child=child).select_related("author").order_by("-contact_date", "-id")
    if note_type:
        qs = qs.filter(note_type=note_type)
    if child_seen is not None:
        qs = qs.filter(child_seen=child_seen)
    return qs


def case_note_for(*, user, child: Child, note_id: int) -> CaseNote:
    _require(user, "view_casework", child)
    return get_object_or_404(CaseNote.objects.select_related("author"), child=child, pk=note_id)


def can_edit_case_note(user, note: CaseNote) -> bool:
    """Only the author or a manager may change a case note (and only if they may record)."""
    if not can(user, "record", note.child):
        return False
    return note.author_id == user.pk or policy.may_edit_others_case_notes(user)


# --- Documents ----------------------------------------------------------------------------


def documents_for(*, user, child: Child) -> QuerySet[Document]:
    _require(user, "view_casework", child)
    return Document.objects.filter(child=child).select_related("uploaded_by").order_by("-uploaded_at", "-id")


def document_for(*, user, child: Child, document_id: int) -> Document:
    _require(user, "view_casework", child)
    return get_object_or_404(Document, child=child, pk=document_id)


# --- History ------------------------------------------------------------------------------


def history_for(*, user, child: Child) -> QuerySet[AuditEvent]:
    _require(user, "view_casework", child)
    # with the events of records merged into this one (the audit log keeps the child each was written for)
    return (AuditEvent.objects.filter(Q(child=child) | Q(child__merged_into=child))
            .select_related("actor").order_by("-at", "-id"))


# --- The record summary -------------------------------------------------------------------


@dataclass
class Alert:
    label: str
    detail: str = ""
    colour: str = "red"


@dataclass
class RecordSummary:
    child: Child
    can_view_casework: bool
    aliases: list = field(default_factory=list)
    current_address: Address | None = None
    allocations: list = field(default_factory=list)
    services: list[Service] = field(default_factory=list)  # each with its tab of the record
    alerts: list[Alert] = field(default_factory=list)
    family: list = field(default_factory=list)
    recent_chronology: list[Event] = field(default_factory=list)
    recent_notes: list = field(default_factory=list)
    open_plans: list = field(default_factory=list)
    last_visit: Event | None = None  # the newest of visits_for
    clock_facts: list[Event] = field(default_factory=list)  # the child's, for timescales' child_next_due


def _relationship_rows(child_id, *, today):
    return (
        Relationship.objects.filter(child_id=child_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("person", "related_child")
        .order_by("kind", "id")
    )


def _family(user, child: Child) -> list[Relationship]:
    """Current relationships, hiding related children this user may not see (one query, and one more
    if the network names other children)."""
    relationships = list(_relationship_rows(child.pk, today=timezone.localdate()))
    related = {r.related_child_id for r in relationships if r.related_child_id}
    visible = set(children_for(user).filter(pk__in=related).values_list("pk", flat=True)) if related else set()
    return [r for r in relationships if r.related_child_id is None or r.related_child_id in visible]


_ADDRESS_FIELDS = ("line_1", "line_2", "town", "postcode", "start_date")
_VISIT_FIELDS = ("kind", "source_id", "seq", "occurred_on", "title", "url", "seen")
_ADULT_FLAGS = {"risk": "person__poses_risk", "mappa": "person__mappa", "marac": "person__marac"}


def _first(queryset, field: str):
    return Subquery(queryset.values(field)[:1])


def _record_row(child: Child, *, casework: bool, hidden: list[str] = ()) -> dict:
    """ONE query: the child's row with every single value the record page shows (the current address,
    counts of flagged adults, the last visit (of ``_visit_rows``, without the ``hidden`` sources),
    whether there are aliases, family or open plans to read, and the services checks of every app:
    casework.summary.check_expressions)."""
    today = timezone.localdate()
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    address = Address.objects.filter(child=OuterRef("pk"), start_date__lte=today).filter(current).order_by(
        "-start_date", "-id")
    adults = Relationship.objects.filter(child=OuterRef("pk"), person__isnull=False).filter(current)
    expressions = {f"address_{name}": _first(address, name) for name in _ADDRESS_FIELDS}
    expressions["address_id"] = _first(address, "pk")
    for key, flag in _ADULT_FLAGS.items():
        flagged = adults.filter(**{flag: True}).order_by().values("child").annotate(n=Count("pk")).values("n")
        expressions[f"adults_{key}"] = Coalesce(Subquery(flagged[:1]), 0)
    expressions["has_aliases"] = Exists(ChildAlias.objects.filter(child=OuterRef("pk")))
    if casework:
        expressions["has_family"] = Exists(Relationship.objects.filter(child=OuterRef("pk")).filter(current))
        expressions["has_open_plans"] = Exists(Plan.objects.filter(child=OuterRef("pk"), end_date__isnull=True))
        visits = _visit_rows(OuterRef("pk"), hidden)
        expressions.update({f"visit_{name}": _first(visits, name) for name in _VISIT_FIELDS})
    expressions.update(check_expressions())
    return Child.objects.filter(pk=child.pk).annotate(**expressions).values(*expressions).first() or {}


def _current_address(child: Child, row: dict) -> Address | None:
    if row.get("address_id") is None:
        return None
    return Address(pk=row["address_id"], child=child, **{name: row[f"address_{name}"] for name in _ADDRESS_FIELDS})


def _last_visit(child: Child, row: dict) -> Event | None:
    if row.get("visit_occurred_on") is None:
        return None
    return Event(child=child, **{name: row[f"visit_{name}"] for name in _VISIT_FIELDS})


def _adult_alerts(row: dict) -> list[Alert]:
    """Adults in the family network flagged MAPPA, MARAC or posing a risk."""
    risk, mappa, marac = (row.get(f"adults_{key}") or 0 for key in _ADULT_FLAGS)
    alerts = []
    if risk:
        alerts.append(Alert("Poses a risk", _adults(risk, "poses a risk to children", "pose a risk to children")))
    if mappa:
        alerts.append(Alert("MAPPA", _adults(mappa, "is managed under MAPPA", "are managed under MAPPA")))
    if marac:
        alerts.append(Alert("MARAC", _adults(marac, "has been discussed at MARAC", "have been discussed at MARAC")))
    return alerts


def _adults(count: int, singular: str, plural: str) -> str:
    if count == 1:
        return f"An adult in the family network {singular}"
    return f"{count} adults in the family network {plural}"


def _alerts(child: Child, row: dict) -> list[Alert]:
    alerts = []
    if child.is_restricted:
        alerts.append(Alert("Restricted record", child.restriction_reason or "Only named people may see this record"))
    if child.date_of_death:
        alerts.append(Alert("Deceased", f"Died {govuk_date(child.date_of_death)}", colour="grey"))
    if child.is_unborn:
        alerts.append(Alert("Unborn", f"Expected {govuk_date(child.expected_date_of_birth)}", colour="purple"))
    alerts.extend(_adult_alerts(row))
    if child.interpreter_needed:
        language = f": {child.first_language}" if child.first_language else ""
        alerts.append(Alert("Interpreter needed", f"Needs an interpreter{language}", colour="yellow"))
    if child.is_uasc and not child.uasc_ceased:
        alerts.append(Alert("UASC", "Unaccompanied asylum-seeking child", colour="blue"))
    return alerts


def child_alerts(child: Child) -> list[Alert]:
    """The alerts the record page shows for this child (one query), for a page listing children to choose
    from (the front door's possible matches). The caller has fetched the child through people.access."""
    return _alerts(child, _record_row(child, casework=False))


def _alias_rows(child_id):
    return ChildAlias.objects.filter(child_id=child_id).order_by("kind", "last_name", "first_name", "id")


def _open_allocation_rows(child_id):
    return (
        Allocation.objects.filter(child_id=child_id, end_date__isnull=True)
        .select_related("worker", "team")
        .order_by("-start_date", "-id")
    )


def child_record_summary(*, user, child: Child) -> RecordSummary:
    """Everything the record page shows, in a number of queries that does not grow with the history:
    the child's row with its single values (``_record_row``), the open allocations, the events (the
    recent chronology, the recent case notes and the clock facts, in one query: ``record_events``),
    and the aliases, family and open plans only when there are some."""
    casework = can(user, "view_casework", child)
    summary = RecordSummary(child=child, can_view_casework=casework)
    row = _record_row(child, casework=casework, hidden=_hidden_kinds(user, child) if casework else ())
    summary.aliases = list(_alias_rows(child.pk)) if row.get("has_aliases") else []
    summary.current_address = _current_address(child, row)
    summary.allocations = list(_open_allocation_rows(child.pk))
    child.open_allocations_read = summary.allocations  # people.access reads them rather than asking again
    summary.services = current_services(child, row=row)
    summary.alerts = _alerts(child, row)
    if casework:
        summary.family = _family(user, child) if row.get("has_family") else []
        chronology, notes, clocks = record_events(user=user, child=child, limit=RECENT_ITEMS)
        summary.recent_chronology, summary.recent_notes, summary.clock_facts = chronology, notes, clocks
        summary.open_plans = open_plans_for(child) if row.get("has_open_plans") else []
        summary.last_visit = _last_visit(child, row)
    return summary


def record_events(*, user, child: Child, limit: int) -> tuple[list[Event], list[Event], list[Event]]:
    """ONE query of the event log for the record page: the ``limit`` newest chronology entries, the
    ``limit`` newest case notes, and every clock fact of the child (for what is next due)."""
    shown = chronology_for(user=user, child=child)
    newest = shown.values("pk")[:limit]
    notes = shown.filter(kind="case_note").values("pk")[:limit]
    rows = list(Event.objects.filter(child=child).filter(
        Q(pk__in=newest) | Q(pk__in=notes) | ~Q(clock="")).select_related("author").order_by(*chronology_order()))
    chronology = [e for e in rows if e.title and e.kind not in _hidden_kinds(user, child)][:limit]
    note_rows = [e for e in rows if e.title and e.kind == "case_note"][:limit]
    clocks = [e for e in rows if e.clock]
    return chronology, note_rows, clocks


def age_text(child: Child, on: dt.date | None = None) -> str:
    """'12 years old', '7 months old', or for an unborn child 'Unborn, expected 23 Nov 2026'."""
    if child.is_unborn:
        return f"Unborn, expected {govuk_date(child.expected_date_of_birth)}"
    dob = child.date_of_birth
    if dob is None:
        return "Date of birth not known"
    on = on or child.date_of_death or timezone.localdate()
    months = (on.year - dob.year) * 12 + on.month - dob.month - (on.day < dob.day)
    if months < 0:
        return ""
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''} old"
    years = months // 12
    return f"{years} years old"


# --- Plans, meetings, visits and oversight ------------------------------------------------


def plan_is_overdue_for_review(plan: Plan, today: dt.date | None = None) -> bool:
    """An open plan whose review date has passed."""
    today = today or timezone.localdate()
    return plan.end_date is None and plan.review_due is not None and plan.review_due < today


def plans_for(*, user, child: Child) -> QuerySet[Plan]:
    """The child's plans, open ones first, newest first, with the number of actions."""
    _require(user, "view_casework", child)
    return (
        Plan.objects.filter(child=child)
        .annotate(action_count=Count("actions", distinct=True))
        .order_by(F("end_date").desc(nulls_first=True), "-start_date", "-id")
    )


def plan_for(*, user, child: Child, plan_id: int) -> Plan:
    _require(user, "view_casework", child)
    return get_object_or_404(Plan.objects.select_related("created_by"), child=child, pk=plan_id)


@dataclass
class ActionRow:
    action: PlanAction
    latest: ActionProgress | None = None


@dataclass
class PlanDetail:
    plan: Plan
    actions: list[ActionRow]
    meetings: list[Meeting]
    overdue_for_review: bool


def plan_detail(*, user, child: Child, plan: Plan) -> PlanDetail:
    """A plan's actions with their latest progress, and its meetings with attendance (four queries)."""
    _require(user, "view_casework", child)
    actions = list(plan.actions.order_by("order", "id"))
    latest: dict[int, ActionProgress] = {}
    progress = (
        ActionProgress.objects.filter(action__plan=plan)
        .select_related("meeting")
        .order_by("-meeting__held_on", "-meeting_id", "-id")
    )
    for item in progress:
        latest.setdefault(item.action_id, item)
    meetings = list(
        Meeting.objects.filter(plan=plan)
        .prefetch_related(Prefetch("attendance", queryset=MeetingAttendance.objects.order_by("id")))
        .order_by("-held_on", "-id")
    )
    return PlanDetail(
        plan=plan,
        actions=[ActionRow(action=a, latest=latest.get(a.pk)) for a in actions],
        meetings=meetings,
        overdue_for_review=plan_is_overdue_for_review(plan),
    )


def _visit_rows(child, hidden=()) -> QuerySet[Event]:
    rows = Event.objects.filter(child=child).exclude(seen="")
    return (rows.exclude(kind__in=hidden) if hidden else rows).order_by(*chronology_order())


# A kind of visit to filter by: a casework visit's kind (its entry's title), or another source's visits.
_OTHER_SOURCE = "source-"


def visit_kinds() -> list[tuple[str, str]]:
    """The kinds of visit the Visits tab filters by: casework's own kinds, then the visits every other
    source records (``Source.visits``: case notes of home and office visits, private fostering...)."""
    others = [(f"{_OTHER_SOURCE}{s.key}", s.visits) for s in events.sources() if s.visits and s.key != "visit"]
    return [*Visit.Kind.choices, *others]


def visits_for(*, user, child: Child, kind: str | None = None) -> QuerySet[Event]:
    """Every visit to the child, newest first, whichever app recorded it: the event log's visits
    (``Fact.seen``: casework's visits, case notes of home and office visits, private fostering and
    adoption visits). The Visits tab, the record's last visit and the chronology show these same
    entries, and the due lists read their clock facts, so the date and whether the child was seen
    are the same everywhere. ``kind``: one of ``visit_kinds()``."""
    _require(user, "view_casework", child)
    rows = _visit_rows(child, _hidden_kinds(user, child)).select_related("author")
    if kind and kind.startswith(_OTHER_SOURCE):
        return rows.filter(kind=kind.removeprefix(_OTHER_SOURCE))
    if kind:
        return rows.filter(kind="visit", title=Visit.Kind(kind).label) if kind in Visit.Kind.values else rows.none()
    return rows


def oversight_for(*, user, child: Child) -> QuerySet[OversightRecord]:
    _require(user, "view_casework", child)
    return (
        OversightRecord.objects.filter(child=child)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("actions", queryset=OversightAction.objects.order_by("due_date", "id")))
        .order_by("-held_on", "-id")
    )


def _open_plan_rows(child_id):
    return Plan.objects.filter(child_id=child_id, end_date__isnull=True).order_by("-start_date", "-id")


def open_plans_for(child: Child) -> list[Plan]:
    """The child's open plans with their review dates (one query), for the record summary."""
    plans = _open_plan_rows(child.pk)
    today = timezone.localdate()
    for plan in plans:
        plan.overdue_for_review = plan_is_overdue_for_review(plan, today)
    return plans


def last_visit_for(*, user, child: Child) -> Event | None:
    """The newest of ``visits_for``."""
    return visits_for(user=user, child=child).first()

# --- Allocation: who may be allocated, and the allocations waiting for someone ---------------


def allocation_teams() -> QuerySet[Team]:
    """The teams a child may be allocated to: active teams that hold children's cases and have at least one
    active case-holding practitioner (never the MASH, administration, performance or a partner agency)."""
    practitioners = User.objects.filter(team=OuterRef("pk"), is_active=True, role__in=policy.CASE_HOLDING_ROLES)
    return (Team.objects.filter(is_active=True, kind__in=policy.CASE_HOLDING_TEAM_KINDS)
            .filter(Exists(practitioners)).order_by("name"))


def team_holds_cases(team) -> bool:
    """May a child be allocated to this team (the rule the allocation service applies)?"""
    return team is not None and team.is_active and team.kind in policy.CASE_HOLDING_TEAM_KINDS


def worker_holds_cases(worker) -> bool:
    """May a child be allocated to this worker: an active practitioner who holds cases, in such a team."""
    return (worker is not None and worker.is_active and worker.role in policy.CASE_HOLDING_ROLES
            and team_holds_cases(worker.team))


def allocatable_workers() -> QuerySet[User]:
    """The practitioners a child may be allocated to, by team then name, each with ``allocated_children``:
    how many children are allocated to them now (one query)."""
    return (User.objects.filter(is_active=True, role__in=policy.CASE_HOLDING_ROLES, team__is_active=True,
                                team__kind__in=policy.CASE_HOLDING_TEAM_KINDS)
            .select_related("team")
            .annotate(allocated_children=Count("allocations", filter=Q(allocations__end_date__isnull=True)))
            .order_by("team__name", "first_name", "last_name", "pk"))


def holds_case_now(child: Child) -> Allocation | None:
    """The child's open allocation to a worker who may hold it, if there is one (else they need allocating)."""
    for allocation in Allocation.objects.filter(child=child, end_date__isnull=True, worker__isnull=False
                                                ).select_related("worker__team", "team").order_by("-start_date"):
        if worker_holds_cases(allocation.worker):
            return allocation
    return None


def _managed_teams(user) -> QuerySet[Team]:
    """The teams whose allocations a manager looks after: a team manager their own team (and any team they are
    named manager of), a service manager every team."""
    if user.role == Role.SERVICE_MANAGER:
        return Team.objects.all()
    return Team.objects.filter(Q(pk=user.team_id) | Q(manager=user))


def awaiting_allocation(*, user) -> QuerySet[Allocation]:
    """Children held in a team with no worker ("awaiting allocation"), in the teams this manager looks after,
    that they may allocate: oldest first."""
    if not policy.may_allocate(user):
        return Allocation.objects.none()
    return (Allocation.objects.filter(end_date__isnull=True, worker__isnull=True,
                                      team__in=_managed_teams(user), child__in=children_for(user))
            .select_related("child", "team").order_by("start_date", "id"))


def newly_allocated(*, user) -> QuerySet[Allocation]:
    """Children allocated to this worker that they have not yet taken up: not opened their record (a view of
    any page of it, written to the access log), recorded a visit or written a case note since the allocation
    began. Any one of these takes the child off the list."""
    if not policy.may_hold_cases(user):
        return Allocation.objects.none()
    since = {"child": OuterRef("child")}
    opened = AccessLog.objects.filter(user=user, outcome=AccessLog.Outcome.VIEWED,
                                      at__date__gte=OuterRef("start_date"), **since)
    visited = Visit.objects.filter(visitor=user, visited_on__gte=OuterRef("start_date"), **since)
    noted = CaseNote.objects.filter(author=user, contact_date__gte=OuterRef("start_date"), **since)
    return (Allocation.objects.filter(end_date__isnull=True, worker=user, child__in=children_for(user))
            .filter(~Exists(opened), ~Exists(visited), ~Exists(noted))
            .select_related("child", "team").order_by("-start_date", "-id"))
