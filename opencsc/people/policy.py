"""Who may do what to a child's record (the role part; the access selectors in access.py add the record's
own conditions: restriction, sharing with a partner agency, allocation)."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import CASEWORK_ROLES, MANAGER_ROLES, READ_ALL_ROLES, Role

AREA = "Children's records"

may_view = permission(
    "view", READ_ALL_ROLES | {Role.PARTNER},
    "See a child's record summary (partner agencies: only children shared with their agency).", area=AREA)
may_search = permission(
    "search_children", READ_ALL_ROLES | {Role.PARTNER},
    "Find a child by name, date of birth or identifier (only children they can see).", area=AREA)
may_view_casework = permission(
    "view_casework", READ_ALL_ROLES, "Read case notes, the chronology, documents and history.", area=AREA)
may_record = permission(
    "record", CASEWORK_ROLES, "Add case notes, chronology entries and documents.", area=AREA)
EDIT_ANY_CHILD_ROLES = MANAGER_ROLES | {Role.MASH_PRACTITIONER}
may_edit = permission(
    "edit", EDIT_ANY_CHILD_ROLES | {Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.PERSONAL_ADVISER},
    "Change a child's details, addresses, family network and sharing (social workers, senior practitioners and "
    "personal advisers: only children allocated to them or their team).", area=AREA)
may_create_child = permission(
    "create_child", may_edit.roles, "Add a child not yet known to the service.", area=AREA)
may_merge = permission("merge", MANAGER_ROLES, "Merge a duplicate record into this one.", area=AREA)
may_restrict = permission(
    "restrict", {Role.SERVICE_MANAGER}, "Restrict a record, and name who may see it.", area=AREA)
may_view_access_log = permission(
    "view_access_log", MANAGER_ROLES, "See who has looked at a record, and search the access log.", area=AREA)
