"""Who may do what in the adoption service (the role part; adoption/access.py adds the team condition
for adopters' records: a practitioner must be in an adoption team)."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import CASEWORK_ROLES, MANAGER_ROLES, READ_ALL_ROLES

AREA = "Adoption"

may_view_adoption_service = permission(
    "view_adoption_service", READ_ALL_ROLES,
    "See the adoption scorecard, the children waiting for adoption and recent permanence orders (only children "
    "they can see).", area=AREA)
may_view_adopters = permission(
    "view_adopters", CASEWORK_ROLES,
    "See adopter households and their journey to approval (practitioners only when they are in an adoption team; "
    "team and service managers always).", area=AREA,
    refusal="Only adoption team staff and managers can see adopters' records")
may_record_adopters = permission(
    "record_adopters", CASEWORK_ROLES,
    "Record adopters' enquiries, assessment stages, approval and withdrawal, and match a child with adopters "
    "(practitioners only when they are in an adoption team; team and service managers always).", area=AREA,
    refusal="Only adoption team staff and managers can record adopters' details")
may_view_all_adopters = permission(
    "view_all_adopters", MANAGER_ROLES,
    "See and record every adopter household, whatever team they are in.", area=AREA)
