"""Who may do what with statutory returns (the CIN census, the SSDA903 return and Ofsted's Annex A).

Returns read every child, restricted records included, so only performance analysts and service managers
make them and download their files; team managers also read the pre-submission validation reports, to fix
their children's records, where a child they may not see is shown by LA reference only.
"""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import Role

AREA = "Statutory returns"

may_make_returns = permission(
    "make_returns", {Role.PERFORMANCE_ANALYST, Role.SERVICE_MANAGER},
    "Make statutory returns, and see every run, failed ones included (returns hold every child, restricted "
    "records too).", area=AREA,
    refusal="Only performance analysts and service managers make statutory returns")
may_download_returns = permission(
    "download_returns", may_make_returns.roles,
    "Download the files of a statutory return, ready to submit.", area=AREA,
    refusal="Only performance analysts and service managers download statutory returns")
may_read_return_reports = permission(
    "read_return_reports", may_make_returns.roles | {Role.TEAM_MANAGER},
    "Read the pre-submission validation reports of statutory returns, to fix children's records (team "
    "managers: finished validation runs only).", area=AREA, refusal="You cannot see statutory returns")
