"""Casework's sources in the event log (core/events.py): each service leaves the table as the records imply."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.casework import event_sources, services
from opencsc.casework.models import (
    Allocation,
    CaseNote,
    ChronologyEntry,
    Document,
    Meeting,
    OversightRecord,
    Plan,
    Visit,
)
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory

from . import event_log_compare as compare
from .factories import DocumentFactory, PlanFactory

KINDS = ["case_note", "manual", "allocation", "document", "plan", "meeting", "visit", "oversight"]
MODELS = {"case_note": CaseNote, "manual": ChronologyEntry, "allocation": Allocation, "document": Document,
          "plan": Plan, "meeting": Meeting, "visit": Visit, "oversight": OversightRecord}
TODAY = timezone.localdate

# The comparison with the old registry reads the shared synthetic authority (it comes last: the service tests
# before it run on an empty database when this module runs alone).
pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


# --- Each service leaves the table right ---------------------------------------------------------


@pytest.fixture
def worker(db):
    return UserFactory(role=Role.SOCIAL_WORKER)


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.TEAM_MANAGER)


@pytest.fixture
def child(db):
    return ChildFactory(date_of_birth=dt.date(2015, 6, 1))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


def rows(kind, record):
    return list(Event.objects.filter(kind=kind, source_id=record.pk).order_by("seq").values(
        "child_id", "occurred_on", "title", "clock", "scope", "seq", "author_id", "settled_on"))


def test_a_case_note_is_written_and_its_new_date_follows_an_edit(worker, child):
    note = services.case_note_create(child=child, actor=worker, note_type=CaseNote.NoteType.HOME_VISIT,
                                     contact_date=TODAY() - dt.timedelta(days=3), subject="Home visit", body="Fine",
                                     child_seen=True, child_seen_alone=False)
    assert [(r["occurred_on"], r["title"], r["author_id"]) for r in rows("case_note", note)] == [
        (TODAY() - dt.timedelta(days=3), "Home visit", worker.pk)]

    services.case_note_update(note=note, actor=worker, expected_version=note.version,
                              contact_date=TODAY() - dt.timedelta(days=1), subject="Home visit, after school")

    assert [(r["occurred_on"], r["title"]) for r in rows("case_note", note)] == [
        (TODAY() - dt.timedelta(days=1), "Home visit, after school")]
    assert events.verify(kinds=["case_note"]) == []


def test_a_chronology_entry_is_written(worker, child):
    entry = services.chronology_entry_create(child=child, actor=worker, event_date=TODAY(), title="Moved school",
                                             significance=ChronologyEntry.Significance.HIGH)
    assert [(r["occurred_on"], r["title"]) for r in rows("manual", entry)] == [(TODAY(), "Moved school")]
    assert events.verify(kinds=["manual"]) == []


def test_a_document_is_written(worker, child):
    upload = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    document = services.document_upload(child=child, actor=worker, title="School letter", file=upload)
    assert [(r["occurred_on"], r["title"]) for r in rows("document", document)] == [
        (timezone.localdate(document.uploaded_at), "School letter")]
    assert events.verify(kinds=["document"]) == []


@pytest.mark.parametrize(("kind", "started", "ended"), [
    (Plan.Kind.CHILD_IN_NEED, "cin_plan_started", "cin_plan_ended"),
    (Plan.Kind.CHILD_PROTECTION, "cp_plan_started", "cp_plan_ended"),
])
def test_a_plan_starts_its_clock_and_its_end_stops_and_settles_it(worker, child, kind, started, ended):
    start, end = TODAY() - dt.timedelta(days=30), TODAY() - dt.timedelta(days=2)
    plan = services.plan_create(actor=worker, child=child, kind=kind, start_date=start, summary="Keep safe")
    label = plan.get_kind_display()
    assert [(r["occurred_on"], r["title"], r["clock"], r["scope"], r["settled_on"]) for r in rows("plan", plan)] == [
        (start, f"{label} started", started, f"plan:{plan.pk}", None)]

    services.plan_end(actor=worker, plan=plan, end_date=end)

    assert [(r["occurred_on"], r["title"], r["clock"], r["seq"], r["settled_on"]) for r in rows("plan", plan)] == [
        (start, f"{label} started", started, 0, end), (end, f"{label} ended", ended, 1, end)]
    assert events.verify(kinds=["plan"]) == []


def test_a_plan_an_owning_app_shows_gives_clock_facts_only(worker, child, monkeypatch):
    monkeypatch.setitem(event_sources._SHOWN_ELSEWHERE, "plan", {Plan.Kind.CHILD_PROTECTION})
    monkeypatch.setitem(event_sources._SHOWN_ELSEWHERE, "meeting", {Meeting.Kind.CORE_GROUP})
    plan = services.plan_create(actor=worker, child=child, kind=Plan.Kind.CHILD_PROTECTION,
                                start_date=TODAY() - dt.timedelta(days=10))
    meeting = services.meeting_record(actor=worker, child=child, plan=plan, kind=Meeting.Kind.CORE_GROUP,
                                      held_on=TODAY())
    assert [(r["title"], r["clock"], r["author_id"]) for r in rows("plan", plan)] == [("", "cp_plan_started", None)]
    assert [(r["title"], r["clock"], r["scope"]) for r in rows("meeting", meeting)] == [
        ("", "core_group", f"plan:{plan.pk}")]
    assert events.verify(kinds=["plan", "meeting"]) == []


@pytest.mark.parametrize(("kind", "clock"), [
    (Meeting.Kind.CIN_MEETING, "cin_review"),
    (Meeting.Kind.CORE_GROUP, "core_group"),
    (Meeting.Kind.STRATEGY, ""),
])
def test_a_meeting_is_written_with_its_clock_in_its_plan(worker, child, kind, clock):
    plan = PlanFactory(child=child, kind=Plan.Kind.CHILD_IN_NEED, start_date=TODAY() - dt.timedelta(days=20))
    meeting = services.meeting_record(actor=worker, child=child, plan=plan, kind=kind,
                                      held_on=TODAY() - dt.timedelta(days=1), chair="Ms Chair")
    assert [(r["occurred_on"], r["title"], r["clock"], r["scope"]) for r in rows("meeting", meeting)] == [
        (TODAY() - dt.timedelta(days=1), meeting.get_kind_display(), clock, f"plan:{plan.pk}" if clock else "")]
    assert events.verify(kinds=["meeting"]) == []


@pytest.mark.parametrize(("kind", "seen", "clock"), [
    (Visit.Kind.CIN, True, "cin_visit"),
    (Visit.Kind.CIN, False, ""),
    (Visit.Kind.CP, True, "cp_visit"),
    (Visit.Kind.CLA, False, ""),
    (Visit.Kind.PA, False, "pa_visit"),
])
def test_a_visit_is_written_and_counts_for_its_clock_when_it_should(worker, child, kind, seen, clock):
    visit = services.visit_record(actor=worker, child=child, kind=kind, visited_on=TODAY(), child_seen=seen,
                                  child_seen_alone=False)
    assert [(r["occurred_on"], r["title"], r["clock"]) for r in rows("visit", visit)] == [
        (TODAY(), visit.get_kind_display(), clock)]
    assert events.verify(kinds=["visit"]) == []


@pytest.mark.parametrize("actions", [0, 2])
def test_oversight_is_written_with_its_actions_counted(manager, child, actions):
    record = services.oversight_record(
        actor=manager, child=child, held_on=TODAY(), decisions="Continue the plan",
        actions=[{"action": f"Action {n}", "owner": "Social worker", "due_date": TODAY()} for n in range(actions)])
    [event] = Event.objects.filter(kind="oversight", source_id=record.pk)
    assert event.detail == "Continue the plan" + (f" {actions} actions set." if actions else "")
    assert events.verify(kinds=["oversight"]) == []


def test_a_transfer_writes_the_new_allocation(manager, child):
    team = TeamFactory(name="Assessment team")
    first = services.allocation_transfer(actor=manager, child=child, team=team, start_date=TODAY()
                                         - dt.timedelta(days=5))
    worker = UserFactory(role=Role.SOCIAL_WORKER, team=team)
    second = services.allocation_transfer(actor=manager, child=child, team=team, worker=worker, start_date=TODAY())
    assert [r["title"] for r in rows("allocation", first)] == ["Allocated to unallocated, Assessment team"]
    assert [r["title"] for r in rows("allocation", second)] == [f"Allocated to {worker.display_name}, Assessment team"]
    assert events.verify(kinds=["allocation"]) == []


# --- The old registry and the event log agree (deleted with the old registry) -----------------------


@pytest.mark.parametrize("key", KINDS)
def test_old_and_new_sources_agree(authority, key):
    if key == "document":  # the authority uploads none: a few, with the times of day that change the date
        for n, child in enumerate(Child.objects.order_by("pk")[:3]):
            document = DocumentFactory(child=child)
            Document.objects.filter(pk=document.pk).update(
                uploaded_at=dt.datetime(2026, 6, 1, 23, 30, tzinfo=dt.UTC) + dt.timedelta(hours=n))
            events.announce(document)
    children = set(MODELS[key].objects.values_list("child_id", flat=True))
    assert children, f"the authority has no {key} records to compare"
    assert compare.new_items(key) == compare.old_items(key, children)
    old = compare.old_events.get_source(key)
    if old.clock_events:
        assert compare.new_clocks(key) == compare.old_clocks(key)
    day = dt.date(2026, 6, 1)
    if old.open_clock_events:
        for on in (day, dt.date(2026, 11, 23)):
            assert compare.new_open_clocks(key, on) == compare.old_open_clocks(key, on)
    if old.latest_clock_events:
        for on in (day, dt.date(2026, 11, 23)):
            assert compare.new_latest_clocks(key, on) == compare.old_latest_clocks(key, on)
    assert events.verify(kinds=[key]) == []
