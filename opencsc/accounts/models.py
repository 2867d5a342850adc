from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import Agency, Role, TeamKind


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


class AccessLog(models.Model):
    """Every view of a child's record, and every refused attempt."""

    class Outcome(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_logs")
    child = models.ForeignKey(
        "people.Child", null=True, blank=True, on_delete=models.SET_NULL, related_name="access_logs"
    )
    child_reference = models.CharField(max_length=64, blank=True, help_text="What was asked for.")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    path = models.CharField(max_length=500)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.VIEWED)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"]), models.Index(fields=["user", "-at"])]
