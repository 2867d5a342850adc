"""Who may do what for children missing from home or care (the role part; recording on a child's record is
the children's records permission `record`, and people/access.py adds the record's own conditions)."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import READ_ALL_ROLES

AREA = "Missing children"

may_view_missing_lists = permission(
    "view_missing_lists", READ_ALL_ROLES,
    "See the children missing now, the exploitation reviews due and the quarterly missing report, with the "
    "children behind it (only children they can see).", area=AREA)
