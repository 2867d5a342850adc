"""Who may do what in other duties: the authority-wide lists and the LADO allegations.

Private fostering and care proceedings are part of a child's record, so their pages use the record
actions (people/policy.py) through ``child_for``. Allegations against people who work with children
(LADO) are sensitive and about adults, not a child's record: only team and service managers see them.
"""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import MANAGER_ROLES, READ_ALL_ROLES

AREA = "Other duties"

may_view_proceedings_list = permission(
    "view_proceedings_list", READ_ALL_ROLES,
    "See the list of care proceedings and their week counts (only children they can see).", area=AREA)
may_view_private_fostering_list = permission(
    "view_private_fostering_list", READ_ALL_ROLES,
    "See the list of open private fostering arrangements (only children they can see).", area=AREA)
may_view_lado = permission(
    "view_lado", MANAGER_ROLES,
    "See allegations against people who work with children (LADO), their meetings and outcomes.", area=AREA,
    refusal="Only managers can see allegations against people who work with children")
may_record_lado = permission(
    "record_lado", MANAGER_ROLES,
    "Record an allegation against someone who works with children (LADO), its meetings and its outcome.",
    area=AREA, refusal="Only managers can record allegations against people who work with children")
