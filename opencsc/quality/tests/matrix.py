"""The quality assurance pages in the permission matrix (see opencsc/core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import MANAGER_ROLES, READ_ALL_ROLES, Entry
from opencsc.quality.selectors import AUDIT_ROLES, QA_ROLES, QUESTION_ROLES

MATRIX = {
    "quality:dashboard": Entry(QA_ROLES),
    "quality:audits": Entry(QA_ROLES),
    "quality:actions": Entry(QA_ROLES),
    "quality:moderation_report": Entry(QA_ROLES),
    "quality:questions": Entry(QA_ROLES),
    "quality:question_add": Entry(QUESTION_ROLES),
    "quality:question_edit": Entry(QUESTION_ROLES, ("question",)),
    "quality:themed_list": Entry(QA_ROLES),
    "quality:themed_add": Entry(AUDIT_ROLES),
    "quality:themed_detail": Entry(QA_ROLES, ("themed",)),
    "quality:child": Entry(READ_ALL_ROLES, ("child",)),
    "quality:audit_start": Entry(AUDIT_ROLES, ("child",)),
    "quality:audit_detail": Entry(READ_ALL_ROLES, ("child", "audit")),
    "quality:audit_complete": Entry(AUDIT_ROLES, ("child", "audit_open")),
    "quality:moderate": Entry(AUDIT_ROLES, ("child", "audit")),
    "quality:action_complete": Entry(MANAGER_ROLES | AUDIT_ROLES, ("child", "audit_action"), method="post"),
}


def extend_world(world, *, author, child, episode):
    from opencsc.quality.tests.factories import (
        AuditActionFactory,
        AuditQuestionFactory,
        CaseAuditFactory,
        CompletedAuditFactory,
        ThemedAuditFactory,
    )

    world["question"] = AuditQuestionFactory().pk
    themed = ThemedAuditFactory()
    world["themed"] = themed.pk
    done = CompletedAuditFactory(child=child)
    world["audit"] = done.pk
    world["audit_open"] = CaseAuditFactory(child=child, themed_audit=themed).pk
    world["audit_action"] = AuditActionFactory(audit=done, owner=author).pk
