"""Health, education, contact and rights of children in care.

What the SSDA903 OC2 file and the virtual school need to know about a looked-after
child: health assessments, dental checks, immunisations and other health facts,
strengths and difficulties questionnaires (SDQ), personal education plans (PEPs),
each term's school, attendance and attainment, exclusions; contact arrangements;
advocacy offers, complaints and when the child was told their rights.

Each record belongs to the child (people.Child). Which period of care it falls in is
read from its date (care.PeriodOfCare), so there is one copy of each date.
No business logic here: the rules are in rules.py and services.py.
"""

from django.conf import settings
from django.db import models

from opencsc.codes.lists import SDQ_REASON
from opencsc.people.models import Child


class _Recorded(models.Model):
    """Who recorded it and when (every wellbeing record)."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


# --- Health ---------------------------------------------------------------------------------


class HealthAssessment(_Recorded):
    """An initial or review health assessment (Care Planning Regulations 2010 reg 7)."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial health assessment"
        REVIEW = "review", "Review health assessment"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="health_assessments")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    assessment_date = models.DateField("date of the assessment")
    assessed_by = models.CharField("who carried it out", max_length=150)
    outcome = models.TextField("outcome and recommendations")

    class Meta:
        ordering = ["-assessment_date", "-id"]
        indexes = [models.Index(fields=["child", "-assessment_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.assessment_date:%d %b %Y}"


class DentalCheck(_Recorded):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="dental_checks")
    check_date = models.DateField("date of the dental check")
    dentist = models.CharField("dentist or practice", max_length=150, blank=True)
    notes = models.TextField("treatment needed or advice", blank=True)

    class Meta:
        ordering = ["-check_date", "-id"]
        indexes = [models.Index(fields=["child", "-check_date"])]

    def __str__(self):
        return f"Dental check on {self.check_date:%d %b %Y}"


class HealthStatus(_Recorded):
    """The child's health as the OC2 file asks it, as known on a date (the latest one counts)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="health_statuses")
    recorded_on = models.DateField("date these facts were checked")
    immunisations_up_to_date = models.BooleanField("immunisations up to date")
    development_check_up_to_date = models.BooleanField(
        "development assessments up to date (children under 5)", null=True, blank=True
    )
    substance_misuse = models.BooleanField("substance misuse identified")
    intervention_offered = models.BooleanField("intervention for substance misuse offered", null=True, blank=True)
    intervention_received = models.BooleanField("intervention for substance misuse received", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name = "health status"
        verbose_name_plural = "health statuses"
        indexes = [models.Index(fields=["child", "-recorded_on"])]

    def __str__(self):
        return f"Health checked on {self.recorded_on:%d %b %Y}"


class SDQ(_Recorded):
    """A strengths and difficulties questionnaire: a score (0 to 40), or the DfE reason there is none."""

    class CompletedBy(models.TextChoices):
        CARER = "carer", "Carer"
        TEACHER = "teacher", "Teacher"
        YOUNG_PERSON = "young_person", "The young person (self-report)"
        OTHER = "other", "Someone else"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="sdqs")
    completed_on = models.DateField("date of the questionnaire")
    score = models.PositiveSmallIntegerField("total difficulties score", null=True, blank=True)
    completed_by = models.CharField("who completed it", max_length=16, choices=CompletedBy.choices, blank=True)
    reason_not_done = models.CharField(
        "reason there is no score", max_length=4, choices=SDQ_REASON.choices, blank=True
    )

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = "strengths and difficulties questionnaire"
        verbose_name_plural = "strengths and difficulties questionnaires"
        indexes = [models.Index(fields=["child", "-completed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=40), name="wellbeing_sdq_score_0_to_40"
            ),
        ]

    def __str__(self):
        return f"SDQ on {self.completed_on:%d %b %Y}"


# --- Education ------------------------------------------------------------------------------


class PEP(_Recorded):
    """A personal education plan meeting (initiated, then reviewed each term)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft: not yet agreed"
        COMPLETE = "complete", "Complete: agreed and signed off"

    class Quality(models.TextChoices):
        GOOD = "good", "Good"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="peps")
    meeting_date = models.DateField("date of the PEP meeting")
    status = models.CharField(max_length=10, choices=Status.choices)
    targets = models.TextField("SMART targets for the term")
    virtual_school_view = models.TextField("the virtual school's view", blank=True)
    quality_rating = models.CharField(
        "the virtual school's quality rating", max_length=24, choices=Quality.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-meeting_date", "-id"]
        verbose_name = "personal education plan"
        indexes = [models.Index(fields=["child", "-meeting_date"])]

    def __str__(self):
        return f"PEP on {self.meeting_date:%d %b %Y}"


class Term(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


class EducationTerm(_Recorded):
    """Where the child went to school in a term, their attendance and attainment."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="education_terms")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts: 2025 for 2025/26")
    term = models.CharField(max_length=6, choices=Term.choices)
    school_name = models.CharField(max_length=150)
    school_urn = models.CharField("school URN", max_length=6, blank=True)
    attendance_percent = models.DecimalField("attendance (%)", max_digits=4, decimal_places=1)
    attainment = models.TextField("attainment and progress", blank=True)

    class Meta:
        ordering = ["-academic_year", "-id"]
        verbose_name = "school term"
        constraints = [
            models.UniqueConstraint(fields=["child", "academic_year", "term"], name="wellbeing_one_record_per_term"),
        ]

    def __str__(self):
        return f"{self.get_term_display()} term {self.year_label}"

    @property
    def year_label(self) -> str:
        return f"{self.academic_year}/{(self.academic_year + 1) % 100:02d}"


class Exclusion(_Recorded):
    class Kind(models.TextChoices):
        SUSPENSION = "suspension", "Suspension (fixed-period exclusion)"
        PERMANENT = "permanent", "Permanent exclusion"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="exclusions")
    start_date = models.DateField("first day of the exclusion")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    school_days = models.PositiveSmallIntegerField("school days missed", null=True, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["child", "-start_date"])]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.start_date:%d %b %Y}"


# --- Contact --------------------------------------------------------------------------------


class ContactArrangement(_Recorded):
    """Who the child sees (family time), how often, and whether it is supervised."""

    class Frequency(models.TextChoices):
        SEVERAL_WEEKLY = "several_weekly", "More than once a week"
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Fortnightly"
        MONTHLY = "monthly", "Monthly"
        FEW_TIMES_YEAR = "few_times_year", "A few times a year"
        YEARLY = "yearly", "Once a year (including letterbox)"
        NONE = "none", "No direct contact"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contact_arrangements")
    with_whom = models.CharField("who the contact is with", max_length=150)
    relationship = models.CharField("their relationship to the child", max_length=80)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    supervised = models.BooleanField()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    notes = models.TextField("arrangements and the child's views", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["end_date", "-start_date", "-id"]
        indexes = [models.Index(fields=["child", "-start_date"])]

    def __str__(self):
        return f"Contact with {self.with_whom} from {self.start_date:%d %b %Y}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


# --- Rights, advocacy and complaints --------------------------------------------------------


class AdvocacyOffer(_Recorded):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="advocacy_offers")
    offered_on = models.DateField("date advocacy was offered")
    offered_by = models.CharField("who offered it", max_length=150)
    accepted = models.BooleanField("the child accepted", null=True, blank=True)
    advocate = models.CharField("advocate or advocacy service", max_length=150, blank=True)

    class Meta:
        ordering = ["-offered_on", "-id"]

    def __str__(self):
        return f"Advocacy offered on {self.offered_on:%d %b %Y}"


class Complaint(_Recorded):
    """A complaint by or for the child (Children Act 1989 representations procedure)."""

    class Stage(models.TextChoices):
        STAGE_1 = "1", "Stage 1: local resolution"
        STAGE_2 = "2", "Stage 2: investigation"
        STAGE_3 = "3", "Stage 3: review panel"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        PARTLY_UPHELD = "partly_upheld", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"
        WITHDRAWN = "withdrawn", "Withdrawn"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="complaints")
    received_on = models.DateField("date received")
    stage = models.CharField(max_length=1, choices=Stage.choices, default=Stage.STAGE_1)
    summary = models.TextField("what the complaint is about")
    outcome = models.CharField(max_length=14, choices=Outcome.choices, blank=True)
    outcome_date = models.DateField("date of the outcome", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"Complaint received {self.received_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return not self.outcome


class RightsExplained(_Recorded):
    """When the child was told their rights and entitlements, and by whom."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="rights_explained")
    explained_on = models.DateField("date the child was told their rights")
    explained_by = models.CharField("who told them", max_length=150)
    how = models.TextField("how (for example, the children in care pledge in a way they understand)", blank=True)

    class Meta:
        ordering = ["-explained_on", "-id"]
        verbose_name = "rights explained"
        verbose_name_plural = "rights explained"

    def __str__(self):
        return f"Rights explained on {self.explained_on:%d %b %Y}"
