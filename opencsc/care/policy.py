"""Who may do what for children in care (the role part; recording on a child's record is the
children's records permission `record`, and people/access.py adds the record's own conditions)."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import READ_ALL_ROLES, Role

AREA = "Children in care"

may_view_children_in_care = permission(
    "view_children_in_care", READ_ALL_ROLES,
    "See the list of children in care, their placement stability and the open IRO escalations (only children "
    "they can see).", area=AREA)
may_raise_escalation = permission(
    "raise_escalation", {Role.IRO},
    "Raise an escalation about a looked-after child's care plan (independent reviewing officers).", area=AREA,
    refusal="Only an independent reviewing officer can raise an escalation")
may_progress_escalation = permission(
    "progress_escalation", {Role.IRO},
    "Move an IRO escalation to its next stage, or resolve it (independent reviewing officers).", area=AREA,
    refusal="Only an independent reviewing officer can move or resolve an escalation")
may_view_iro_caseload = permission(
    "view_iro_caseload", {Role.IRO},
    "See their caseload as an independent reviewing officer: the children in care they are appointed to, "
    "each child's next looked-after review and the escalations they have raised.", area=AREA,
    refusal="Only an independent reviewing officer has a caseload of reviews")
