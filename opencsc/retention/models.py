"""Record-keeping periods, legal holds, approvals to destroy records, and the stubs destruction leaves.

No business logic here: the rules are in rules.py, the writes in services.py and destruction.py.
"""

from django.conf import settings
from django.db import models

from opencsc.people.models import Child

from . import rules


class RecordClass(models.TextChoices):
    ADOPTION = rules.ADOPTION, "Adoption case record"
    LOOKED_AFTER = rules.LOOKED_AFTER, "Record of a child looked after"
    OTHER = rules.OTHER, "Other child's record"


class RunsFrom(models.TextChoices):
    BIRTH = rules.BIRTH, "The child's date of birth"
    ADOPTION_ORDER = rules.ADOPTION_ORDER, "The date of the adoption order"


class RetentionRule(models.Model):
    """How long one class of record is kept (see rules.py), with the floor it may not go below."""

    record_class = models.CharField(max_length=16, choices=RecordClass.choices, unique=True)
    name = models.CharField(max_length=100)
    runs_from = models.CharField("the period runs from", max_length=16, choices=RunsFrom.choices)
    years = models.PositiveSmallIntegerField("years")
    minimum_years = models.PositiveSmallIntegerField("the fewest years allowed")
    after_death_years = models.PositiveSmallIntegerField(
        "years after the death of a child who died before 18", null=True, blank=True)
    minimum_after_death_years = models.PositiveSmallIntegerField(null=True, blank=True)
    is_statutory = models.BooleanField("the floor is set by law", default=False)
    source = models.TextField("where the period comes from")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name

    def as_period(self) -> rules.Period:
        return rules.Period(
            record_class=self.record_class, name=self.name, runs_from=self.runs_from, years=self.years,
            minimum_years=self.minimum_years, after_death_years=self.after_death_years,
            minimum_after_death_years=self.minimum_after_death_years, is_statutory=self.is_statutory,
            source=self.source)


class LegalHold(models.Model):
    """Records that must not be destroyed whatever their period (litigation, an inquiry, a request for
    the records): while a hold is in force the child is never offered for destruction."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="retention_holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["child", "released_at"])]

    def __str__(self):
        return f"Legal hold {self.pk}"

    @property
    def in_force(self) -> bool:
        return self.released_at is None


class DestructionRequest(models.Model):
    """Records approved for destruction by one person, waiting for a second person to confirm (four eyes)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed: records destroyed"
        DECLINED = "declined", "Declined: nothing destroyed"

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField("why these records may be destroyed")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "-requested_at"])]

    def __str__(self):
        return f"Destruction request {self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class DestructionRequestItem(models.Model):
    """One child's records in a request: the LA child ID and the period are kept after destruction."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", "Waiting"
        DESTROYED = "destroyed", "Destroyed"
        KEPT = "kept", "Kept"

    request = models.ForeignKey(DestructionRequest, on_delete=models.CASCADE, related_name="items")
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    la_child_id = models.CharField("LA child ID", max_length=20)
    record_class = models.CharField(max_length=16, choices=RecordClass.choices)
    keep_until = models.DateField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.WAITING)
    outcome_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["keep_until", "la_child_id", "id"]
        indexes = [models.Index(fields=["child", "outcome"])]


class DestructionRecord(models.Model):
    """What is left when a child's records are destroyed: who approved and confirmed it, under which
    period, and how many rows of each table went. Never the child's name or date of birth."""

    la_child_id = models.CharField("LA child ID", max_length=20, db_index=True)
    record_class = models.CharField(max_length=16, choices=RecordClass.choices)
    period = models.CharField("the period applied", max_length=300)
    keep_until = models.DateField()
    request = models.ForeignKey(DestructionRequest, on_delete=models.PROTECT, related_name="destroyed")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()
    approval_reason = models.TextField()
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()
    rows_destroyed = models.JSONField(default=dict, help_text="{table: rows deleted}")

    class Meta:
        ordering = ["-confirmed_at", "-id"]

    def __str__(self):
        return f"Records of {self.la_child_id} destroyed"

    @property
    def total_rows(self) -> int:
        return sum(self.rows_destroyed.values())
