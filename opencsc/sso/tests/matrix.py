"""The single sign-on app's part of the permission matrix (see core/tests/matrix_support.py).

Starting a sign-in and the provider's callback are for anyone (in the matrix single sign-on is not
configured, so they answer with the "not set up" page); linking council accounts is for administrators.
"""

from opencsc.core.tests.matrix_support import PUBLIC, Entry
from opencsc.sso import policy

MATRIX = {
    "sso:start": Entry(PUBLIC),
    "sso:callback": Entry(PUBLIC),
    "sso:identities": Entry(policy.may_link_sso_accounts),
    "sso:user": Entry(policy.may_link_sso_accounts, ("user",)),
    "sso:unlink": Entry(policy.may_link_sso_accounts, ("user",), method="post"),
}


def extend_world(world, *, author, child, episode):
    from opencsc.sso.models import SsoIdentity

    # The matrix world's other user has a link, so refused unlinks are shown to leave it in place.
    SsoIdentity.objects.create(issuer="https://login.example/tenant/v2.0", subject="matrix-subject",
                               user_id=world["user"])
