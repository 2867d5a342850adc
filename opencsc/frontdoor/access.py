"""Who works at the front door. The children themselves are always fetched through people.access."""

from opencsc.accounts.roles import MANAGER_ROLES, Role

# Record contacts, screen them, ask partners for information, tell schools (Operation Encompass).
FRONTDOOR_ROLES = frozenset({Role.MASH_PRACTITIONER}) | MANAGER_ROLES
# Decide on a contact.
DECIDE_ROLES = MANAGER_ROLES
# Read the front door's figures and drill down to the children.
DASHBOARD_ROLES = FRONTDOOR_ROLES | {Role.PERFORMANCE_ANALYST}
# Partner agency practitioners answer the requests sent to their agency.
PARTNER_ROLES = frozenset({Role.PARTNER})
