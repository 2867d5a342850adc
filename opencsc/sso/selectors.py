"""Reading single sign-on links."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from opencsc.accounts.roles import PRIVILEGED_ROLES

from .models import SsoIdentity

# Links a service manager has to decide: asked for, or made for an administrator whose role was raised
# since (SsoIdentity.awaiting_approval, as a query).
AWAITING_APPROVAL = Q(status=SsoIdentity.Status.PENDING) | Q(status=SsoIdentity.Status.ADMINISTRATOR,
                                                              user__role__in=PRIVILEGED_ROLES)


def identity_list() -> QuerySet[SsoIdentity]:
    return SsoIdentity.objects.select_related("user", "user__team", "linked_by", "decided_by")


def identities_of(user) -> QuerySet[SsoIdentity]:
    return identity_list().filter(user=user).order_by("issuer")


def identity_for_subject(*, issuer: str, subject: str) -> SsoIdentity | None:
    return SsoIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()


def links_awaiting_approval() -> QuerySet[SsoIdentity]:
    """Links waiting for a service manager's decision, oldest first."""
    return identity_list().filter(AWAITING_APPROVAL).order_by("linked_at", "id")


def links_decided() -> QuerySet[SsoIdentity]:
    """Links a service manager (or the system set-up) has approved or declined, most recent first."""
    return (identity_list().filter(decided_at__isnull=False).exclude(AWAITING_APPROVAL)
            .order_by("-decided_at", "-id"))


def user_has_link_that_signs_in(user_id) -> bool:
    """Whether a session that began with single sign-on may go on (SsoBackend.get_user)."""
    return any(link.signs_in for link in SsoIdentity.objects.select_related("user").filter(user_id=user_id))
