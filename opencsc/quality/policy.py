"""Who may do what in practice quality assurance: case audits, moderation, themed audits, the audit
questions and the actions that come from audits.

Every audit belongs to a child, so who sees which audits is also decided by ``people.access``: a user
sees the audits of the children they can see, and audits a case only if they may read its casework.
"""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import MANAGER_ROLES, Role

AREA = "Practice quality"

AUDITORS = frozenset({Role.AUDITOR, Role.TEAM_MANAGER, Role.SERVICE_MANAGER})

may_view_quality = permission(
    "view_quality", MANAGER_ROLES | {Role.AUDITOR, Role.PERFORMANCE_ANALYST},
    "See the practice quality dashboard, case audits, the moderation report, actions from audits, the audit "
    "questions and themed audits (only children they can see).", area=AREA)
may_change_audit_questions = permission(
    "change_audit_questions", {Role.AUDITOR, Role.SERVICE_MANAGER},
    "Add and change the questions a case audit asks.", area=AREA,
    refusal="Only auditors and service managers can change the audit questions")
may_audit_case = permission(
    "audit_case", AUDITORS,
    "Start and complete an audit of a child's case (only children whose casework they can read).", area=AREA,
    refusal="Only auditors and managers can audit a case")
may_moderate_audit = permission(
    "moderate_audit", AUDITORS,
    "Moderate an audit completed by someone else, with their own grade and comments.", area=AREA,
    refusal="Only auditors and managers can moderate an audit")
may_start_themed_audit = permission(
    "start_themed_audit", AUDITORS,
    "Start a themed audit: a random sample of children from a cohort, each with an audit started.", area=AREA,
    refusal="Only auditors and managers can start a themed audit")
may_complete_audit_actions = permission(
    "complete_audit_actions", MANAGER_ROLES | AUDITORS,
    "Mark any action from an audit as done (anyone may mark an action they own as done).", area=AREA,
    refusal="Only the action's owner, managers and auditors can mark it done")
