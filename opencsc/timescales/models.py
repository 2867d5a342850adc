"""The authority's own timescale settings, closure days and the reasons recorded for late work.

The rules themselves are data in ``core/rules.py``; these tables hold only what the
authority changes (local-practice values, closure days) and what workers record.
"""

from django.conf import settings
from django.db import models

from opencsc.people.models import Child


class LocalRuleSetting(models.Model):
    """The authority's values for one local-practice rule (see ``core.rules.effective_rule``)."""

    rule_code = models.CharField(max_length=64, unique=True)
    values = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rule_code"]

    def __str__(self):
        return f"Local setting for {self.rule_code}"


class ClosureDay(models.Model):
    """A day the authority's offices are closed, on top of weekends and bank holidays."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"Closure day {self.date:%d %b %Y}: {self.reason}"


class MissedTimescaleReason(models.Model):
    """Why a timescale was missed, for one clock of one rule for one child."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="missed_timescale_reasons")
    rule_code = models.CharField(max_length=64)
    scope = models.CharField(max_length=100, blank=True)
    due_date = models.DateField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule_code", "scope", "due_date"], name="timescales_one_reason_per_clock"
            )
        ]
        indexes = [models.Index(fields=["child", "rule_code"])]

    def __str__(self):
        return f"Missed {self.rule_code} due {self.due_date:%d %b %Y}"


class DueReminder(models.Model):
    """Each worker's due-list counts, worked out overnight (the nightly job timescales.due_reminders):
    how many of their children's items are overdue, and how many are due within the next
    OPENCSC_REMINDER_WORKING_DAYS working days. Counts only: no child is named here."""

    worker = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    as_at = models.DateField()
    due_by = models.DateField(help_text="The last day counted as due soon.")
    overdue = models.PositiveIntegerField(default=0)
    due_soon = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.worker}: {self.overdue} overdue, {self.due_soon} due by {self.due_by}"
