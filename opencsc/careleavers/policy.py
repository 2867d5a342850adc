"""Who may do what for care leavers (the role part; recording on a young person's record is the children's
records permission `record`, and people/access.py adds the record's own conditions)."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import READ_ALL_ROLES

AREA = "Care leavers"

may_view_care_leavers = permission(
    "view_care_leavers", READ_ALL_ROLES,
    "See the authority's care leaver figures, the list of care leavers and personal advisers' caseloads (only "
    "young people they can see).", area=AREA, refusal="You cannot see care leavers")
