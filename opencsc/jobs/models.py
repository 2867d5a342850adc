"""Background jobs as users see them, the workers' heartbeats and the nightly runs.

A Job is one piece of work a user (or the nightly scheduler) asked for: a statutory return, a scorecard
snapshot... It is run by a worker (`manage.py worker`) through django-tasks' database backend; the
django-tasks row (`task_result_id`) is the queue's, this row is what the user sees. Params hold no
personal data (ids and dates only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        RETRYING = "retrying", "Waiting to try again"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    ACTIVE = (State.QUEUED, State.RUNNING, State.RETRYING)

    kind = models.CharField(max_length=64, help_text="The registered job (opencsc/<app>/jobs.py).")
    title = models.CharField(max_length=200)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="Empty for nightly and system jobs.")
    params = models.JSONField(default=dict, blank=True)
    lock_key = models.CharField(max_length=200, blank=True, default="",
                                help_text="Exclusive jobs: no two active jobs share a lock key.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=1)
    error = models.TextField(blank=True, help_text="Why it failed, in plain English, shown to the user.")
    error_detail = models.TextField(blank=True, help_text="The technical detail, for administrators.")
    result_url_name = models.CharField(max_length=100, blank=True)
    result_args = models.JSONField(default=list, blank=True)
    result_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True, help_text="The django-tasks result.")
    worker_id = models.CharField(max_length=64, blank=True, help_text="The worker running it now.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["started_by", "-created_at"]), models.Index(fields=["state"])]
        constraints = [
            # Two clicks, two users or two workers cannot both have the same exclusive job active.
            models.UniqueConstraint(
                fields=["lock_key"], condition=Q(state__in=["queued", "running", "retrying"]) & ~Q(lock_key=""),
                name="jobs_one_active_job_per_lock"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE

    @property
    def percent(self) -> int:
        if self.state == self.State.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def result_url(self) -> str:
        if not self.result_url_name:
            return ""
        try:
            return reverse(self.result_url_name, args=self.result_args)
        except NoReverseMatch:
            return ""


class WorkerHeartbeat(models.Model):
    """A worker reports in every OPENCSC_WORKER_HEARTBEAT_SECONDS; /readyz needs a recent one."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return f"{self.hostname} (process {self.pid})"


class NightlyRun(models.Model):
    """A nightly job enqueued for one date: at most once, however many workers schedule."""

    kind = models.CharField(max_length=64)
    run_date = models.DateField()
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-run_date", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "run_date"], name="jobs_one_nightly_run_per_date")]

    def __str__(self):
        return f"{self.kind} for {self.run_date:%-d %b %Y}"
