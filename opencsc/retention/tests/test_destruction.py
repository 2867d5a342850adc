"""Destroying a child's records: two different people, every area's rows gone, the logs untouched and still
verifying, and a stub with the counts. Refusals change nothing."""

import datetime as dt
import os

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from opencsc.accounts.access_records import log_access
from opencsc.accounts.models import AccessLog
from opencsc.accounts.tests.factories import UserFactory
from opencsc.assessment.models import CINEpisode
from opencsc.care.models import CareEpisode, PeriodOfCare, Placement
from opencsc.care.tests.factories import looked_after as care_looked_after
from opencsc.casework.models import CaseNote, Document, Plan
from opencsc.core import chain, events
from opencsc.core.models import AuditEvent, Event
from opencsc.earlyhelp.tests.factories import EarlyHelpEpisodeFactory, FamilyFactory
from opencsc.frontdoor.tests.factories import ContactFactory
from opencsc.people.models import Child, Person, Relationship
from opencsc.people.tests.factories import ChildFactory, PersonFactory, RelationshipFactory
from opencsc.protection.tests.helpers import cp_plan
from opencsc.retention import services
from opencsc.retention.models import DestructionRecord, DestructionRequest, DestructionRequestItem, LegalHold

D = dt.date
FUTURE = D(2080, 1, 1)  # past the 75th birthday of a child born in 2000
pytestmark = pytest.mark.django_db


def _everything_about(child_ids) -> dict[str, int]:
    """Rows that point at these children, in every table but the two logs."""
    out = {}
    for model in apps.get_models():
        if model in chain.CHAINED:
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Child:
                n = model._base_manager.filter(**{f"{f.name}__in": child_ids}).count()
                if n:
                    out[f"{model._meta.label}.{f.name}"] = out.get(f"{model._meta.label}.{f.name}", 0) + n
    return out


def _counts() -> dict[str, int]:
    """Rows in every table (but the access log, where a refusal is written)."""
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()
            if m._meta.app_label != "synthetic" and m is not AccessLog}


@pytest.fixture
def people():
    return {"sw": UserFactory(role="social_worker"), "tm": UserFactory(role="team_manager"),
            "sm": UserFactory(role="service_manager"), "sm2": UserFactory(role="service_manager")}


@pytest.fixture
def record(people, periods, settings, tmp_path):
    """A child born in 2000 with a full record, all of it closed: protection, care, notes, a document,
    family, contacts, early help, a merged duplicate; and a sibling who shares some of it."""
    settings.MEDIA_ROOT = str(tmp_path)
    sw = people["sw"]
    kid = ChildFactory(date_of_birth=D(2000, 3, 1))
    sibling = ChildFactory(date_of_birth=D(2003, 3, 1))
    duplicate = ChildFactory(date_of_birth=D(2000, 3, 1), merged_into=kid)
    CaseNote.objects.create(child=kid, contact_date=D(2010, 1, 5), subject="Home visit", body="Saw Sam.", author=sw)
    CaseNote.objects.create(child=duplicate, contact_date=D(2009, 1, 5), subject="Old", body="Old.", author=sw)
    document = Document.objects.create(child=kid, title="Letter", file=SimpleUploadedFile("letter.txt", b"Dear"),
                                       original_name="letter.txt", size_bytes=4, content_type="text/plain",
                                       uploaded_by=sw)
    cp_plan(sw, kid, D(2010, 2, 1), end=D(2011, 2, 1))
    CINEpisode.objects.filter(child=kid).update(closure_date=D(2011, 3, 1))
    care_looked_after(sw, kid, D(2012, 4, 2))
    PeriodOfCare.objects.filter(child=kid).update(end_date=D(2018, 3, 1))
    Placement.objects.filter(child=kid).update(end_date=D(2018, 3, 1))
    CareEpisode.objects.filter(child=kid).update(end_date=D(2018, 3, 1))
    Plan.objects.filter(child=kid, end_date__isnull=True).update(end_date=D(2018, 3, 1))
    mother = PersonFactory()
    RelationshipFactory(child=kid, person=mother, kind="mother")
    RelationshipFactory(child=sibling, person=mother, kind="mother")
    uncle = PersonFactory()
    RelationshipFactory(child=kid, person=uncle, kind="aunt_uncle")
    Relationship.objects.create(child=sibling, related_child=kid, kind="sibling")
    ContactFactory(children=[kid])
    shared_contact = ContactFactory(children=[kid, sibling])
    family = FamilyFactory()
    EarlyHelpEpisodeFactory(child=kid, family=family, closure_date=D(2009, 6, 1))
    shared_family = FamilyFactory()
    EarlyHelpEpisodeFactory(child=kid, family=shared_family, closure_date=D(2009, 6, 1))
    EarlyHelpEpisodeFactory(child=sibling, family=shared_family, closure_date=D(2009, 6, 1))
    LegalHold.objects.create(child=kid, reason="Old claim", placed_by=people["tm"], placed_at=dt.datetime(2015, 1, 1, tzinfo=dt.UTC),
                             released_at=dt.datetime(2016, 1, 1, tzinfo=dt.UTC), released_by=people["tm"])
    log_access(people["tm"], child=kid, path="/children/1/")
    events.rebuild()  # the rows made or changed above without a service are in the event log too
    return {"child": kid, "sibling": sibling, "duplicate": duplicate, "mother": mother, "uncle": uncle,
            "shared_contact": shared_contact, "shared_family": shared_family, "document": document}


def test_approval_then_confirmation_destroys_everything_and_leaves_a_stub(record, people,
                                                                          django_capture_on_commit_callbacks):
    kid, sibling = record["child"], record["sibling"]
    ids = [kid.pk, record["duplicate"].pk]
    assert _everything_about(ids)
    assert Event.objects.filter(child_id__in=ids).exists() and Event.objects.filter(child=sibling).exists()
    path = record["document"].file.path
    logs_before = (AuditEvent.objects.filter(child_id=kid.pk).count(), AccessLog.objects.filter(child_id=kid.pk).count())

    request = services.destruction_approve(actor=people["tm"], children=[kid], reason="Review 2080", today=FUTURE)
    assert Child.objects.filter(pk=kid.pk).exists()  # nothing is deleted by the approval alone
    with django_capture_on_commit_callbacks(execute=True):
        services.destruction_confirm(actor=people["sm"], request=request, today=FUTURE)

    assert not Child.objects.filter(pk__in=ids).exists()
    assert _everything_about(ids) == {}
    # What belonged to this child alone has gone; what the sibling shares is kept.
    assert not Person.objects.filter(pk=record["uncle"].pk).exists()
    assert Person.objects.filter(pk=record["mother"].pk).exists()
    assert Child.objects.filter(pk=sibling.pk).exists()
    assert sibling.relationships.count() == 1  # the mother; the link to the destroyed record has gone
    assert record["shared_contact"].contact_children.count() == 1
    assert record["shared_family"].episodes.count() == 1
    assert not os.path.exists(path)
    # No event of a destroyed record is left in the log (by child or by record), and the sibling's agree
    # with what is left.
    assert not Event.objects.filter(child_id__in=ids).exists()
    assert Event.objects.filter(child=sibling).exists()
    assert events.verify() == []

    stub = DestructionRecord.objects.get()
    assert stub.la_child_id == kid.la_child_id
    assert (stub.record_class, stub.keep_until) == ("looked_after", D(2075, 3, 1))
    assert (stub.approved_by, stub.confirmed_by, stub.approval_reason) == (people["tm"], people["sm"], "Review 2080")
    assert stub.rows_destroyed["people.Child"] == 2
    assert stub.rows_destroyed["casework.CaseNote"] == 2
    assert stub.rows_destroyed["care.PeriodOfCare"] == 1
    assert stub.rows_destroyed["protection.CPPlan"] == 1
    assert stub.rows_destroyed["people.Person"] == 1
    assert stub.rows_destroyed["frontdoor.Contact"] == 1
    assert stub.rows_destroyed["earlyhelp.Family"] == 1
    assert stub.rows_destroyed["retention.LegalHold"] == 1
    text = str(stub.__dict__)
    assert kid.first_name not in text and kid.last_name not in text and "2000-03-01" not in text

    item = DestructionRequestItem.objects.get()
    assert (item.outcome, item.child_id, item.la_child_id) == ("destroyed", None, kid.la_child_id)
    assert DestructionRequest.objects.get().status == "confirmed"
    # The logs are untouched and still verify; the destruction itself is in the audit log.
    assert AuditEvent.objects.filter(child_id=kid.pk).count() == logs_before[0] + 1
    assert AccessLog.objects.filter(child_id=kid.pk).count() == logs_before[1]
    assert all(chain.verify(model).ok for model in chain.CHAINED)
    call_command("audit", "verify")
    destroyed = AuditEvent.objects.get(action="deleted", child_id=kid.pk)
    assert destroyed.actor == people["sm"] and destroyed.child_identifier == kid.la_child_id


def test_the_same_person_cannot_confirm_their_own_approval(record, people):
    request = services.destruction_approve(actor=people["sm"], children=[record["child"]], reason="Review",
                                           today=FUTURE)
    before = _counts()
    with pytest.raises(ValidationError, match="different person"):
        services.destruction_confirm(actor=people["sm"], request=request, today=FUTURE)
    assert _counts() == before
    assert DestructionRequest.objects.get().status == "pending"


@pytest.mark.parametrize("role", ["social_worker", "senior_practitioner", "administrator", "auditor", "iro",
                                  "performance_analyst"])
def test_refused_roles_change_nothing(record, people, role):
    user = UserFactory(role=role)
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.destruction_approve(actor=user, children=[record["child"]], reason="Review", today=FUTURE)
    assert _counts() == before
    request = services.destruction_approve(actor=people["tm"], children=[record["child"]], reason="Review",
                                           today=FUTURE)
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.destruction_confirm(actor=user, request=request, today=FUTURE)
    with pytest.raises(PermissionDenied):
        services.destruction_decline(actor=user, request=request, reason="No")
    assert _counts() == before


def test_a_record_not_yet_past_its_period_cannot_be_approved(record, people):
    before = _counts()
    with pytest.raises(ValidationError):
        services.destruction_approve(actor=people["tm"], children=[record["child"]], reason="Review",
                                     today=D(2070, 1, 1))  # looked after: kept to the 75th birthday
    assert _counts() == before


@pytest.mark.parametrize("change", ["hold", "open", "restricted"])
def test_a_hold_new_work_or_a_restriction_after_approval_keeps_the_records(record, people, change):
    kid = record["child"]
    request = services.destruction_approve(actor=people["tm"], children=[kid], reason="Review", today=FUTURE)
    if change == "hold":
        services.hold_place(actor=people["sm2"], child=kid, reason="A claim has been made")
    elif change == "open":
        PeriodOfCare.objects.filter(child=kid).update(end_date=None)
    else:
        Child.objects.filter(pk=kid.pk).update(is_restricted=True)
    services.destruction_confirm(actor=people["sm"], request=request, today=FUTURE)
    assert Child.objects.filter(pk=kid.pk).exists()
    assert not DestructionRecord.objects.exists()
    assert DestructionRequestItem.objects.get().outcome == "kept"


def test_declining_destroys_nothing(record, people):
    request = services.destruction_approve(actor=people["tm"], children=[record["child"]], reason="Review",
                                           today=FUTURE)
    before = _counts()
    with pytest.raises(ValidationError):
        services.destruction_decline(actor=people["sm"], request=request, reason="")
    services.destruction_decline(actor=people["sm"], request=request, reason="Wait for the inquiry")
    assert Child.objects.filter(pk=record["child"].pk).exists()
    assert DestructionRequest.objects.get().status == "declined"
    assert _counts()["people.Child"] == before["people.Child"]
    with pytest.raises(ValidationError, match="already been decided"):
        services.destruction_confirm(actor=people["sm2"], request=request, today=FUTURE)
    assert Child.objects.filter(pk=record["child"].pk).exists()


def test_a_child_already_waiting_cannot_be_approved_twice(record, people):
    services.destruction_approve(actor=people["tm"], children=[record["child"]], reason="Review", today=FUTURE)
    with pytest.raises(ValidationError):
        services.destruction_approve(actor=people["sm"], children=[record["child"]], reason="Again", today=FUTURE)
    assert DestructionRequest.objects.count() == 1
