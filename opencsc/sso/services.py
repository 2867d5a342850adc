"""Writing single sign-on links (administrators, or manage.py sso_link), deciding the links that need a
service manager's approval, and recording sign-ins.

A token never creates or changes a user, a role or a link: it only finds the user an administrator linked.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from opencsc.accounts.roles import PRIVILEGED_ROLES
from opencsc.core.audit import StaleRecordError, audit
from opencsc.core.models import AuditEvent

from . import config, policy
from .models import SsoIdentity
from .refusals import SsoRefused

SYSTEM_APPROVAL = "manage.py sso_link --approve"


def _client(request) -> str:
    return f"from {request.META.get('REMOTE_ADDR', 'unknown address')}" if request is not None else ""


def _by(actor) -> str:
    return f"by {actor.username}" if actor is not None else "with manage.py sso_link"


def _status_for(user, *, system_approves: bool) -> str:
    if user.role not in PRIVILEGED_ROLES:
        return SsoIdentity.Status.ADMINISTRATOR
    return SsoIdentity.Status.APPROVED if system_approves else SsoIdentity.Status.PENDING


STATUS_SUMMARY = {
    SsoIdentity.Status.PENDING: "it signs in only when a service manager approves it",
    SsoIdentity.Status.ADMINISTRATOR: "no approval needed while they are an administrator",
    SsoIdentity.Status.APPROVED: f"approved by the system set-up ({SYSTEM_APPROVAL})",
}


def identity_link(*, actor, user, subject: str, issuer: str, approve: bool = False) -> SsoIdentity:
    """Link the council account `subject` at `issuer` to `user` (replacing the user's link at that issuer).

    `actor` is the administrator, or None for manage.py sso_link (someone with the server's shell).
    A link to a user whose role can see children's records waits for a service manager's approval
    (`link_decide`), unless `approve` is given, which only manage.py sso_link --approve can do: it records
    the approval as given by the system set-up. A link to an administrator needs no approval while they
    stay one. A new identifier, or linking again after a decline, is a new request."""
    if actor is not None:
        policy.may_link_sso_accounts.require(actor)
        if approve:
            raise ValueError("Only the system set-up (manage.py sso_link --approve) approves a link as it makes it")
    subject = (subject or "").strip()
    if not issuer:
        raise ValidationError("Single sign-on is not set up, so there is no identity provider to link to")
    if not subject:
        raise ValidationError({"subject": "Enter the council account's identifier"})
    if len(subject) > 255 or any(ch.isspace() for ch in subject):
        raise ValidationError({"subject": "The identifier must be at most 255 characters, without spaces"})
    with transaction.atomic():
        taken = SsoIdentity.objects.select_for_update(of=("self",)).filter(issuer=issuer, subject=subject).exclude(
            user=user)
        other = taken.select_related("user").first()
        if other is not None:
            raise ValidationError({"subject": f"This council account is already linked to {other.user.username}"})
        identity = SsoIdentity.objects.select_for_update(of=("self",)).select_related("user").filter(
            issuer=issuer, user=user).first()
        if (identity is not None and identity.subject == subject and identity.status != SsoIdentity.Status.DECLINED
                and not (approve and identity.awaiting_approval)):
            return identity
        if identity is None:
            identity = SsoIdentity(issuer=issuer, user=user)
            old, old_status, action = None, None, AuditEvent.Action.CREATED
        else:
            old, old_status, action = identity.subject, identity.get_status_display(), AuditEvent.Action.UPDATED
        now = timezone.now()
        status = _status_for(user, system_approves=approve)
        identity.subject = subject
        identity.linked_by = actor
        identity.linked_at = now
        identity.status = status
        identity.decided_by = None
        identity.decided_at = now if status == SsoIdentity.Status.APPROVED else None
        identity.reason = f"Approved by the system set-up with {SYSTEM_APPROVAL}" if approve else ""
        identity.full_clean()
        identity.save()
        audit(actor=actor, action=action, instance=identity,
              changes={"subject": [old, subject], "issuer": [None if old is None else issuer, issuer],
                       "status": [old_status, identity.get_status_display()]},
              summary=f"Linked {user.username} to the council account {subject} at {issuer} {_by(actor)}: "
                      f"{STATUS_SUMMARY[status]}")
    return identity


def link_decision_refusal(*, actor, identity: SsoIdentity) -> str:
    """Why this person may not approve or decline this link ("" when they may)."""
    if not policy.may_approve_sso_links(actor):
        return "Only a service manager can approve or decline a single sign-on link"
    if identity.linked_by_id == actor.pk:
        return "You cannot decide a link you asked for: another service manager must"
    if identity.user_id == actor.pk:
        return "You cannot decide a link to your own account: another service manager must"
    if not identity.awaiting_approval:
        return "This link is not waiting for approval"
    return ""


def link_decide(*, actor, identity: SsoIdentity, approve: bool, reason: str = "",
                subject: str | None = None) -> SsoIdentity:
    """Approve (so the council account signs in as the user) or decline (with a reason) a link waiting for
    approval. `subject` is the identifier the service manager was shown: if an administrator has changed
    the link since, nothing is decided (StaleRecordError)."""
    policy.may_approve_sso_links.require(actor)
    reason = (reason or "").strip()
    with transaction.atomic():
        identity = (SsoIdentity.objects.select_for_update(of=("self",)).select_related("user", "linked_by")
                    .filter(pk=identity.pk).first())
        if identity is None:
            raise ValidationError("This link has been removed")
        if subject is not None and identity.subject != subject:
            raise StaleRecordError()
        refusal = link_decision_refusal(actor=actor, identity=identity)
        if refusal:
            raise ValidationError(refusal)
        if not approve and not reason:
            raise ValidationError({"reason": "Enter why you are declining the link"})
        old_status = "Waiting for approval"
        identity.status = SsoIdentity.Status.APPROVED if approve else SsoIdentity.Status.DECLINED
        identity.decided_by = actor
        identity.decided_at = timezone.now()
        identity.reason = reason
        identity.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        asked = identity.linked_by.username if identity.linked_by else "the system set-up (manage.py sso_link)"
        summary = (f"{'Approved' if approve else 'Declined'} the single sign-on link of {identity.user.username} "
                   f"({identity.user.get_role_display()}) to the council account {identity.subject} at "
                   f"{identity.issuer}, asked for by {asked} on {timezone.localtime(identity.linked_at):%d %b %Y %H:%M}")
        if reason:
            summary += f". Reason: {reason}"
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=identity,
              changes={"status": [old_status, identity.get_status_display()],
                       "decided_by": [None, actor.username], "reason": ["", reason]},
              summary=summary)
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
