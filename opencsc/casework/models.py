from django.conf import settings
from django.db import models

from opencsc.accounts.models import Team
from opencsc.people.models import Child

from .uploads import CHOICES as DOCUMENT_TYPES


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
    # What the file is, recognised from its bytes when it was uploaded (casework.uploads); empty for files
    # uploaded before the content was checked, which are served as plain bytes.
    detected_type = models.CharField(max_length=16, blank=True, choices=DOCUMENT_TYPES)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]


class Plan(models.Model):
    """A plan for a child (child in need, child protection, later care and pathway plans).

    Each action says what must change, who does it, by when and how progress is judged.
    The owning app links its own record (CIN plan, CP plan…) to one Plan.
    """

    class Kind(models.TextChoices):
        CHILD_IN_NEED = "cin", "Child in need plan"
        CHILD_PROTECTION = "cp", "Child protection plan"
        CARE = "care", "Care plan"
        PATHWAY = "pathway", "Pathway plan"
        EARLY_HELP = "early_help", "Early help plan"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plans")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    summary = models.TextField("what needs to change for the child", blank=True)
    contingency = models.TextField("contingency plan", blank=True)
    child_friendly_summary = models.TextField("the plan in words the child understands", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["child", "kind", "end_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.start_date:%d %b %Y}"


class PlanAction(models.Model):
    """A SMART action: what must change, who does it, by when, how progress is judged."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        OFF_TRACK = "off_track", "Not on track"
        DONE = "done", "Done"
        STOPPED = "stopped", "No longer needed"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    what_must_change = models.TextField()
    action = models.TextField("what will be done")
    responsible = models.CharField("who will do it", max_length=200)
    responsible_agency = models.CharField(max_length=100, blank=True)
    due_date = models.DateField("by when")
    measure = models.TextField("how we will know it has worked")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.action[:80]


class Meeting(models.Model):
    """A meeting about a child: CIN meeting, core group, strategy meeting, conference, review."""

    class Kind(models.TextChoices):
        CIN_MEETING = "cin_meeting", "Child in need meeting"
        CORE_GROUP = "core_group", "Core group"
        STRATEGY = "strategy", "Strategy discussion"
        ICPC = "icpc", "Initial child protection conference"
        CP_REVIEW = "cp_review", "Child protection review conference"
        TRANSFER_IN = "transfer_in", "Transfer-in conference"
        CLA_REVIEW = "cla_review", "Looked-after child review"
        OTHER = "other", "Other meeting"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="meetings")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    held_on = models.DateField()
    chair = models.CharField(max_length=150, blank=True)
    child_attended = models.BooleanField(default=False)
    child_contributed = models.BooleanField("child's views shared", default=False)
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        # With the plan, also covers the due list's "latest meeting of each kind for each plan".
        indexes = [models.Index(fields=["child", "kind", "plan", "held_on"], name="casework_meeting_clock_idx")]


class MeetingAttendance(models.Model):
    """Who was invited to a meeting, from which agency, and whether they came."""

    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        SENT_REPORT = "report", "Sent a report, did not attend"
        APOLOGIES = "apologies", "Gave apologies"
        ABSENT = "absent", "Invited, did not attend"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    name = models.CharField(max_length=150)
    agency = models.CharField(max_length=100, help_text="e.g. Police, Health, Education, Children's social care")
    role = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ATTENDED)


class ActionProgress(models.Model):
    """Progress on a plan action, recorded at a core group or CIN meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="progress")
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=16, choices=PlanAction.Status.choices)
    comment = models.TextField()


class Visit(models.Model):
    """A statutory or planned visit to the child (CIN, CP, looked-after, care leaver)."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment visit"
        CIN = "cin", "Child in need visit"
        CP = "cp", "Child protection visit"
        CLA = "cla", "Statutory visit to a child in care"
        PA = "pa", "Personal adviser visit"
        PRIVATE_FOSTERING = "private_fostering", "Private fostering visit"
        OTHER = "other", "Other visit"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    visited_on = models.DateField()
    child_seen = models.BooleanField(default=True)
    child_seen_alone = models.BooleanField(default=False)
    bedroom_seen = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        # Covers the due list's "latest visit of each kind" (child_seen included): no table reads.
        indexes = [models.Index(fields=["child", "kind", "visited_on", "child_seen"], name="casework_visit_clock_idx")]


class OversightRecord(models.Model):
    """Management oversight or supervision of the child's case, recorded on the child's file."""

    class Kind(models.TextChoices):
        MANAGEMENT_OVERSIGHT = "oversight", "Management oversight"
        SUPERVISION = "supervision", "Supervision"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="oversight_records")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.MANAGEMENT_OVERSIGHT)
    held_on = models.DateField("date of oversight")
    decisions = models.TextField("decisions and rationale")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["child", "-held_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.held_on:%d %b %Y}"


class OversightAction(models.Model):
    """An action set at management oversight or supervision: what, who owns it, by when."""

    record = models.ForeignKey(OversightRecord, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.CharField("who will do it", max_length=150)
    due_date = models.DateField("by when")
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.action[:80]


class ChronologyAnalysis(models.Model):
    """The worker's analysis of one chronology entry: what it means for the child (the court chronology's
    last column).

    Keyed to the entry by (child, kind, source_id, seq), as the event log (core.Event) names it, and not
    by a foreign key: the event log's rows are written again whenever their record changes.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="chronology_analyses")
    kind = models.CharField(max_length=64)
    source_id = models.BigIntegerField()
    seq = models.PositiveIntegerField(default=0)
    text = models.TextField("analysis")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "chronology analyses"
        constraints = [
            models.UniqueConstraint(fields=["child", "kind", "source_id", "seq"], name="chronology_analysis_once"),
        ]

    def __str__(self):
        return f"Analysis of {self.kind} {self.source_id}"
