import datetime as dt

import factory

from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.casework.models import (
    ActionProgress,
    Allocation,
    CaseNote,
    ChronologyEntry,
    Document,
    Meeting,
    MeetingAttendance,
    OversightAction,
    OversightRecord,
    Plan,
    PlanAction,
    Visit,
)
from opencsc.core.testing import RecordFactory
from opencsc.people.tests.factories import ChildFactory


class AllocationFactory(RecordFactory):
    class Meta:
        model = Allocation

    child = factory.SubFactory(ChildFactory)
    worker = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    start_date = dt.date(2026, 1, 5)


class CaseNoteFactory(RecordFactory):
    class Meta:
        model = CaseNote

    child = factory.SubFactory(ChildFactory)
    author = factory.SubFactory(UserFactory)
    note_type = CaseNote.NoteType.HOME_VISIT
    contact_date = dt.date(2026, 3, 2)
    subject = factory.Sequence(lambda n: f"Home visit {n}")
    body = "Saw the child in the living room."


class ChronologyEntryFactory(RecordFactory):
    class Meta:
        model = ChronologyEntry

    child = factory.SubFactory(ChildFactory)
    author = factory.SubFactory(UserFactory)
    event_date = dt.date(2026, 2, 1)
    title = factory.Sequence(lambda n: f"Event {n}")


class DocumentFactory(RecordFactory):
    class Meta:
        model = Document

    child = factory.SubFactory(ChildFactory)
    title = factory.Sequence(lambda n: f"Letter {n}")
    file = factory.django.FileField(filename="letter.pdf", data=b"%PDF-1.4 test")
    original_name = "letter.pdf"
    size_bytes = 13
    content_type = "application/pdf"
    detected_type = "pdf"
    uploaded_by = factory.SubFactory(UserFactory)


class PlanFactory(RecordFactory):
    class Meta:
        model = Plan

    child = factory.SubFactory(ChildFactory)
    kind = Plan.Kind.CHILD_IN_NEED
    start_date = dt.date(2026, 1, 12)
    summary = "Jade needs to be safe at home and in school every day."
    contingency = "If things do not improve, a child protection conference will be called."
    child_friendly_summary = "We want you to feel safe at home and go to school every day."
    created_by = factory.SubFactory(UserFactory)


class PlanActionFactory(RecordFactory):
    class Meta:
        model = PlanAction

    plan = factory.SubFactory(PlanFactory)
    what_must_change = "Jade gets to school on time"
    action = factory.Sequence(lambda n: f"Walk Jade to school each morning ({n})")
    responsible = "Mum"
    due_date = dt.date(2026, 4, 1)
    measure = "School attendance above 95% for a month"
    order = factory.Sequence(lambda n: n)


class MeetingFactory(RecordFactory):
    class Meta:
        model = Meeting

    child = factory.SubFactory(ChildFactory)
    kind = Meeting.Kind.CIN_MEETING
    held_on = dt.date(2026, 2, 2)
    recorded_by = factory.SubFactory(UserFactory)


class MeetingAttendanceFactory(RecordFactory):
    class Meta:
        model = MeetingAttendance

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Attendee {n}")
    agency = "Education"


class ActionProgressFactory(RecordFactory):
    class Meta:
        model = ActionProgress

    meeting = factory.SubFactory(MeetingFactory)
    action = factory.SubFactory(PlanActionFactory)
    status = PlanAction.Status.ON_TRACK
    comment = "Going well"


class VisitFactory(RecordFactory):
    class Meta:
        model = Visit

    child = factory.SubFactory(ChildFactory)
    kind = Visit.Kind.CIN
    visited_on = dt.date(2026, 2, 9)
    child_seen = True
    child_seen_alone = True
    visitor = factory.SubFactory(UserFactory)


class OversightRecordFactory(RecordFactory):
    class Meta:
        model = OversightRecord

    child = factory.SubFactory(ChildFactory)
    held_on = dt.date(2026, 2, 16)
    decisions = "Continue the child in need plan; review in four weeks."
    recorded_by = factory.SubFactory(UserFactory, role="team_manager")


class OversightActionFactory(RecordFactory):
    class Meta:
        model = OversightAction

    record = factory.SubFactory(OversightRecordFactory)
    action = "Complete the direct work with Jade"
    owner = "Social worker"
    due_date = dt.date(2026, 3, 2)
