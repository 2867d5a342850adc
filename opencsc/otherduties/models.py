"""Other duties: private fostering, allegations against people who work with children (LADO),
and care proceedings.

A LADO allegation is about an adult, not a child's record: the children involved are an
optional link, and only managers see these records (see policy.may_view_lado). No business
logic here: the rules are in services.py.
"""

from django.conf import settings
from django.db import models

from opencsc.people.models import Child


class PrivateFostering(models.Model):
    """A private fostering arrangement, from the authority's notification."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Assessment not finished"
        SUITABLE = "suitable", "Arrangement suitable"
        SUITABLE_WITH_CONDITIONS = "conditions", "Suitable, with requirements"
        NOT_SUITABLE = "not_suitable", "Not suitable: arrangement prohibited or child moved"

    class EndReason(models.TextChoices):
        RETURNED_HOME = "returned_home", "Child returned to their parents"
        AGE = "age", "Child reached 16 (18 if disabled)"
        LOOKED_AFTER = "looked_after", "Child became looked after"
        MOVED = "moved", "Child or carer moved away"
        PROHIBITED = "prohibited", "Arrangement prohibited"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="private_fostering")
    notified_on = models.DateField("date the authority was notified")
    arrangement_start = models.DateField("date the arrangement started")
    carer_name = models.CharField("private foster carer", max_length=150)
    carer_address = models.CharField("carer's address", max_length=250, blank=True)
    carer_relationship = models.CharField("carer's relationship to the child", max_length=100, blank=True)
    parents_consent = models.BooleanField("the parents agree to the arrangement", default=False)
    outcome = models.CharField("assessment outcome", max_length=12, choices=Outcome.choices, default=Outcome.PENDING)
    suitability = models.TextField("suitability of the arrangement", blank=True)
    ended_on = models.DateField("date the arrangement ended", null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-notified_on", "-id"]
        verbose_name = "private fostering arrangement"

    def __str__(self):
        return f"Private fostering with {self.carer_name} from {self.arrangement_start:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class PrivateFosteringVisit(models.Model):
    arrangement = models.ForeignKey(PrivateFostering, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("date of the visit")
    child_seen = models.BooleanField(default=True)
    child_seen_alone = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = "private fostering visit"


class LadoAllegation(models.Model):
    """An allegation against someone who works with children, from referral to outcome."""

    class Agency(models.TextChoices):
        EDUCATION = "education", "Education"
        EARLY_YEARS = "early_years", "Early years and childcare"
        HEALTH = "health", "Health"
        POLICE = "police", "Police"
        SOCIAL_CARE = "social_care", "Children's social care"
        FOSTER_CARER = "foster_carer", "Foster carer"
        RESIDENTIAL = "residential", "Residential care"
        FAITH = "faith", "Faith group"
        SPORT = "sport", "Sport and leisure"
        VOLUNTARY = "voluntary", "Voluntary and community sector"
        TRANSPORT = "transport", "Transport"
        OTHER = "other", "Other"

    class Outcome(models.TextChoices):
        # Keeping children safe in education / Working together: the five outcomes.
        SUBSTANTIATED = "substantiated", "Substantiated"
        MALICIOUS = "malicious", "Malicious"
        FALSE = "false", "False"
        UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
        UNFOUNDED = "unfounded", "Unfounded"

    received_on = models.DateField("date the employer received the allegation")
    lado_informed_on = models.DateField("date the LADO was told", null=True, blank=True)
    person_name = models.CharField("name of the person", max_length=150)
    person_role = models.CharField("their role", max_length=150)
    employer = models.CharField("employer or organisation", max_length=200)
    agency = models.CharField("sector", max_length=16, choices=Agency.choices)
    allegation = models.TextField("what is alleged")
    children = models.ManyToManyField(Child, blank=True, related_name="+", verbose_name="children involved")
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField("date of the outcome", null=True, blank=True)
    outcome_summary = models.TextField("outcome and action taken", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "LADO allegation"

    def __str__(self):
        return f"Allegation received {self.received_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return not self.outcome


class LadoMeeting(models.Model):
    class Kind(models.TextChoices):
        STRATEGY = "strategy", "Allegations strategy meeting"
        EVALUATION = "evaluation", "Evaluation meeting"

    allegation = models.ForeignKey(LadoAllegation, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    held_on = models.DateField("date of the meeting")
    attendees = models.TextField("who attended, from which agency")
    decisions = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = "LADO meeting"


class CareProceedings(models.Model):
    """Care or supervision proceedings for one child, to be decided within 26 weeks of issue."""

    class FinalOrder(models.TextChoices):
        CARE = "care", "Care order"
        SUPERVISION = "supervision", "Supervision order"
        PLACEMENT = "placement", "Care order and placement order"
        SGO = "sgo", "Special guardianship order"
        CHILD_ARRANGEMENTS = "cao", "Child arrangements order"
        NO_ORDER = "no_order", "No order"
        WITHDRAWN = "withdrawn", "Application withdrawn"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_proceedings")
    court = models.CharField(max_length=150)
    case_number = models.CharField(max_length=40)
    issued_on = models.DateField("date the application was issued")
    final_order = models.CharField(max_length=12, choices=FinalOrder.choices, blank=True)
    final_order_on = models.DateField("date of the final order", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = "care proceedings"
        verbose_name_plural = "care proceedings"

    def __str__(self):
        return f"Care proceedings {self.case_number} issued {self.issued_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.final_order_on is None


class Hearing(models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", "First hearing"
        CMH = "cmh", "Case management hearing"
        IRH = "irh", "Issues resolution hearing"
        FINAL = "final", "Final hearing"
        OTHER = "other", "Other hearing"

    class InterimOrder(models.TextChoices):
        NONE = "", "No interim order"
        ICO = "ico", "Interim care order"
        ISO = "iso", "Interim supervision order"
        ICAO = "icao", "Interim child arrangements order"

    proceedings = models.ForeignKey(CareProceedings, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    held_on = models.DateField("date of the hearing")
    interim_order = models.CharField("interim order made", max_length=4, choices=InterimOrder.choices, blank=True)
    notes = models.TextField("what the court decided", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]


class Extension(models.Model):
    """An extension of the 26 weeks granted by the court: 8 weeks each (rule `care_proceedings`)."""

    proceedings = models.ForeignKey(CareProceedings, on_delete=models.CASCADE, related_name="extensions")
    granted_on = models.DateField("date the extension was granted")
    reason = models.TextField("why the court extended the timetable")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_on", "id"]
        verbose_name = "extension of proceedings"
