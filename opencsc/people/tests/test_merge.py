"""Merging a duplicate record moves every related row and keeps the history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from opencsc.accounts.access_records import log_access
from opencsc.accounts.models import AccessLog
from opencsc.casework.models import Allocation, CaseNote
from opencsc.casework.selectors import history_for
from opencsc.casework.tests.factories import CaseNoteFactory, VisitFactory
from opencsc.core import events
from opencsc.core.audit import audit
from opencsc.core.models import AuditEvent, Event
from opencsc.people import access_log, services
from opencsc.people.access import child_for
from opencsc.people.models import (
    Child,
    ChildAlias,
    Involvement,
    Organisation,
    PartnerShare,
    Professional,
    Relationship,
    RestrictedAccessGrant,
)
from opencsc.people.selectors import child_search

from .factories import AddressFactory, ChildFactory, RelationshipFactory
from .identifiers import make_nhs_number


@pytest.fixture
def manager(make_user):
    return make_user("service_manager")


def _fill(child, other, user):
    AddressFactory(child=child)
    RelationshipFactory(child=child)
    Relationship.objects.create(child=other, related_child=child, kind=Relationship.Kind.SIBLING)
    ChildAlias.objects.create(child=child, first_name="Old", last_name="Name")
    org = Organisation.objects.create(name=f"Surgery {child.pk}")
    Involvement.objects.create(child=child, professional=Professional.objects.create(name="Dr A", organisation=org),
                               role="GP")
    PartnerShare.objects.create(child=child, agency="health", reason="GP", shared_on=dt.date(2026, 1, 1))
    Allocation.objects.create(child=child, worker=user, team=user.team, start_date=dt.date(2026, 1, 1))
    CaseNote.objects.create(child=child, contact_date=dt.date(2026, 1, 2), subject="Visit", body="Seen",
                            author=user)
    log_access(user, child=child, path="/x/")
    audit(actor=user, action=AuditEvent.Action.OTHER, child=child, summary="Recorded on the duplicate")


@pytest.mark.django_db
def test_merge_moves_every_related_row_and_keeps_the_duplicate_pointing_at_the_kept_record(manager):
    keep = ChildFactory(first_name="Mohammed", last_name="Khan")
    duplicate = ChildFactory(first_name="Muhammad", last_name="Khan", nhs_number=make_nhs_number(9))
    sibling = ChildFactory()
    _fill(duplicate, sibling, manager)
    earlier = ChildFactory(merged_into=duplicate)
    counts_before = {
        name: model.objects.filter(**{field: duplicate}).count()
        for name, model, field in [
            ("addresses", duplicate.addresses.model, "child"), ("relationships", Relationship, "child"),
            ("involvements", Involvement, "child"), ("shares", PartnerShare, "child"),
            ("allocations", Allocation, "child"), ("notes", CaseNote, "child"), ("logs", AccessLog, "child"),
            ("audit", AuditEvent, "child"),
        ]
    }
    assert all(counts_before.values())

    moved = services.child_merge(actor=manager, keep=keep, duplicate=duplicate)

    for model, field in [(Relationship, "child"), (Relationship, "related_child"), (Involvement, "child"),
                         (PartnerShare, "child"), (Allocation, "child"), (CaseNote, "child"),
                         (ChildAlias, "child")]:
        assert not model.objects.filter(**{field: duplicate}).exists(), model
    # the append-only logs keep the record they were written for, and are read with the kept record
    assert AccessLog.objects.filter(child=duplicate, child_identifier=duplicate.la_child_id).count() == counts_before["logs"]
    assert AuditEvent.objects.filter(child=duplicate).count() >= counts_before["audit"]
    assert access_log.access_log_entries(viewer=manager, child=keep).count() == counts_before["logs"]
    assert history_for(user=manager, child=keep).filter(child=duplicate).count() == counts_before["audit"]
    assert "people.AccessLog" not in moved and "core.AuditEvent" not in moved
    assert keep.addresses.count() == 1 and keep.involvements.count() == 1 and keep.case_notes.count() == 1
    assert Relationship.objects.filter(child=sibling, related_child=keep).exists()
    assert moved["casework.CaseNote"] == 1 and moved["people.Address"] == 1
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    earlier.refresh_from_db()
    assert duplicate.merged_into == keep and earlier.merged_into == keep
    # the duplicate's NHS number moves to the kept record, which had none
    assert keep.nhs_number == make_nhs_number(9) and duplicate.nhs_number is None
    assert ChildAlias.objects.filter(child=keep, first_name="Muhammad", last_name="Khan").exists()
    assert ChildAlias.objects.filter(child=keep, first_name="Old").exists()
    event = AuditEvent.objects.filter(action=AuditEvent.Action.MERGED, object_id=str(keep.pk)).get()
    assert event.actor == manager and event.changes["duplicate"] == [None, duplicate.la_child_id]


@pytest.mark.django_db
def test_after_a_merge_the_duplicate_is_gone_from_search_and_its_identifiers_lead_to_the_kept_record(manager):
    keep = ChildFactory(first_name="Ellie", last_name="Brown")
    duplicate = ChildFactory(first_name="Elly", last_name="Broun", la_child_id="C7777777")
    services.child_merge(actor=manager, keep=keep, duplicate=duplicate)
    assert [r.child for r in child_search(user=manager, query="C7777777")] == [keep]
    assert [r.child for r in child_search(user=manager, query="Elly Broun")] == [keep]
    with pytest.raises(Exception):  # noqa: B017 - Http404
        child_for(manager, duplicate.pk)


@pytest.mark.django_db
def test_a_grant_both_records_hold_is_not_duplicated_and_restriction_carries_over(manager, make_user):
    worker = make_user("social_worker")
    keep = ChildFactory()
    duplicate = ChildFactory(is_restricted=True, restriction_reason="Protected")
    RestrictedAccessGrant.objects.create(child=keep, user=worker)
    RestrictedAccessGrant.objects.create(child=duplicate, user=worker)
    RestrictedAccessGrant.objects.create(child=duplicate, user=manager)
    services.child_merge(actor=manager, keep=keep, duplicate=duplicate)
    keep.refresh_from_db()
    assert keep.is_restricted and keep.restriction_reason == "Protected"
    assert sorted(keep.access_grants.values_list("user_id", flat=True)) == sorted([worker.pk, manager.pk])


@pytest.mark.django_db
def test_siblings_links_between_the_two_records_are_dropped(manager):
    keep, duplicate = ChildFactory(), ChildFactory()
    Relationship.objects.create(child=keep, related_child=duplicate, kind=Relationship.Kind.SIBLING)
    services.child_merge(actor=manager, keep=keep, duplicate=duplicate)
    assert not Relationship.objects.filter(child=keep, related_child=keep).exists()


def _counts():
    return {m.__name__: m.objects.count() for m in (Child, ChildAlias, Relationship, AuditEvent, CaseNote)}


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["same", "keep_merged", "duplicate_merged"])
def test_merge_refusals_change_nothing(manager, case):
    keep, duplicate, other = ChildFactory(), ChildFactory(), ChildFactory()
    RelationshipFactory(child=duplicate)
    if case == "same":
        duplicate = keep
    elif case == "keep_merged":
        Child.objects.filter(pk=keep.pk).update(merged_into=other)
        keep.refresh_from_db()
    else:
        Child.objects.filter(pk=duplicate.pk).update(merged_into=other)
        duplicate.refresh_from_db()
    before = _counts()
    rels_before = list(Relationship.objects.values_list("id", "child_id"))
    with pytest.raises(ValidationError):
        services.child_merge(actor=manager, keep=keep, duplicate=duplicate)
    assert _counts() == before
    assert list(Relationship.objects.values_list("id", "child_id")) == rels_before


@pytest.mark.django_db
def test_after_a_merge_the_event_log_shows_the_moved_records_on_the_kept_child(manager):
    keep, duplicate = ChildFactory(), ChildFactory()
    note = CaseNoteFactory(child=duplicate)
    VisitFactory(child=duplicate, visited_on=dt.date(2026, 2, 9))
    assert Event.objects.filter(child=duplicate).count() == 2

    services.child_merge(actor=manager, keep=keep, duplicate=duplicate)

    assert not Event.objects.filter(child=duplicate).exists()
    [moved] = Event.objects.filter(child=keep, kind="case_note")
    assert moved.url == f"/children/{keep.pk}/notes/{note.pk}/"
    assert Event.objects.filter(child=keep, kind="visit", clock="cin_visit").exists()
    assert events.verify() == []
