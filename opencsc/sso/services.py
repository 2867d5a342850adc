"""Writing single sign-on links (administrators, or manage.py sso_link) and recording sign-ins.

A token never creates or changes a user, a role or a link: it only finds the user an administrator linked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.core.audit import audit
from opencsc.core.models import AuditEvent

from . import config, policy
from .models import SsoIdentity
from .refusals import SsoRefused


def _client(request) -> str:
    return f"from {request.META.get('REMOTE_ADDR', 'unknown address')}" if request is not None else ""


def _by(actor) -> str:
    return f"by {actor.username}" if actor is not None else "with manage.py sso_link"


def identity_link(*, actor, user, subject: str, issuer: str) -> SsoIdentity:
    """Link the council account `subject` at `issuer` to `user` (replacing the user's link at that issuer).

    `actor` is the administrator, or None for manage.py sso_link (someone with the server's shell)."""
    if actor is not None:
        policy.may_link_sso_accounts.require(actor)
    subject = (subject or "").strip()
    if not issuer:
        raise ValidationError("Single sign-on is not set up, so there is no identity provider to link to")
    if not subject:
        raise ValidationError({"subject": "Enter the council account's identifier"})
    if len(subject) > 255 or any(ch.isspace() for ch in subject):
        raise ValidationError({"subject": "The identifier must be at most 255 characters, without spaces"})
    with transaction.atomic():
        taken = SsoIdentity.objects.select_for_update().filter(issuer=issuer, subject=subject).exclude(user=user)
        other = taken.select_related("user").first()
        if other is not None:
            raise ValidationError({"subject": f"This council account is already linked to {other.user.username}"})
        identity = SsoIdentity.objects.select_for_update().filter(issuer=issuer, user=user).first()
        if identity is not None and identity.subject == subject:
            return identity
        if identity is None:
            identity = SsoIdentity(issuer=issuer, user=user)
            old, action = None, AuditEvent.Action.CREATED
        else:
            old, action = identity.subject, AuditEvent.Action.UPDATED
        identity.subject = subject
        identity.linked_by = actor
        identity.linked_at = timezone.now()
        identity.full_clean()
        identity.save()
        audit(actor=actor, action=action, instance=identity,
              changes={"subject": [old, subject], "issuer": [None if old is None else issuer, issuer]},
              summary=f"Linked {user.username} to the council account {subject} at {issuer} {_by(actor)}")
    return identity


def identity_unlink(*, actor, user) -> int:
    """Remove every single sign-on link of `user`; returns how many there were."""
    if actor is not None:
        policy.may_link_sso_accounts.require(actor)
    with transaction.atomic():
        removed = 0
        for identity in SsoIdentity.objects.select_for_update().filter(user=user):
            audit(actor=actor, action=AuditEvent.Action.DELETED, instance=identity,
                  changes={"subject": [identity.subject, None], "issuer": [identity.issuer, None]},
                  summary=f"Unlinked {user.username} from the council account {identity.subject} at "
                          f"{identity.issuer} {_by(actor)}")
            identity.delete()
            removed += 1
    return removed


def sso_signed_in(*, request, identity: SsoIdentity, mfa: str) -> None:
    """Record a single sign-on (the user is signed in by the caller). `mfa` says what became of the
    provider's multi-factor claim. The lockout counters of the password are left alone (docs/sso.md)."""
    with transaction.atomic():
        SsoIdentity.objects.filter(pk=identity.pk).update(last_signed_in_at=timezone.now())
        audit(actor=identity.user, action=AuditEvent.Action.SIGNED_IN, instance=identity.user,
              summary=f"Signed in with single sign-on ({config.provider_name()}); {mfa} {_client(request)}")


def sso_sign_in_refused(*, request, refusal: SsoRefused) -> None:
    detail = f": {refusal.detail}" if refusal.detail else ""
    audit(actor=refusal.user, action=AuditEvent.Action.SIGN_IN_FAILED, instance=refusal.user,
          summary=f"Single sign-on refused ({refusal.reason}){detail[:200]} {_client(request)}")
