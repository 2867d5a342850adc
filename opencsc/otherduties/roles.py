"""Who may see allegations against people who work with children (LADO records).

They are sensitive and about adults, not a child's record, so the child access actions do not
apply: only team managers and service managers see them (docs/access.md).
"""

from opencsc.accounts.roles import MANAGER_ROLES

LADO_ROLES = MANAGER_ROLES

