from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from opencsc.core.chain import chained

from .roles import AccessOutcome, Agency, Role, TeamKind


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=32, choices=TeamKind.choices)
    agency = models.CharField(
        max_length=16, choices=Agency.choices, blank=True, help_text="For partner agency teams only."
    )
    version = models.PositiveIntegerField(default=1)
    manager = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="managed_teams"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.SOCIAL_WORKER)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    agency = models.CharField(
        max_length=16, choices=Agency.choices, blank=True, help_text="Partner agency users only."
    )
    version = models.PositiveIntegerField(default=1)
    job_title = models.CharField(max_length=120, blank=True)
    is_agency_staff = models.BooleanField("temporary (agency) worker", default=False)
    qualified_on = models.DateField(null=True, blank=True)
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


ACCESS_CHAIN_FIELDS = ("user_id", "child_id", "child_identifier", "child_reference", "at", "path", "outcome")


@chained(*ACCESS_CHAIN_FIELDS, strand="user_id")
class AccessLog(models.Model):
    """Every view of a child's record, and every refused attempt.

    Append-only and hash-chained (core/chain.py): written only through accounts.access_records. The
    child is kept as it was written (no database constraint, nothing cleared or moved when a child is
    merged or deleted), with its LA child ID at the time.
    """

    Outcome = AccessOutcome

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_logs")
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="access_logs",
    )
    child_identifier = models.CharField(max_length=64, blank=True, help_text="The child's LA child ID then.")
    child_reference = models.CharField(max_length=64, blank=True, help_text="What was asked for.")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    path = models.CharField(max_length=500)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.VIEWED)
    row_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"]), models.Index(fields=["user", "-at"]),
                   models.Index(fields=["user", "-id"])]  # the last row of a user's strand (core/chain.py)


class SignInAttempt(models.Model):
    """Recent sign-in attempts, for throttling by account and by client address.

    A table rather than a cache, so that every web process sees the same counts. Rows older than a day
    are deleted as new ones are written (the audit log keeps the history).
    """

    class Kind(models.TextChoices):
        PASSWORD = "password", "Password"
        CODE = "code", "Set-up or recovery code"

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        REFUSED = "refused", "Refused without checking (locked or throttled)"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PASSWORD)
    username = models.CharField(max_length=150, help_text="As typed, in lower case.")
    address = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["kind", "username", "at"], name="signin_attempt_user"),
            models.Index(fields=["kind", "address", "at"], name="signin_attempt_address"),
        ]


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives a user out of band, so that they can set up two-factor
    sign-in. Only its hash is stored; a new code voids the old; it expires and is used once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]


class RecoveryCode(models.Model):
    """A single-use code, given at two-factor set-up, that can stand in for an authenticator code."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]


class ApprovalRequest(models.Model):
    """A change that needs a second person: an account or role that can see children's records
    (approved by a service manager), or resetting someone's two-factor sign-in (another administrator
    or a service manager). Nobody approves their own request, or a request about themselves."""

    class Kind(models.TextChoices):
        NEW_ACCOUNT = "new_account", "New account"
        ROLE_CHANGE = "role_change", "Change of role"
        TWO_FACTOR_RESET = "two_factor_reset", "Reset of two-factor sign-in"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Replaced by a later change"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    subject = models.ForeignKey(User, on_delete=models.PROTECT, related_name="approval_requests")
    requested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Empty when the system set-up gave the approval (the synthetic authority and the demo).",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    old_role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    new_role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    old_agency = models.CharField(max_length=16, choices=Agency.choices, blank=True)
    new_agency = models.CharField(max_length=16, choices=Agency.choices, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was declined, or how the system approved it.")

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "-requested_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.subject}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
