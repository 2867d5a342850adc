"""Who may link council (identity provider) accounts to OpenCSC users for single sign-on.

Linking an account lets whoever holds it at the identity provider sign in as the OpenCSC user, so it is
as powerful as setting a password: administrators only, and every link and unlink is audited.
"""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import Role

AREA = "Single sign-on"

may_link_sso_accounts = permission(
    "link_sso_accounts", {Role.ADMINISTRATOR},
    "Link a user's council account at the identity provider to their OpenCSC account for single sign-on, "
    "and remove the link.", area=AREA,
    refusal="Only administrators can link council accounts for single sign-on")
