"""Who may link council (identity provider) accounts to OpenCSC users for single sign-on, and who
approves the links that would let someone see children's records.

Linking an account lets whoever holds it at the identity provider sign in as the OpenCSC user, so it is
as powerful as setting a password: administrators only, and every link and unlink is audited. A link to
a user whose role can see children's records signs in only once a service manager (not the administrator
who linked it, nor the user) approves it: the same four eyes as giving an account such a role.
"""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import Role

AREA = "Single sign-on"

may_link_sso_accounts = permission(
    "link_sso_accounts", {Role.ADMINISTRATOR},
    "Link a user's council account at the identity provider to their OpenCSC account for single sign-on, "
    "and remove the link. A link to a user who can see children's records signs in only when a service "
    "manager approves it.", area=AREA,
    refusal="Only administrators can link council accounts for single sign-on")
may_approve_sso_links = permission(
    "approve_sso_links", {Role.SERVICE_MANAGER},
    "See the single sign-on links waiting for approval, and approve or decline a link of a council account "
    "to a user who can see children's records (never one they asked for, nor one to their own account).",
    area=AREA,
    refusal="Only service managers can approve single sign-on links")
