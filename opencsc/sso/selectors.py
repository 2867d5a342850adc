"""Reading single sign-on links."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import SsoIdentity


def identity_list() -> QuerySet[SsoIdentity]:
    return SsoIdentity.objects.select_related("user", "user__team", "linked_by")


def identities_of(user) -> QuerySet[SsoIdentity]:
    return identity_list().filter(user=user).order_by("issuer")


def identity_for_subject(*, issuer: str, subject: str) -> SsoIdentity | None:
    return SsoIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
