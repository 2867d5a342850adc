"""Completed case audits in the event log (core/events.py): started, completed and moderated, and as the
old registry gave them."""

import datetime as dt

import pytest
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.casework.tests import event_log_compare as compare
from opencsc.core import events
from opencsc.core.models import Event
from opencsc.people.tests.factories import ChildFactory
from opencsc.quality import services
from opencsc.quality.models import CaseAudit

from .factories import AuditQuestionFactory

# The comparison with the old registry reads the shared synthetic authority (last in the module).
pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


def facts(audit):
    return list(Event.objects.filter(kind="case_audit", source_id=audit.pk).values_list(
        "occurred_on", "title", "author_id"))


@pytest.mark.parametrize("moderated", [False, True])
def test_an_audit_enters_the_log_when_completed_and_its_title_follows_moderation(make_user, moderated):
    question = AuditQuestionFactory()
    auditor, child = make_user(Role.AUDITOR), ChildFactory()
    audit = services.audit_start(actor=auditor, child=child)
    assert facts(audit) == []

    services.audit_complete(actor=auditor, audit=audit, expected_version=audit.version, audited_on=days_ago(3),
                            grade="good", summary="Safer", answers={question.pk: {"comment": "Yes"}})
    assert facts(audit) == [(days_ago(3), "Case audit: good", auditor.pk)]

    if moderated:
        services.moderation_record(actor=make_user(Role.SERVICE_MANAGER), audit=CaseAudit.objects.get(pk=audit.pk),
                                   moderated_on=days_ago(1), grade="requires_improvement")
        assert facts(audit) == [(days_ago(3), "Case audit: good (moderated: requires improvement)", auditor.pk)]
    assert events.verify(kinds=["case_audit"]) == []


def test_old_and_new_sources_agree(authority):
    children = set(CaseAudit.objects.values_list("child_id", flat=True))
    assert children
    assert compare.new_items("case_audit") == compare.old_items("case_audit", children)
    assert events.verify(kinds=["case_audit"]) == []
