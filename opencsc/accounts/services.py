"""Writing to accounts: sign-in with lockout, two-factor devices, users and teams.

Every function here is keyword-only, checks its rules before it writes, writes in
a transaction and records an audit event with the old and new values. Passwords
and two-factor secrets are never written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from base64 import b32encode
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencsc.core.audit import StaleRecordError, audit, claim_version, diff, field_values
from opencsc.core.models import AuditEvent

from . import permissions
from .models import ApprovalRequest, EnrolmentCode, RecoveryCode, SignInAttempt, Team, User
from .roles import PRIVILEGED_ROLES, Role, TeamKind

# The one message for a wrong username or a wrong password: it must not tell them apart.
# Locked and throttled attempts get it too, whatever the password: the lock must not be an oracle.
BAD_CREDENTIALS = (
    "Enter a correct username and password. If you have forgotten your password or your account is locked, "
    "ask your administrator."
)
ENTER_CODE = "Enter the 6-digit code from your authenticator app"
WRONG_CODE = "The code is not correct. Check your authenticator app and try again."
TOO_MANY_CODES = "You have entered too many incorrect codes. Wait a minute and try again."
ENTER_SET_UP_CODE = "Enter the set-up code your administrator gave you"
WRONG_SET_UP_CODE = (
    "The set-up code is not correct, has been used or has expired. Check it, or ask your administrator for a new one."
)
ENTER_RECOVERY_CODE = "Enter one of your recovery codes"
WRONG_RECOVERY_CODE = "The recovery code is not correct or has already been used"
TOO_MANY_SET_UP_OR_RECOVERY_CODES = (
    "You have entered too many incorrect codes. Wait 15 minutes and try again, or ask your administrator."
)
# The session of someone who has entered a correct set-up code (the EnrolmentCode's id).
ENROLMENT_SESSION_KEY = "opencsc_enrolment_code"
RECOVERY_CODE_COUNT = 10
# Letters and digits that cannot be confused with one another when read out or typed.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

# Fields an administrator may change on a user, and the ones written to the audit log.
USER_FIELDS = ["first_name", "last_name", "email", "job_title", "role", "team", "agency", "is_agency_staff"]
AUDITED_USER_FIELDS = ["username", *USER_FIELDS, "is_active", "failed_login_count", "locked_until"]
TEAM_FIELDS = ["name", "kind", "agency", "manager", "is_active"]

DEVICE_NAME = "Authenticator app"


class SignInError(Exception):
    """Sign-in refused; `message` is safe to show to the person signing in."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Sign-in, lockout and throttling -----------------------------------------------------------


def user_is_locked(user: User, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return user.locked_until is not None and user.locked_until > now


def _client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "")[:64] if request is not None else ""


def _client_summary(request) -> str:
    return f"from {request.META.get('REMOTE_ADDR', 'unknown address')}" if request is not None else ""


def _recent_failures(*, kind: str, now: dt.datetime, username: str | None = None, address: str | None = None) -> int:
    """Failed attempts (checked and wrong) in the throttle window, for one username or one address."""
    since = now - dt.timedelta(minutes=settings.OPENCSC_SIGN_IN_THROTTLE_MINUTES)
    rows = SignInAttempt.objects.filter(kind=kind, outcome=SignInAttempt.Outcome.FAILED, at__gt=since)
    rows = rows.filter(username=username) if username is not None else rows.filter(address=address)
    return rows.count()


def sign_in_refusal(*, user: User | None, username: str, address: str, now: dt.datetime) -> str:
    """Why an attempt is refused without checking the password, or "" when the password is checked.

    Locked, throttled for the username, or throttled for the client address: each is answered with
    BAD_CREDENTIALS whatever the password, so the right password reveals nothing.
    """
    if user is not None and user_is_locked(user, now=now):
        return "account locked"
    kind = SignInAttempt.Kind.PASSWORD
    if _recent_failures(kind=kind, now=now, username=username.lower()) >= settings.OPENCSC_SIGN_IN_ATTEMPTS_PER_ACCOUNT:
        return "too many failed attempts for this username"
    if address and _recent_failures(kind=kind, now=now, address=address) >= settings.OPENCSC_SIGN_IN_ATTEMPTS_PER_ADDRESS:
        return "too many failed attempts from this address"
    return ""


def user_sign_in(*, request, username: str, password: str) -> User:
    """Sign a user in with their username and password, or raise SignInError(BAD_CREDENTIALS).

    Lockout: after OPENCSC_LOCKOUT_FAILURES failed attempts in a row the account is locked for
    OPENCSC_LOCKOUT_MINUTES. Throttles: after OPENCSC_SIGN_IN_ATTEMPTS_PER_ACCOUNT failures for one
    username, or OPENCSC_SIGN_IN_ATTEMPTS_PER_ADDRESS from one client address, in
    OPENCSC_SIGN_IN_THROTTLE_MINUTES, attempts are refused. A locked or throttled attempt is refused
    without checking the password, gets the one message every failure gets, and does the same work
    (one run of the password hasher), so neither the answer nor its timing depends on the password.
    Refused attempts are recorded but neither extend the lock nor count towards the throttles.
    """
    username = (username or "").strip()
    address = _client_address(request)
    now = timezone.now()
    refusal = sign_in_refusal(user=User.objects.filter(username=username).first(), username=username,
                              address=address, now=now)
    if refusal:
        make_password(password)  # the same work as checking a password; the result is not used
        authenticated = None
    else:
        # authenticate() runs the password hasher even for an unknown username, so the time taken
        # does not reveal whether the account exists.
        authenticated = authenticate(request, username=username, password=password)
    # The attempt is recorded in the transaction and the failure raised after it commits.
    with transaction.atomic():
        signed_in = _record_sign_in(request=request, username=username, address=address,
                                    authenticated=authenticated, refusal=refusal, now=now)
    if not signed_in:
        raise SignInError(BAD_CREDENTIALS)
    return authenticated


def _record_sign_in(*, request, username: str, address: str, authenticated: User | None, refusal: str,
                    now: dt.datetime) -> bool:
    """Record the attempt; count, lock and audit; on success sign in. Returns whether signed in."""
    SignInAttempt.objects.filter(at__lt=now - dt.timedelta(days=1)).delete()
    user = User.objects.select_for_update().filter(username=username).first()
    if not refusal and user is not None and user_is_locked(user, now=now):
        refusal, authenticated = "account locked", None  # locked by another attempt meanwhile
    outcome = (SignInAttempt.Outcome.REFUSED if refusal
               else SignInAttempt.Outcome.SUCCEEDED if authenticated is not None else SignInAttempt.Outcome.FAILED)
    SignInAttempt.objects.create(kind=SignInAttempt.Kind.PASSWORD, username=username.lower()[:150],
                                 address=address, at=now, outcome=outcome)
    if refusal:
        who = "" if user is not None else f" for unknown username {username[:60]!r}"
        audit(actor=user, action=AuditEvent.Action.SIGN_IN_FAILED, instance=user,
              summary=f"Sign-in refused without checking the password{who}: {refusal} {_client_summary(request)}")
        return False

    if user is None:
        audit(
            actor=None,
            action=AuditEvent.Action.SIGN_IN_FAILED,
            summary=f"Sign-in failed for unknown username {username[:60]!r} {_client_summary(request)}",
        )
        return False

    before = field_values(user, AUDITED_USER_FIELDS)
    if authenticated is None:
        lock_expired = user.locked_until is not None
        user.failed_login_count = 1 if lock_expired else user.failed_login_count + 1
        user.locked_until = None
        locking = user.failed_login_count >= settings.OPENCSC_LOCKOUT_FAILURES
        if locking:
            user.locked_until = now + dt.timedelta(minutes=settings.OPENCSC_LOCKOUT_MINUTES)
        user.save(update_fields=["failed_login_count", "locked_until"])
        changes = diff(before, field_values(user, AUDITED_USER_FIELDS))
        audit(
            actor=user,
            action=AuditEvent.Action.SIGN_IN_FAILED,
            instance=user,
            changes=changes,
            summary=f"Sign-in failed: wrong password {_client_summary(request)}",
        )
        if locking:
            audit(
                actor=user,
                action=AuditEvent.Action.LOCKED,
                instance=user,
                changes=changes,
                summary=f"Account locked after {user.failed_login_count} failed sign-ins in a row",
            )
        return False

    if user.failed_login_count or user.locked_until is not None:
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
    authenticated.failed_login_count = 0
    authenticated.locked_until = None
    login(request, authenticated)
    audit(
        actor=authenticated,
        action=AuditEvent.Action.SIGNED_IN,
        instance=authenticated,
        changes=diff(before, field_values(authenticated, AUDITED_USER_FIELDS)),
        summary=f"Signed in {_client_summary(request)}",
    )
    return True


# --- Two-factor (TOTP), set-up codes and recovery codes ----------------------------------------


def confirmed_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def _random_code(groups: int, size: int) -> str:
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(size)) for _ in range(groups))


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _hash_code(code: str) -> str:
    """sha256 with a salt of its own: the codes are random (50 bits or more), so a slow hash is not needed."""
    salt = secrets.token_hex(16)
    return f"sha256${salt}${hashlib.sha256((salt + _normalise_code(code)).encode()).hexdigest()}"


def _code_matches(code: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
    except ValueError:
        return False
    return hmac.compare_digest(hashlib.sha256((salt + _normalise_code(code)).encode()).hexdigest(), digest)


def _code_attempts_exceeded(user: User, *, now: dt.datetime) -> bool:
    kind = SignInAttempt.Kind.CODE
    return _recent_failures(kind=kind, now=now, username=user.username.lower()) >= settings.OPENCSC_LOCKOUT_FAILURES


def _record_code_attempt(*, request, user: User, succeeded: bool, now: dt.datetime, what: str) -> None:
    SignInAttempt.objects.create(
        kind=SignInAttempt.Kind.CODE, username=user.username.lower()[:150], address=_client_address(request), at=now,
        outcome=SignInAttempt.Outcome.SUCCEEDED if succeeded else SignInAttempt.Outcome.FAILED)
    if not succeeded:
        audit(actor=user, action=AuditEvent.Action.SIGN_IN_FAILED, instance=user,
              summary=f"{what} not correct {_client_summary(request)}")


def two_factor_code_issue(*, actor: User | None, user: User) -> str:
    """Issue a one-time two-factor set-up code for `user`, to be given to them out of band.

    Returned once (only its hash is kept); it expires after OPENCSC_ENROLMENT_CODE_HOURS and works once;
    issuing another voids it. `actor` None is the system set-up (`manage.py two_factor_code`, for the
    first administrator), recorded as such.
    """
    if actor is not None:
        permissions.may_administer_users.require(actor)
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if confirmed_device_for(user) is not None:
            raise ValidationError(
                "This user has already set up two-factor sign-in. Ask for it to be reset before issuing a set-up code")
        voided = EnrolmentCode.objects.filter(user=user, voided_at=None).update(voided_at=now)
        code = _random_code(3, 4)
        expires = now + dt.timedelta(hours=settings.OPENCSC_ENROLMENT_CODE_HOURS)
        EnrolmentCode.objects.create(user=user, code_hash=_hash_code(code), issued_by=actor, issued_at=now,
                                     expires_at=expires)
        by = "" if actor is not None else " (by the system set-up)"
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=user,
              changes={"two_factor_set_up_code": ["(voided)" if voided else None, "(issued)"]},
              summary=f"Issued a two-factor set-up code for {user.username}{by}, "
                      f"valid until {timezone.localtime(expires):%d %b %Y %H:%M}")
    return code


def two_factor_code_accept(*, request, user: User, code: str) -> EnrolmentCode:
    """Accept the set-up code an administrator gave this user: their session may now set up an app."""
    if not _normalise_code(code):
        raise SignInError(ENTER_SET_UP_CODE)
    now = timezone.now()
    if _code_attempts_exceeded(user, now=now):
        raise SignInError(TOO_MANY_SET_UP_OR_RECOVERY_CODES)
    if confirmed_device_for(user) is not None:
        raise SignInError(WRONG_SET_UP_CODE)
    with transaction.atomic():
        candidates = EnrolmentCode.objects.select_for_update().filter(user=user, used_at=None, voided_at=None,
                                                                      expires_at__gt=now)
        match = next((c for c in candidates if _code_matches(code, c.code_hash)), None)
        _record_code_attempt(request=request, user=user, succeeded=match is not None, now=now,
                             what="Two-factor set-up code")
        if match is not None:
            match.used_at = now
            match.save(update_fields=["used_at"])
            audit(actor=user, action=AuditEvent.Action.UPDATED, instance=user,
                  changes={"two_factor_set_up_code": ["(issued)", "(used)"]},
                  summary=f"Used a two-factor set-up code {_client_summary(request)}")
    if match is None:
        raise SignInError(WRONG_SET_UP_CODE)
    request.session[ENROLMENT_SESSION_KEY] = match.pk
    return match


def accepted_enrolment_code(request, user: User) -> EnrolmentCode | None:
    """The set-up code this session entered, while it still stands (a newer code or a reset voids it)."""
    pk = request.session.get(ENROLMENT_SESSION_KEY)
    if pk is None or not getattr(user, "pk", None):
        return None
    return EnrolmentCode.objects.filter(pk=pk, user=user, used_at__isnull=False, voided_at=None).first()


def two_factor_enrolment_start(*, request, user: User) -> TOTPDevice:
    """The unconfirmed device this user is setting up (the same one until confirmed).

    Only after the session has entered a set-up code: before that no key exists to be shown.
    """
    if accepted_enrolment_code(request, user) is None:
        raise SignInError(ENTER_SET_UP_CODE)
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    return device


def device_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app: base32 in groups of 4."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def device_qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth:// address (no script, no style attribute)."""
    issuer = settings.OPENCSC_AUTHORITY_NAME
    url = device.config_url
    if "issuer=" not in url:
        url = f"{url}&issuer={quote(issuer)}"
    return segno.make(url, error="m").svg_inline(
        scale=4, title="QR code to scan with your authenticator app", svgclass="opencsc-qr", lineclass=None
    )


def _clean_code(code: str) -> str:
    code = (code or "").replace(" ", "").replace("-", "")
    if len(code) != 6 or not code.isdigit():
        raise SignInError(ENTER_CODE)
    return code


def _check_code(*, request, user: User, device: TOTPDevice, code: str, what: str) -> None:
    code = _clean_code(code)
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        raise SignInError(TOO_MANY_CODES)
    if not device.verify_token(code):
        audit(
            actor=user,
            action=AuditEvent.Action.SIGN_IN_FAILED,
            instance=user,
            summary=f"Two-factor code not correct ({what}) {_client_summary(request)}",
        )
        raise SignInError(WRONG_CODE)


def _recovery_codes_replace(user: User, *, now: dt.datetime) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_random_code(2, 5) for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=_hash_code(code), created_at=now) for code in codes])
    return codes


def two_factor_enrol(*, request, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm a new authenticator app with its first code, and complete sign-in with it.

    Needs the set-up code accepted in this session. Returns the new recovery codes, to be shown once.
    """
    if device.user_id != user.pk or device.confirmed:
        raise SignInError(ENTER_CODE)
    if accepted_enrolment_code(request, user) is None:
        raise SignInError(ENTER_SET_UP_CODE)
    _check_code(request=request, user=user, device=device, code=code, what="setting up")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _recovery_codes_replace(user, now=timezone.now())
        audit(
            actor=user,
            action=AuditEvent.Action.CREATED,
            instance=user,
            changes={"two_factor": [False, True], "recovery_codes": [None, RECOVERY_CODE_COUNT]},
            summary="Set up two-factor sign-in",
        )
        otp_login(request, device)
    request.session.pop(ENROLMENT_SESSION_KEY, None)
    return codes


def two_factor_verify(*, request, user: User, code: str) -> TOTPDevice:
    """Complete sign-in with a code from the user's confirmed authenticator app."""
    device = confirmed_device_for(user)
    if device is None:
        raise SignInError(ENTER_CODE)
    _check_code(request=request, user=user, device=device, code=code, what="signing in")
    otp_login(request, device)
    audit(actor=user, action=AuditEvent.Action.SIGNED_IN, instance=user, summary="Completed two-factor sign-in")
    return device


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


def two_factor_recover(*, request, user: User, code: str) -> int:
    """Complete sign-in with a recovery code in place of an authenticator code (each works once).

    Returns how many recovery codes the user has left.
    """
    if not _normalise_code(code):
        raise SignInError(ENTER_RECOVERY_CODE)
    device = confirmed_device_for(user)
    if device is None:
        raise SignInError(WRONG_RECOVERY_CODE)
    now = timezone.now()
    if _code_attempts_exceeded(user, now=now):
        raise SignInError(TOO_MANY_SET_UP_OR_RECOVERY_CODES)
    with transaction.atomic():
        candidates = RecoveryCode.objects.select_for_update().filter(user=user, used_at=None)
        match = next((c for c in candidates if _code_matches(code, c.code_hash)), None)
        _record_code_attempt(request=request, user=user, succeeded=match is not None, now=now, what="Recovery code")
        if match is not None:
            match.used_at = now
            match.save(update_fields=["used_at"])
            left = recovery_codes_left(user)
            audit(actor=user, action=AuditEvent.Action.SIGNED_IN, instance=user,
                  changes={"recovery_codes_left": [left + 1, left]},
                  summary=f"Completed two-factor sign-in with a recovery code ({left} left) {_client_summary(request)}")
    if match is None:
        raise SignInError(WRONG_RECOVERY_CODE)
    otp_login(request, device)
    return left


# --- Users --------------------------------------------------------------------------------------


def _check_role_rules(user: User, *, team_changed: bool = True) -> None:
    errors = {}
    if user.role == Role.PARTNER and not user.agency:
        errors["agency"] = "Select the partner agency this user works for"
    elif user.role != Role.PARTNER and user.agency:
        errors["agency"] = "Only partner agency practitioners can have an agency. Select 'None'"
    if team_changed and user.team_id is not None and not user.team.is_active:
        errors["team"] = "This team is closed. Select an open team"
    if errors:
        raise ValidationError(errors)


def _check_username(username: str, *, exclude_pk=None) -> None:
    clash = User.objects.filter(username__iexact=username)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"username": "A user with that username already exists"})


def user_create(*, actor: User, username: str, password: str, **values) -> User:
    """Create a user account. `values` are fields from USER_FIELDS.

    An account with a role that can see children's records (PRIVILEGED_ROLES) is created inactive, with a
    request that a service manager approves (``approval_decide``); only then can it sign in.
    """
    permissions.may_administer_users.require(actor)
    unknown = set(values) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown user fields: {sorted(unknown)}")
    username = (username or "").strip()
    user = User(username=username, **values)
    with transaction.atomic():
        _check_username(username)
        _check_role_rules(user)
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
        needs_approval = user.role in PRIVILEGED_ROLES
        user.is_active = not needs_approval
        user.full_clean()
        user.save()
        after = field_values(user, AUDITED_USER_FIELDS)
        audit(
            actor=actor,
            action=AuditEvent.Action.CREATED,
            instance=user,
            changes={k: [None, v] for k, v in after.items() if v not in (None, "", False, 0)}
            | ({"is_active": [None, False]} if needs_approval else {}),
            summary=f"Created user {user.username}" + (" (waiting for a service manager's approval)"
                                                        if needs_approval else ""),
        )
        if needs_approval:
            _approval_request(actor=actor, subject=user, kind=ApprovalRequest.Kind.NEW_ACCOUNT,
                              new_role=user.role, new_agency=user.agency)
    return user


def _update_user(user: User, *, actor: User, summary: str, before: dict | None = None,
                 expected_version: int | None = None, **values) -> dict:
    before = before if before is not None else field_values(user, AUDITED_USER_FIELDS)
    for key, value in values.items():
        setattr(user, key, value)
    user.full_clean()
    changes = diff(before, field_values(user, AUDITED_USER_FIELDS))
    if not changes:
        if expected_version is not None and user.version != expected_version:
            raise StaleRecordError()
        return {}
    claim_version(user, expected_version)  # in the UPDATE's WHERE clause: a stale form saves nothing
    user.save()
    audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=user, changes=changes, summary=summary)
    return changes


def user_update(*, actor: User, user: User, expected_version: int | None = None, **values) -> dict:
    """Change a user's details, role, team or agency. Returns {field: [old, new]}.

    A change to a role that can see children's records (or of a partner's agency) is not made: it
    becomes a request that a service manager approves, and the old role stays until then (the
    returned changes then include "requested_role"). Any change of role replaces a pending request.

    The edit page passes the version its form was opened at (`expected_version`): a stale save is refused
    (StaleRecordError) and changes nothing. None only for a write that is not from an edit form.
    """
    permissions.may_administer_users.require(actor)
    unknown = set(values) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown user fields: {sorted(unknown)}")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.pk == actor.pk and values.get("role", user.role) != Role.ADMINISTRATOR:
            raise ValidationError({"role": "You cannot remove your own administrator role"})
        before = field_values(user, AUDITED_USER_FIELDS)
        previous_team_id = user.team_id
        old_role, old_agency = user.role, user.agency
        for key, value in values.items():
            setattr(user, key, value)
        _check_role_rules(user, team_changed=user.team_id != previous_team_id)
        new_role, new_agency = user.role, user.agency
        role_changing = (new_role, new_agency) != (old_role, old_agency)
        if role_changing and _pending(user, ApprovalRequest.Kind.NEW_ACCOUNT).exists():
            raise ValidationError({"role": "This account is waiting for a service manager's approval. Its role "
                                           "cannot be changed until they have decided"})
        needs_approval = role_changing and new_role in PRIVILEGED_ROLES
        if needs_approval:
            user.role, user.agency = old_role, old_agency
        changes = _update_user(user, actor=actor, summary=f"Changed user {user.username}", before=before,
                               expected_version=expected_version)
        if role_changing:
            _cancel_pending(actor=actor, subject=user, kind=ApprovalRequest.Kind.ROLE_CHANGE)
        if needs_approval:
            _approval_request(actor=actor, subject=user, kind=ApprovalRequest.Kind.ROLE_CHANGE,
                              old_role=old_role, new_role=new_role, old_agency=old_agency, new_agency=new_agency)
            changes["requested_role"] = [old_role, new_role]
        return changes


def user_deactivate(*, actor: User, user: User) -> dict:
    """Stop a user signing in. Accounts are never deleted: their records must stay attributable."""
    permissions.may_administer_users.require(actor)
    if user.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise ValidationError("This account is already deactivated")
        return _update_user(user, actor=actor, summary=f"Deactivated user {user.username}", is_active=False)


def user_reactivate(*, actor: User, user: User) -> dict:
    permissions.may_administer_users.require(actor)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            raise ValidationError("This account is already active")
        latest = user.approval_requests.filter(kind=ApprovalRequest.Kind.NEW_ACCOUNT).order_by("-id").first()
        if latest is not None and latest.status != ApprovalRequest.Status.APPROVED:
            raise ValidationError("A service manager has not approved this account, so it cannot be activated")
        return _update_user(user, actor=actor, summary=f"Reactivated user {user.username}", is_active=True)


def user_unlock(*, actor: User, user: User) -> dict:
    """Clear a lockout and the count of failed sign-ins."""
    permissions.may_administer_users.require(actor)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        attempts = SignInAttempt.objects.filter(username=user.username.lower(),
                                                outcome=SignInAttempt.Outcome.FAILED)
        if not user_is_locked(user) and not user.failed_login_count and not attempts.exists():
            raise ValidationError("This account is not locked")
        # The throttle for the username is cleared too (the per-address one stays).
        cleared = attempts.delete()[0]
        changes = _update_user(
            user, actor=actor, summary=f"Unlocked user {user.username}", failed_login_count=0, locked_until=None
        )
        if not changes:
            audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=user,
                  changes={"recent_failed_sign_ins": [cleared, 0]}, summary=f"Unlocked user {user.username}")
        return changes


def user_set_password(*, actor: User, user: User, password: str) -> None:
    """Give a user a new password (for example when they have forgotten theirs)."""
    permissions.may_administer_users.require(actor)
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.save(update_fields=["password"])
        audit(
            actor=actor,
            action=AuditEvent.Action.UPDATED,
            instance=user,
            changes={"password": ["(hidden)", "(changed)"]},
            summary=f"Set a new password for {user.username}",
        )


def two_factor_reset_request(*, actor: User, user: User) -> ApprovalRequest:
    """Ask for a user's two-factor sign-in to be reset. It is done when another administrator or a service
    manager approves (``approval_decide``): one person alone cannot take over an account this way."""
    permissions.may_administer_users.require(actor)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not TOTPDevice.objects.filter(user=user).exists() and not RecoveryCode.objects.filter(user=user).exists():
            raise ValidationError("This user has not set up two-factor sign-in")
        if _pending(user, ApprovalRequest.Kind.TWO_FACTOR_RESET).exists():
            raise ValidationError("A reset of this user's two-factor sign-in is already waiting for approval")
        return _approval_request(actor=actor, subject=user, kind=ApprovalRequest.Kind.TWO_FACTOR_RESET)


def _two_factor_reset(user: User, *, now: dt.datetime) -> bool:
    """Remove the user's authenticator apps and recovery codes, and void their set-up codes."""
    had_confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    EnrolmentCode.objects.filter(user=user, voided_at=None).update(voided_at=now)
    return had_confirmed


# --- Requests that need a second person ---------------------------------------------------------


def _pending(user: User, kind: str):
    return ApprovalRequest.objects.filter(subject=user, kind=kind, status=ApprovalRequest.Status.PENDING)


def _approval_request(*, actor: User, subject: User, kind: str, **roles) -> ApprovalRequest:
    approval = ApprovalRequest.objects.create(kind=kind, subject=subject, requested_by=actor, **roles)
    changes = {"approval": [None, ApprovalRequest.Status.PENDING.label]}
    if roles.get("new_role"):
        changes["requested_role"] = [roles.get("old_role") or None, roles["new_role"]]
    if roles.get("new_agency") != roles.get("old_agency"):
        changes["requested_agency"] = [roles.get("old_agency") or None, roles.get("new_agency") or None]
    audit(actor=actor, action=AuditEvent.Action.CREATED, instance=subject, changes=changes,
          summary=f"Asked for approval: {approval.get_kind_display().lower()} for {subject.username} "
                  f"(request {approval.pk})")
    return approval


def _cancel_pending(*, actor: User, subject: User, kind: str) -> None:
    for approval in _pending(subject, kind).select_for_update():
        approval.status = ApprovalRequest.Status.CANCELLED
        approval.decided_at = timezone.now()
        approval.save(update_fields=["status", "decided_at"])
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=subject,
              changes={"approval": [ApprovalRequest.Status.PENDING.label, approval.get_status_display()]},
              summary=f"Replaced request {approval.pk} ({approval.get_kind_display().lower()}) by a later change")


def approval_permission(approval: ApprovalRequest):
    """Who may decide this request: a service manager for access to records; another administrator or a
    service manager for a two-factor reset."""
    if approval.kind == ApprovalRequest.Kind.TWO_FACTOR_RESET:
        return permissions.may_approve_two_factor_reset
    return permissions.may_approve_privilege


def approval_refusal(*, actor: User, approval: ApprovalRequest) -> str:
    """Why this person may not decide this request ("" when they may)."""
    if not approval_permission(approval)(actor):
        return "Only a service manager can decide this request" if approval.kind != \
            ApprovalRequest.Kind.TWO_FACTOR_RESET else "Only an administrator or a service manager can decide this"
    if approval.requested_by_id == actor.pk:
        return "You cannot decide your own request: another person must"
    if approval.subject_id == actor.pk:
        return "You cannot decide a request about your own account"
    if not approval.is_pending:
        return "This request has already been decided"
    return ""


def approval_decide(*, actor: User, approval: ApprovalRequest, approve: bool, reason: str = "") -> ApprovalRequest:
    """Approve (and so make the change) or decline (with a reason) a request that needs a second person."""
    approval_permission(approval).require(actor)
    reason = (reason or "").strip()
    now = timezone.now()
    with transaction.atomic():
        # of=self: PostgreSQL cannot lock the nullable side of the outer join to requested_by
        approval = (ApprovalRequest.objects.select_for_update(of=("self",)).select_related("requested_by")
                    .get(pk=approval.pk))
        refusal = approval_refusal(actor=actor, approval=approval)
        if refusal:
            raise ValidationError(refusal)
        if not approve and not reason:
            raise ValidationError({"reason": "Enter why you are declining the request"})
        subject = User.objects.select_for_update().get(pk=approval.subject_id)
        changes = {"approval": [ApprovalRequest.Status.PENDING.label,
                                (ApprovalRequest.Status.APPROVED if approve else ApprovalRequest.Status.DECLINED).label]}
        if approve:
            changes.update(_apply_approval(approval, subject, actor=actor, now=now))
        approval.status = ApprovalRequest.Status.APPROVED if approve else ApprovalRequest.Status.DECLINED
        approval.decided_by = actor
        approval.decided_at = now
        approval.reason = reason
        approval.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        asked = approval.requested_by.username if approval.requested_by else "the system set-up"
        summary = (f"{'Approved' if approve else 'Declined'} request {approval.pk}: "
                   f"{approval.get_kind_display().lower()} for {subject.username}, asked for by {asked} "
                   f"on {timezone.localtime(approval.requested_at):%d %b %Y %H:%M}")
        if reason:
            summary += f". Reason: {reason}"
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=subject, changes=changes, summary=summary)
    return approval


def _apply_approval(approval: ApprovalRequest, subject: User, *, actor: User, now: dt.datetime) -> dict:
    kind = approval.kind
    if kind == ApprovalRequest.Kind.NEW_ACCOUNT:
        if subject.role != approval.new_role or subject.agency != approval.new_agency:
            raise ValidationError("The account has changed since this was asked for. Decline it and ask again")
        subject.is_active = True
        subject.save(update_fields=["is_active"])
        return {"is_active": [False, True], "role": [None, subject.role]}
    if kind == ApprovalRequest.Kind.ROLE_CHANGE:
        if (subject.role, subject.agency) != (approval.old_role, approval.old_agency):
            raise ValidationError("The user's role has changed since this was asked for. Decline it and ask again")
        subject.role, subject.agency = approval.new_role, approval.new_agency
        _check_role_rules(subject, team_changed=False)
        subject.full_clean()
        subject.save(update_fields=["role", "agency"])
        changes = {"role": [approval.old_role, approval.new_role]}
        if approval.old_agency != approval.new_agency:
            changes["agency"] = [approval.old_agency or None, approval.new_agency or None]
        return changes
    had_confirmed = _two_factor_reset(subject, now=now)
    return {"two_factor": [had_confirmed, False]}


def approvals_record_system_setup(*, users, reason: str) -> int:
    """Record that the system set-up, not a person, approved these accounts that can see children's
    records (the synthetic authority and the demo, which make their staff directly). Explicit and
    audited: an approved request per account, with no requester or approver and the reason given."""
    now = timezone.now()
    rows = [ApprovalRequest(kind=ApprovalRequest.Kind.NEW_ACCOUNT, status=ApprovalRequest.Status.APPROVED,
                            subject=user, requested_by=None, requested_at=now, new_role=user.role,
                            new_agency=user.agency, decided_by=None, decided_at=now, reason=reason)
            for user in users if user.role in PRIVILEGED_ROLES]
    ApprovalRequest.objects.bulk_create(rows, batch_size=500)
    audit(actor=None, action=AuditEvent.Action.CREATED,
          changes={"approved_accounts": [None, len(rows)]},
          summary=f"System set-up approved {len(rows)} accounts that can see children's records: {reason}"[:300])
    return len(rows)


# --- Teams --------------------------------------------------------------------------------------


def _check_team_rules(team: Team) -> None:
    errors = {}
    if team.kind == TeamKind.PARTNER and not team.agency:
        errors["agency"] = "Select the partner agency for this team"
    elif team.kind != TeamKind.PARTNER and team.agency:
        errors["agency"] = "Only partner agency teams can have an agency. Select 'None'"
    clash = Team.objects.filter(name__iexact=team.name)
    if team.pk is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        errors["name"] = "A team with that name already exists"
    if team.manager_id is not None and not team.manager.is_active:
        errors["manager"] = "Select an active user as manager"
    if errors:
        raise ValidationError(errors)


def team_create(*, actor: User, name: str, kind: str, agency: str = "", manager: User | None = None) -> Team:
    permissions.may_administer_teams.require(actor)
    team = Team(name=(name or "").strip(), kind=kind, agency=agency or "", manager=manager)
    with transaction.atomic():
        _check_team_rules(team)
        team.full_clean()
        team.save()
        after = field_values(team, TEAM_FIELDS)
        audit(
            actor=actor,
            action=AuditEvent.Action.CREATED,
            instance=team,
            changes={k: [None, v] for k, v in after.items() if v not in (None, "")},
            summary=f"Created team {team.name}",
        )
    return team


def team_update(*, actor: User, team: Team, expected_version: int | None = None, **values) -> dict:
    """Change a team; the edit page passes its form's version (a stale save is refused, as for users)."""
    permissions.may_administer_teams.require(actor)
    unknown = set(values) - set(TEAM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown team fields: {sorted(unknown)}")
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        before = field_values(team, TEAM_FIELDS)
        for key, value in values.items():
            setattr(team, key, value)
        _check_team_rules(team)
        if team.is_active is False and before["is_active"] and team.members.filter(is_active=True).exists():
            raise ValidationError({"is_active": "Move this team's active members to another team before closing it"})
        team.full_clean()
        changes = diff(before, field_values(team, TEAM_FIELDS))
        if not changes:
            if expected_version is not None and team.version != expected_version:
                raise StaleRecordError()
            return {}
        claim_version(team, expected_version)  # in the UPDATE's WHERE clause: a stale form saves nothing
        team.save()
        audit(actor=actor, action=AuditEvent.Action.UPDATED, instance=team, changes=changes,
              summary=f"Changed team {team.name}")
    return changes

