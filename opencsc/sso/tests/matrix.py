"""The single sign-on app's part of the permission matrix (see core/tests/matrix_support.py).

Starting a sign-in and the provider's callback are for anyone (in the matrix single sign-on is not
configured, so they answer with the "not set up" page); linking council accounts is for administrators;
approving links to users who can see children's records is for service managers.
"""

from opencsc.core.tests.matrix_support import PUBLIC, Entry
from opencsc.sso import policy

MATRIX = {
    "sso:start": Entry(PUBLIC),
    "sso:callback": Entry(PUBLIC),
    "sso:identities": Entry(policy.may_link_sso_accounts),
    "sso:user": Entry(policy.may_link_sso_accounts, ("user",)),
    "sso:unlink": Entry(policy.may_link_sso_accounts, ("user",), method="post"),
    "sso:approvals": Entry(policy.may_approve_sso_links),
    "sso:approval": Entry(policy.may_approve_sso_links, ("sso_link",)),
}


def extend_world(world, *, author, child, episode):
    from opencsc.accounts.roles import Role
    from opencsc.accounts.tests.factories import UserFactory
    from opencsc.sso.models import SsoIdentity

    # The matrix world's other user has a link, waiting for approval, asked for by an administrator: refused
    # unlinks and refused decisions are shown to leave it as it was.
    linker = UserFactory(role=Role.ADMINISTRATOR, username="matrix-sso-linker")
    world["sso_link"] = SsoIdentity.objects.create(
        issuer="https://login.example/tenant/v2.0", subject="matrix-subject", user_id=world["user"],
        linked_by=linker, status=SsoIdentity.Status.PENDING).pk
