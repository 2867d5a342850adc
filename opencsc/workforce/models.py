"""Workforce: the authority's caseload settings, worker profiles and supervision sessions.

Allocations themselves are casework's `Allocation` (written through `casework.services.allocation_transfer`);
case discussions at supervision are casework `OversightRecord`s of the "supervision" kind, on the child's file.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from opencsc.people.models import Child


class WorkforceSettings(models.Model):
    """The authority's settings for weighted caseloads and supervision (one row, pk 1)."""

    base_weight = models.DecimalField(
        "weight of a child in need", max_digits=4, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("10"))],
        help_text="Every allocated child counts at least this much",
    )
    cp_weight = models.DecimalField(
        "weight of a child on a child protection plan", max_digits=4, decimal_places=2, default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("10"))],
    )
    cla_weight = models.DecimalField(
        "weight of a child in care", max_digits=4, decimal_places=2, default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("10"))],
    )
    court_weight = models.DecimalField(
        "extra weight while care proceedings are open", max_digits=4, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
    )
    caseload_limit = models.DecimalField(
        "weighted caseload limit", max_digits=5, decimal_places=1, default=Decimal("18.0"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
        help_text="For a full-time worker; scaled by the worker's full-time equivalent",
    )
    asye_caseload_limit = models.DecimalField(
        "weighted caseload limit for a newly qualified worker (ASYE)", max_digits=5, decimal_places=1,
        default=Decimal("12.0"), validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
    )
    supervision_every_days = models.PositiveSmallIntegerField(
        "supervision due every (days)", default=28, validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    asye_supervision_every_days = models.PositiveSmallIntegerField(
        "supervision due every (days) for a newly qualified worker (ASYE)", default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    many_workers = models.PositiveSmallIntegerField(
        "number of social workers in 12 months that is flagged", default=3,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "workforce settings"
        verbose_name_plural = "workforce settings"

    def __str__(self):
        return "Workforce settings"


class WorkerProfile(models.Model):
    """What the caseload view needs to know about a worker beyond their account."""

    class Experience(models.TextChoices):
        ASYE = "asye", "Newly qualified (ASYE)"
        EXPERIENCED = "experienced", "Experienced"
        SENIOR = "senior", "Senior"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worker_profile")
    experience = models.CharField("experience level", max_length=16, choices=Experience.choices,
                                  default=Experience.EXPERIENCED)
    fte = models.DecimalField(
        "full-time equivalent", max_digits=3, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("1.00"))],
        help_text="1.00 for full time, 0.6 for three days a week",
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Worker profile of {self.user.get_full_name() or self.user.username}"


class SupervisionSession(models.Model):
    """An individual or group supervision session. Case discussions go on each child's file."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual supervision"
        GROUP = "group", "Group supervision"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INDIVIDUAL)
    held_on = models.DateField("date of supervision")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="supervisions_given")
    supervisees = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="supervisions")
    notes = models.TextField("reflection, wellbeing and development", blank=True,
                             help_text="Kept with the session, not on any child's file")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["-held_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.held_on:%d %b %Y}"


class CaseDiscussion(models.Model):
    """A child's case discussed at supervision: the decisions are an oversight record on the child's file."""

    session = models.ForeignKey(SupervisionSession, on_delete=models.CASCADE, related_name="discussions")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="supervision_discussions")
    oversight = models.OneToOneField("casework.OversightRecord", on_delete=models.CASCADE,
                                     related_name="supervision_discussion")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["session", "child"], name="one_discussion_per_child")]

    def __str__(self):
        return f"Case discussion at {self.session}"
