"""Who may do what with a child's episodes of need. The role part only: each child is fetched through
people.access, and recording a referral, an assessment, a child in need plan or a closure uses the
children's records' "record" permission."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import MANAGER_ROLES

AREA = "Need and assessment"

may_authorise_assessment = permission(
    "authorise_assessment", MANAGER_ROLES,
    "Authorise a child and family assessment (the date it was completed, and why it was late if it was).",
    area=AREA, refusal="Only team managers and service managers can authorise an assessment")
