"""Who may do what with statutory returns (documented in docs/access.md, "Statutory returns").

Returns read every child, restricted records included, so only the roles below make them.
"""

from opencsc.accounts.roles import Role

# Make returns, see every run and download the files.
GENERATE_ROLES = frozenset({Role.PERFORMANCE_ANALYST, Role.SERVICE_MANAGER})
# Read the pre-submission validation reports, to fix their children's records.
REPORT_ROLES = GENERATE_ROLES | {Role.TEAM_MANAGER}
