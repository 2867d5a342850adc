"""Who may do what in early help. The role part only: each child is fetched through people.access, and
the pages that add to a child's early help record use the children's records' "record" permission."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import MANAGER_ROLES, READ_ALL_ROLES

AREA = "Early help"

may_view_early_help = permission(
    "view_early_help", READ_ALL_ROLES,
    "See the early help figures, the families in early help and the step-ups and step-downs not yet settled "
    "(only children they can see).", area=AREA, refusal="You cannot see early help figures")
may_record_panel_decision = permission(
    "record_panel_decision", MANAGER_ROLES,
    "Record the panel's decision on a step-up from early help to children's social care, or a step-down to "
    "early help.", area=AREA, refusal="Only team managers and service managers record a panel decision")
