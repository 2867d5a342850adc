"""The quality assurance pages in the permission matrix (see opencsc/core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import Entry
from opencsc.people import policy as record
from opencsc.quality import policy

# The world's audit action is owned by the world's author, none of the matrix's users: only the roles
# that may complete any action may complete it.
MATRIX = {
    "quality:dashboard": Entry(policy.may_view_quality),
    "quality:audits": Entry(policy.may_view_quality),
    "quality:actions": Entry(policy.may_view_quality),
    "quality:moderation_report": Entry(policy.may_view_quality),
    "quality:questions": Entry(policy.may_view_quality),
    "quality:question_add": Entry(policy.may_change_audit_questions),
    "quality:question_edit": Entry(policy.may_change_audit_questions, ("question",)),
    "quality:themed_list": Entry(policy.may_view_quality),
    "quality:themed_add": Entry(policy.may_start_themed_audit),
    "quality:themed_detail": Entry(policy.may_view_quality, ("themed",)),
    "quality:child": Entry(record.may_view_casework, ("child",)),
    "quality:audit_start": Entry(policy.may_audit_case, ("child",)),
    "quality:audit_detail": Entry(record.may_view_casework, ("child", "audit")),
    "quality:audit_complete": Entry(policy.may_audit_case, ("child", "audit_open")),
    "quality:moderate": Entry(policy.may_moderate_audit, ("child", "audit")),
    "quality:action_complete": Entry(policy.may_complete_audit_actions, ("child", "audit_action"), method="post"),
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
