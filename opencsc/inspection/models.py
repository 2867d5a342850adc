"""Inspections of the authority's children's services and the action plans that answer them.

An inspection (ILACS, focused visit, JTAI or monitoring visit) has the areas for improvement its
report names, each possibly a "priority action" and linked to performance indicators by key; each
area has actions with an owner and a due date, and each action its progress updates. Records
people edit carry a `version` (core.audit.update_with_history refuses stale saves).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Judgement(models.TextChoices):
    """Ofsted's four-point scale."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
    INADEQUATE = "inadequate", "Inadequate"


class Inspection(models.Model):
    class Kind(models.TextChoices):
        ILACS_STANDARD = "ilacs_standard", "ILACS standard inspection"
        ILACS_SHORT = "ilacs_short", "ILACS short inspection"
        FOCUSED_VISIT = "focused_visit", "Focused visit"
        JTAI = "jtai", "Joint targeted area inspection (JTAI)"
        MONITORING_VISIT = "monitoring_visit", "Monitoring visit"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    started_on = models.DateField("first day of the inspection")
    ended_on = models.DateField("last day of the inspection")
    report_received_on = models.DateField("date the final report was received", null=True, blank=True)
    published_on = models.DateField("date the report was published", null=True, blank=True)
    overall_judgement = models.CharField(max_length=32, choices=Judgement.choices, blank=True)
    leaders_judgement = models.CharField(
        "the impact of leaders on social work practice with children and families",
        max_length=32, choices=Judgement.choices, blank=True)
    help_and_protection_judgement = models.CharField(
        "the experiences and progress of children who need help and protection",
        max_length=32, choices=Judgement.choices, blank=True)
    children_in_care_judgement = models.CharField(
        "the experiences and progress of children in care", max_length=32, choices=Judgement.choices, blank=True)
    care_leavers_judgement = models.CharField(
        "the experiences and progress of care leavers", max_length=32, choices=Judgement.choices, blank=True)
    report_url = models.URLField("link to the report", max_length=500, blank=True)
    plan_submitted_on = models.DateField("date the action plan was sent to Ofsted", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_on", "-pk"]

    JUDGEMENT_FIELDS = ("overall_judgement", "leaders_judgement", "help_and_protection_judgement",
                        "children_in_care_judgement", "care_leavers_judgement")

    def __str__(self):
        return f"{self.get_kind_display()}, {self.started_on:%-d %b %Y}"


class AreaForImprovement(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="areas")
    text = models.TextField("area for improvement, as in the report")
    is_priority_action = models.BooleanField("area for priority action", default=False)
    order = models.PositiveIntegerField(default=1)
    indicator_keys = models.JSONField("linked performance indicators", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["inspection", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.text[:80]}"


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    area = models.ForeignKey(AreaForImprovement, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField("what will be done")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_actions")
    due_on = models.DateField("due date")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    evidence_of_impact = models.TextField("evidence of impact", blank=True)
    completed_on = models.DateField("date done", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["owner", "status"])]

    def __str__(self):
        return self.description[:80]

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE


class ActionUpdate(models.Model):
    """A progress update on an action: what was done, the status it left, who wrote it and when."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    note = models.TextField("progress")
    status = models.CharField(max_length=16, choices=Action.Status.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self):
        return f"Update on {self.action_id} by {self.author_id}"
