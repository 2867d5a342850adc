"""The quality step of the synthetic authority: audits, moderation with optimistic auditors, actions."""

import datetime as dt

import pytest
from django.db.models import F

from opencsc.accounts.roles import Role
from opencsc.quality import selectors
from opencsc.quality.models import AuditAction, AuditAnswer, AuditQuestion, CaseAudit, Moderation, ThemedAudit

TODAY = dt.date(2026, 11, 23)




pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def test_audits_moderation_and_actions_are_realistic(authority):
    completed = CaseAudit.objects.filter(status="completed")
    assert completed.count() >= 20
    assert AuditAnswer.objects.count() == completed.count() * AuditQuestion.objects.filter(is_active=True).count()
    assert AuditQuestion.objects.filter(area="lived_experience").exists()
    for audit in completed:
        assert audit.audited_on <= TODAY and audit.grade
    good = completed.filter(grade__in=["good", "outstanding"]).count() / completed.count()
    assert 0.35 <= good <= 0.8
    moderated = Moderation.objects.count() / completed.count()
    assert 0.1 <= moderated <= 0.4
    assert not Moderation.objects.filter(moderator=F("audit__auditor")).exists()
    assert AuditAction.objects.filter(completed_on__isnull=True, due_date__lt=TODAY).exists()
    assert AuditAction.objects.filter(completed_on__isnull=False).exists()
    themed = ThemedAudit.objects.get()
    assert themed.audits.filter(status="in_progress").exists()

    report = selectors.moderation_report(user=authority.demo_users["sm.demo"])
    optimistic = {r.auditor for r in report if r.higher}
    assert optimistic, "some auditors should grade higher than their moderators"
    assert all(r.lower == 0 for r in report)  # moderators grade the case as it is; nobody is pessimistic


def test_demo_logins_see_the_quality_dashboard(authority, client):
    client.force_login(authority.demo_users["auditor.demo"])
    response = client.get("/quality/")
    assert response.status_code == 200
    assert response.context["actions"]["total"] == AuditAction.objects.count()
    assert authority.demo_users["auditor.demo"].role == Role.AUDITOR
