import datetime as dt

import factory
from factory.django import DjangoModelFactory

from opencsc.accounts.tests.factories import TeamFactory, UserFactory
from opencsc.casework.models import Allocation, CaseNote, ChronologyEntry, Document
from opencsc.people.tests.factories import ChildFactory


class AllocationFactory(DjangoModelFactory):
    class Meta:
        model = Allocation

    child = factory.SubFactory(ChildFactory)
    worker = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    start_date = dt.date(2026, 1, 5)


class CaseNoteFactory(DjangoModelFactory):
    class Meta:
        model = CaseNote

    child = factory.SubFactory(ChildFactory)
    author = factory.SubFactory(UserFactory)
    note_type = CaseNote.NoteType.HOME_VISIT
    contact_date = dt.date(2026, 3, 2)
    subject = factory.Sequence(lambda n: f"Home visit {n}")
    body = "Saw the child in the living room."


class ChronologyEntryFactory(DjangoModelFactory):
    class Meta:
        model = ChronologyEntry

    child = factory.SubFactory(ChildFactory)
    author = factory.SubFactory(UserFactory)
    event_date = dt.date(2026, 2, 1)
    title = factory.Sequence(lambda n: f"Event {n}")


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    child = factory.SubFactory(ChildFactory)
    title = factory.Sequence(lambda n: f"Letter {n}")
    file = factory.django.FileField(filename="letter.pdf", data=b"%PDF-1.4 test")
    original_name = "letter.pdf"
    size_bytes = 13
    content_type = "application/pdf"
    uploaded_by = factory.SubFactory(UserFactory)
