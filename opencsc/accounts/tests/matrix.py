"""The accounts area's newer URLs in the permission matrix (the older ones are in core's CORE_MATRIX)."""

from opencsc.accounts import permissions
from opencsc.core.tests.matrix_support import ALL, Entry

MATRIX = {
    "accounts:two_factor_recovery": Entry(ALL),
    "accounts:user_two_factor_code": Entry(permissions.may_administer_users, ("user",)),
    "accounts:approval_list": Entry(permissions.may_view_approvals),
    "accounts:approval_detail": Entry(permissions.may_view_approvals, ("approval",)),
}


def extend_world(world, *, author, child, episode):
    """A request, made by an administrator, to raise the matrix's other user to team manager."""
    from opencsc.accounts.models import ApprovalRequest, User
    from opencsc.accounts.roles import Role
    from opencsc.accounts.tests.factories import UserFactory

    requester = UserFactory(role=Role.ADMINISTRATOR, username="matrix-requester")
    subject = User.objects.get(pk=world["user"])
    world["approval"] = ApprovalRequest.objects.create(
        kind=ApprovalRequest.Kind.ROLE_CHANGE, subject=subject, requested_by=requester,
        old_role=subject.role, new_role=Role.TEAM_MANAGER).pk
