"""Weekly snapshots of every indicator, for the authority, each service and each team.

A Snapshot is the figures as they stood on `as_at`. Its FigureRows are the rows each measure
returned, with the team they were attributed to, so the drill-down lists exactly the children
behind the number shown, even when records have changed since. Targets and commentary keep their
history: each change adds a row; the latest is the one in force.
"""

from django.conf import settings
from django.db import models


class ScopeKind(models.TextChoices):
    AUTHORITY = "authority", "The authority"
    SERVICE = "service", "Service"
    TEAM = "team", "Team"


class Snapshot(models.Model):
    as_at = models.DateField(unique=True)
    taken_at = models.DateTimeField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-as_at"]

    def __str__(self):
        return f"Scorecard as at {self.as_at:%-d %b %Y}"


class Figure(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figures")
    indicator = models.CharField(max_length=64)
    scope_kind = models.CharField(max_length=16, choices=ScopeKind.choices)
    scope_key = models.CharField(max_length=64, blank=True)
    # percent: rows met / rows counted; average: total of values / rows with a value;
    # per_worker: rows / distinct workers.
    numerator = models.FloatField(default=0)
    denominator = models.IntegerField(default=0)
    value = models.FloatField(null=True, blank=True)  # None: no data (an empty denominator)
    available = models.BooleanField(default=True)  # False: the measure could not be run

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "indicator", "scope_kind", "scope_key"],
                                    name="performance_figure_unique"),
        ]
        indexes = [models.Index(fields=["indicator", "scope_kind", "scope_key"])]


class FigureRow(models.Model):
    """One row a measure returned, as at the snapshot, with the team it was attributed to."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="rows")
    indicator = models.CharField(max_length=64)
    team_id = models.IntegerField(null=True, blank=True)  # None: unallocated
    service = models.CharField(max_length=32, blank=True)
    child_id = models.IntegerField(null=True, blank=True)
    worker_id = models.IntegerField(null=True, blank=True)
    met = models.BooleanField(null=True, blank=True)
    ref = models.CharField(max_length=200, blank=True)
    on = models.DateField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["snapshot", "indicator", "team_id"]),
            models.Index(fields=["snapshot", "indicator", "service"]),
        ]


class Target(models.Model):
    """The authority's target for an indicator in a scope. Each change is a new version."""

    indicator = models.CharField(max_length=64)
    scope_kind = models.CharField(max_length=16, choices=ScopeKind.choices)
    scope_key = models.CharField(max_length=64, blank=True)
    target = models.FloatField()
    amber_tolerance = models.FloatField()
    version = models.PositiveIntegerField(default=1)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "scope_kind", "scope_key", "version"],
                                    name="performance_target_version_unique"),
        ]


class Commentary(models.Model):
    """A manager's analysis next to a figure. Editing adds a new entry; the history is kept."""

    indicator = models.CharField(max_length=64)
    scope_kind = models.CharField(max_length=16, choices=ScopeKind.choices)
    scope_key = models.CharField(max_length=64, blank=True)
    as_at = models.DateField(help_text="The week (snapshot date) the commentary is about.")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["indicator", "scope_kind", "scope_key", "as_at"])]
