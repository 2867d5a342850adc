import datetime as dt

import factory

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.testing import RecordFactory
from opencsc.people.tests.factories import ChildFactory
from opencsc.quality.models import AuditAction, AuditQuestion, CaseAudit, Grade, Moderation, ThemedAudit


class AuditQuestionFactory(RecordFactory):
    class Meta:
        model = AuditQuestion

    area = AuditQuestion.Area.LIVED_EXPERIENCE
    text = factory.Sequence(lambda n: f"How well does the record show what life is like for the child? ({n})")
    order = factory.Sequence(lambda n: n + 1)
    created_by = factory.SubFactory(UserFactory, role=Role.AUDITOR)


class ThemedAuditFactory(RecordFactory):
    class Meta:
        model = ThemedAudit

    title = factory.Sequence(lambda n: f"Children on child protection plans {n}")
    cohort = ThemedAudit.Cohort.CP_PLAN
    sample_size = 5
    created_by = factory.SubFactory(UserFactory, role=Role.AUDITOR)
    created_on = dt.date(2026, 3, 2)


class CaseAuditFactory(RecordFactory):
    class Meta:
        model = CaseAudit

    child = factory.SubFactory(ChildFactory)
    auditor = factory.SubFactory(UserFactory, role=Role.AUDITOR)


class CompletedAuditFactory(CaseAuditFactory):
    status = CaseAudit.Status.COMPLETED
    audited_on = dt.date(2026, 3, 2)
    grade = Grade.GOOD
    summary = "The child's wishes are clear and the plan has reduced the risk at home."


class ModerationFactory(RecordFactory):
    class Meta:
        model = Moderation

    audit = factory.SubFactory(CompletedAuditFactory)
    moderator = factory.SubFactory(UserFactory, role=Role.SERVICE_MANAGER)
    moderated_on = dt.date(2026, 3, 9)
    grade = Grade.REQUIRES_IMPROVEMENT


class AuditActionFactory(RecordFactory):
    class Meta:
        model = AuditAction

    audit = factory.SubFactory(CompletedAuditFactory)
    action = "Record the child's views in their own words"
    owner = factory.SubFactory(UserFactory)
    due_date = dt.date(2026, 4, 1)
    created_by = factory.SelfAttribute("audit.auditor")
