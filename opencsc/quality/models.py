"""Quality assurance: the authority's audit questions, case audits, moderation, themed audits and actions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from opencsc.accounts.models import Team
from opencsc.people.models import Child


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


# Best first: a lower rank is a better grade.
GRADE_RANK = {Grade.OUTSTANDING: 1, Grade.GOOD: 2, Grade.REQUIRES_IMPROVEMENT: 3, Grade.INADEQUATE: 4}


class AuditQuestion(models.Model):
    """One of the authority's audit questions (data the authority edits, not code)."""

    class Area(models.TextChoices):
        LIVED_EXPERIENCE = "lived_experience", "The child's lived experience and voice"
        IMPACT = "impact", "The impact of the work"
        PRACTICE = "practice", "Quality of assessment, planning and direct work"
        OVERSIGHT = "oversight", "Management oversight and supervision"
        COMPLIANCE = "compliance", "Compliance with timescales and procedures"

    area = models.CharField(max_length=20, choices=Area.choices)
    text = models.CharField("question", max_length=300)
    guidance = models.TextField("guidance for the auditor", blank=True)
    order = models.PositiveSmallIntegerField(default=10, validators=[MaxValueValidator(999)])
    is_active = models.BooleanField("in use", default=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text[:80]


class ThemedAudit(models.Model):
    """An audit of a sample from a cohort (for example children on child protection plans in one team)."""

    class Cohort(models.TextChoices):
        CP_PLAN = "cp_plan", "Children on child protection plans"
        IN_CARE = "in_care", "Children in care"
        CHILD_IN_NEED = "child_in_need", "Children in need (open episode, no plan)"
        ALLOCATED = "allocated", "All allocated children"

    title = models.CharField(max_length=150)
    cohort = models.CharField(max_length=20, choices=Cohort.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="Leave blank for the whole authority")
    sample_size = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(200)])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField()

    class Meta:
        ordering = ["-created_on", "-id"]

    def __str__(self):
        return self.title


class CaseAudit(models.Model):
    """One child's case audited: answers to the questions, a grade, and actions for the worker."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="case_audits")
    themed_audit = models.ForeignKey(ThemedAudit, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="audits")
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_audits")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="The team holding the child when the audit started")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text="The worker holding the child when the audit started")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    audited_on = models.DateField(null=True, blank=True)
    grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    summary = models.TextField("what life is like for the child, and what difference the work has made", blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "audited_on"]), models.Index(fields=["child", "-created_at"])]

    def __str__(self):
        return f"Case audit of {self.child}"


class AuditAnswer(models.Model):
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="answers")
    grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [models.UniqueConstraint(fields=["audit", "question"], name="one_answer_per_question")]


class AuditAction(models.Model):
    """An action from an audit for the worker (or manager): what, who, by when, and when done."""

    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_actions")
    due_date = models.DateField("by when")
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.action[:80]


class Moderation(models.Model):
    """A second auditor grades the same case; differences show over- or under-grading."""

    audit = models.OneToOneField(CaseAudit, on_delete=models.CASCADE, related_name="moderation")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderations")
    moderated_on = models.DateField()
    grade = models.CharField(max_length=24, choices=Grade.choices)
    comments = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Moderation of {self.audit}"
