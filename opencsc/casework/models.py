from django.conf import settings
from django.db import models

from opencsc.accounts.models import Team
from opencsc.people.models import Child


class Allocation(models.Model):
    """Which worker and team held the child, from when to when."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="allocations")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["child", "end_date"]),
            models.Index(fields=["worker", "end_date"]),
            models.Index(fields=["team", "end_date"]),
        ]


class CaseNote(models.Model):
    class NoteType(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        OFFICE_VISIT = "office_visit", "Office or school visit"
        PHONE_CALL = "phone_call", "Telephone call"
        CONTACT_WITH_PROFESSIONAL = "professional", "Contact with a professional"
        MANAGEMENT_OVERSIGHT = "management_oversight", "Management oversight"
        SUPERVISION = "supervision", "Supervision discussion"
        DIRECT_WORK = "direct_work", "Direct work with the child"
        OUT_OF_HOURS = "out_of_hours", "Out-of-hours action"
        CASE_NOTE = "case_note", "Case note"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="case_notes")
    note_type = models.CharField(max_length=32, choices=NoteType.choices, default=NoteType.CASE_NOTE)
    contact_date = models.DateField("date of contact")
    child_seen = models.BooleanField(default=False)
    child_seen_alone = models.BooleanField("child seen alone", default=False)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_notes")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-contact_date", "-id"]
        indexes = [models.Index(fields=["child", "-contact_date"])]

    def __str__(self):
        return self.subject


class ChronologyEntry(models.Model):
    """A significant event entered by hand (events recorded elsewhere appear automatically)."""

    class Significance(models.TextChoices):
        NORMAL = "normal", "Significant"
        HIGH = "high", "Highly significant"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="chronology_entries")
    event_date = models.DateField()
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    significance = models.CharField(max_length=16, choices=Significance.choices, default=Significance.NORMAL)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-event_date", "-id"]
        verbose_name_plural = "chronology entries"


class Document(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
