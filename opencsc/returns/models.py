"""Runs of the statutory returns: what was asked for, the files made, and the validation issues found.

Files are kept in the database (`ReturnRunFile.content`, a BinaryField), not under var/: a return is
at most a few megabytes, it holds every child's details (restricted children too) so it belongs with
the records under the database's own access control and backups, and a run and its files are then
saved, or not, in one transaction on SQLite and PostgreSQL alike. Lists never load the content.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.dateformat import format as date_format

from .registry import KIND_CHOICES


class ReturnRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    year = models.PositiveIntegerField("collection year (the year it ends)", null=True, blank=True)
    start = models.DateField("period start", null=True, blank=True)
    end = models.DateField("period end", null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    validated = models.BooleanField(default=False, help_text="The return's validation rules were run.")
    error_count = models.PositiveIntegerField(default=0)
    query_count = models.PositiveIntegerField(default=0)
    failure = models.TextField("what went wrong", blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["kind", "-requested_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.describe_period()}"

    def describe_period(self) -> str:
        if self.year:
            return f"{self.year - 1} to {self.year}"
        if self.start and self.end:
            return f"{date_format(self.start, 'j M Y')} to {date_format(self.end, 'j M Y')}"
        return ""


class ReturnRunFile(models.Model):
    run = models.ForeignKey(ReturnRun, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="one_file_name_per_run")]

    def __str__(self):
        return self.name


class ValidationIssue(models.Model):
    """One failed rule for one record, as the run found it (so a report pages without re-running)."""

    class Severity(models.TextChoices):
        ERROR = "error", "Error"
        QUERY = "query", "Query"

    run = models.ForeignKey(ReturnRun, on_delete=models.CASCADE, related_name="issues")
    rule = models.CharField(max_length=20)
    message = models.TextField()
    severity = models.CharField(max_length=5, choices=Severity.choices, default=Severity.ERROR)
    child = models.ForeignKey("people.Child", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    child_reference = models.CharField(max_length=64, blank=True)
    field = models.CharField(max_length=60, blank=True)
    table = models.CharField(max_length=60, blank=True)
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text="The team holding the child when the run was made.")

    class Meta:
        ordering = ["rule", "child_reference", "id"]
        indexes = [models.Index(fields=["run", "rule"]), models.Index(fields=["run", "severity"]),
                   models.Index(fields=["run", "team"])]

    def __str__(self):
        return f"{self.rule}: {self.child_reference or 'return'}"
