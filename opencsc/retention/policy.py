"""Who may do what with record-keeping periods, legal holds and the destruction of records.

Destroying a child's records takes two people with ``approve_destruction``: one approves a list of
records past their period, with a reason, and a different person confirms it. The periods themselves
(the local ones, and lengthening the statutory ones) are changed by a service manager or an administrator.
"""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import MANAGER_ROLES, Role

AREA = "Records retention"

may_view_retention = permission(
    "view_retention", MANAGER_ROLES | {Role.ADMINISTRATOR, Role.AUDITOR},
    "See how long each kind of child's record is kept, and the record of what was destroyed (the child's "
    "LA child ID only, never a name).", area=AREA,
    refusal="You cannot see the record-keeping periods")
may_change_retention_rules = permission(
    "change_retention_rules", {Role.SERVICE_MANAGER, Role.ADMINISTRATOR},
    "Change how long each kind of child's record is kept: a local period may be shortened to its floor, "
    "a statutory period only lengthened.", area=AREA,
    refusal="Only service managers and administrators can change the record-keeping periods")
may_approve_destruction = permission(
    "approve_destruction", MANAGER_ROLES,
    "See the children's records past their record-keeping period, approve some for destruction with a "
    "reason, and confirm or decline another person's approval (never their own).", area=AREA,
    refusal="Only team and service managers can approve the destruction of records")
may_hold_records = permission(
    "hold_records", MANAGER_ROLES,
    "Put a legal hold on a child's records (they are then never offered for destruction) and release it, "
    "each with a reason.", area=AREA,
    refusal="Only team and service managers can put a legal hold on records")
