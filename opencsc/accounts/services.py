"""Writing to accounts: sign-in with lockout, two-factor devices, users and teams.

Every function here is keyword-only, checks its rules before it writes, writes in
a transaction and records an audit event with the old and new values. Passwords
and two-factor secrets are never written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from base64 import b32encode
from urllib.parse import quote

import segno
from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from opencsc.core.audit import StaleRecordError, audit, claim_version, diff, field_values
from opencsc.core.models import AuditEvent

from . import permissions
from .models import Team, User
from .roles import Role, TeamKind

# The one message for a wrong username or a wrong password: it must not tell them apart.
BAD_CREDENTIALS = "Enter a correct username and password"
ENTER_CODE = "Enter the 6-digit code from your authenticator app"
WRONG_CODE = "The code is not correct. Check your authenticator app and try again."
TOO_MANY_CODES = "You have entered too many incorrect codes. Wait a minute and try again."

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


# --- Sign-in and lockout ------------------------------------------------------------------------


def user_is_locked(user: User, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return user.locked_until is not None and user.locked_until > now


def locked_message(user: User) -> str:
    until = timezone.localtime(user.locked_until).strftime("%H:%M")
    return (
        f"This account is locked after too many failed attempts. "
        f"Try again after {until} or ask your administrator to unlock it."
    )


def _client_summary(request) -> str:
    return f"from {request.META.get('REMOTE_ADDR', 'unknown address')}" if request is not None else ""


def user_sign_in(*, request, username: str, password: str) -> User:
    """Sign a user in with their username and password, or raise SignInError.

    Lockout: after OPENCSC_LOCKOUT_FAILURES failed attempts in a row the account is
    locked for OPENCSC_LOCKOUT_MINUTES. To avoid revealing whether a username exists,
    every failure gets the same message; the lockout message is shown only to someone
    who gives the correct password for a locked account. Attempts while locked do not
    extend the lock.
    """
    username = (username or "").strip()
    now = timezone.now()
    # authenticate() runs the password hasher even for an unknown username, so the
    # time taken does not reveal whether the account exists.
    authenticated = authenticate(request, username=username, password=password)
    # The failure is recorded in the transaction and raised after it commits.
    with transaction.atomic():
        refusal = _record_sign_in(request=request, username=username, authenticated=authenticated, now=now)
    if refusal:
        raise SignInError(refusal)
    return authenticated


def _record_sign_in(*, request, username: str, authenticated: User | None, now: dt.datetime) -> str:
    """Count, lock, audit and (on success) sign in. Returns the refusal message, or ""."""
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        audit(
            actor=None,
            action=AuditEvent.Action.SIGN_IN_FAILED,
            summary=f"Sign-in failed for unknown username {username[:60]!r} {_client_summary(request)}",
        )
        return BAD_CREDENTIALS

    if user_is_locked(user, now=now):
        audit(
            actor=user,
            action=AuditEvent.Action.SIGN_IN_FAILED,
            instance=user,
            summary=f"Sign-in refused: account locked {_client_summary(request)}",
        )
        # Only someone who knows the password learns that the account is locked.
        return locked_message(user) if authenticated is not None else BAD_CREDENTIALS

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
        return BAD_CREDENTIALS

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
    return ""


# --- Two-factor (TOTP) --------------------------------------------------------------------------


def confirmed_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def two_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device this user is setting up (the same one until confirmed)."""
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


def two_factor_enrol(*, request, user: User, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm a new authenticator app with its first code, and complete sign-in with it."""
    if device.user_id != user.pk or device.confirmed:
        raise SignInError(ENTER_CODE)
    _check_code(request=request, user=user, device=device, code=code, what="setting up")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit(
            actor=user,
            action=AuditEvent.Action.CREATED,
            instance=user,
            changes={"two_factor": [False, True]},
            summary="Set up two-factor sign-in",
        )
        otp_login(request, device)
    return device


def two_factor_verify(*, request, user: User, code: str) -> TOTPDevice:
    """Complete sign-in with a code from the user's confirmed authenticator app."""
    device = confirmed_device_for(user)
    if device is None:
        raise SignInError(ENTER_CODE)
    _check_code(request=request, user=user, device=device, code=code, what="signing in")
    otp_login(request, device)
    audit(actor=user, action=AuditEvent.Action.SIGNED_IN, instance=user, summary="Completed two-factor sign-in")
    return device


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
    """Create a user account. `values` are fields from USER_FIELDS."""
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
        user.full_clean()
        user.save()
        after = field_values(user, AUDITED_USER_FIELDS)
        audit(
            actor=actor,
            action=AuditEvent.Action.CREATED,
            instance=user,
            changes={k: [None, v] for k, v in after.items() if v not in (None, "", False, 0)},
            summary=f"Created user {user.username}",
        )
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

    The edit page passes the version its form was opened at (`expected_version`): a stale save is refused
    (StaleRecordError) and changes nothing. None only for a write that is not from an edit form."""
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
        for key, value in values.items():
            setattr(user, key, value)
        _check_role_rules(user, team_changed=user.team_id != previous_team_id)
        return _update_user(user, actor=actor, summary=f"Changed user {user.username}", before=before,
                            expected_version=expected_version)


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
        return _update_user(user, actor=actor, summary=f"Reactivated user {user.username}", is_active=True)


def user_unlock(*, actor: User, user: User) -> dict:
    """Clear a lockout and the count of failed sign-ins."""
    permissions.may_administer_users.require(actor)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user_is_locked(user) and not user.failed_login_count:
            raise ValidationError("This account is not locked")
        return _update_user(
            user, actor=actor, summary=f"Unlocked user {user.username}", failed_login_count=0, locked_until=None
        )


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


def user_reset_two_factor(*, actor: User, user: User) -> int:
    """Remove the user's authenticator apps: they set up a new one at their next sign-in."""
    permissions.may_administer_users.require(actor)
    with transaction.atomic():
        devices = TOTPDevice.objects.filter(user=user)
        had_confirmed = devices.filter(confirmed=True).exists()
        count, _ = devices.delete()
        if not count:
            raise ValidationError("This user has not set up two-factor sign-in")
        audit(
            actor=actor,
            action=AuditEvent.Action.UPDATED,
            instance=user,
            changes={"two_factor": [had_confirmed, False]},
            summary=f"Reset two-factor sign-in for {user.username}",
        )
    return count


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

