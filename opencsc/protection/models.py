"""Child protection records, shaped like the CIN census `Section47` and `ChildProtectionPlans` units.

Dates that a casework Meeting or Plan already holds are read from there (one copy of
each date): a strategy discussion's or conference's date is its meeting's `held_on`,
a CP plan's start and end dates are its casework Plan's. No business logic here: the
rules are in services.py.
"""

from django.conf import settings
from django.db import models

from opencsc.casework.models import Meeting, Plan
from opencsc.codes import CATEGORY_OF_ABUSE
from opencsc.people.models import Child


class StrategyDiscussion(models.Model):
    class Decision(models.TextChoices):
        S47 = "s47", "Start a section 47 enquiry"
        NFA = "nfa", "No further action"
        OTHER = "other", "Other action (for example, a child in need assessment)"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="strategy_discussions")
    episode = models.ForeignKey(
        "assessment.CINEpisode", null=True, blank=True, on_delete=models.PROTECT, related_name="strategy_discussions",
        help_text="The episode of need (CIN census CINdetails) this belongs to",
    )
    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="strategy_discussion")
    information_shared = models.TextField()
    decision = models.CharField(max_length=8, choices=Decision.choices)
    decision_reason = models.TextField("reasons for the decision", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting__held_on", "-id"]

    def __str__(self):
        return f"Strategy discussion on {self.held_on:%d %b %Y}"

    @property
    def held_on(self):
        return self.meeting.held_on


class Section47(models.Model):
    """A section 47 enquiry, started by the strategy discussion that decided on it (its start date)."""

    class Outcome(models.TextChoices):
        SUBSTANTIATED = "substantiated", "Concerns substantiated: initial child protection conference"
        NOT_SUBSTANTIATED = "not_substantiated", "Concerns not substantiated"
        OTHER = "other", "Concerns substantiated, but no conference needed (for example, a child in need plan)"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="section47s")
    episode = models.ForeignKey(
        "assessment.CINEpisode", null=True, blank=True, on_delete=models.PROTECT, related_name="section47s",
        help_text="The episode of need (CIN census CINdetails) this belongs to",
    )
    strategy_discussion = models.OneToOneField(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="section47"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_summary = models.TextField("findings", blank=True)
    completed_on = models.DateField("date the enquiry was completed", null=True, blank=True)
    icpc_not_required = models.BooleanField("initial conference not required", default=False)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-strategy_discussion__meeting__held_on", "-id"]
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"

    def __str__(self):
        return f"Section 47 enquiry from {self.start_date:%d %b %Y}"

    @property
    def start_date(self):
        """S47ActualStartDate: the date of the strategy discussion that started the enquiry."""
        return self.strategy_discussion.meeting.held_on


class Conference(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial child protection conference"
        REVIEW = "review", "Review child protection conference"
        TRANSFER_IN = "transfer_in", "Transfer-in conference"

    class Decision(models.TextChoices):
        PLAN = "plan", "Child protection plan needed"
        NO_PLAN = "no_plan", "No child protection plan needed"
        PLAN_CONTINUES = "continues", "Child protection plan continues"
        PLAN_ENDS = "ends", "Child protection plan ends"

    MEETING_KINDS = {
        Kind.INITIAL: Meeting.Kind.ICPC,
        Kind.REVIEW: Meeting.Kind.CP_REVIEW,
        Kind.TRANSFER_IN: Meeting.Kind.TRANSFER_IN,
    }
    DECISIONS = {
        Kind.INITIAL: (Decision.PLAN, Decision.NO_PLAN),
        Kind.TRANSFER_IN: (Decision.PLAN, Decision.NO_PLAN),
        Kind.REVIEW: (Decision.PLAN_CONTINUES, Decision.PLAN_ENDS),
    }

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="cp_conferences")
    episode = models.ForeignKey(
        "assessment.CINEpisode", null=True, blank=True, on_delete=models.PROTECT, related_name="cp_conferences",
        help_text="The episode of need (CIN census CINdetails) this belongs to",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="cp_conference")
    section47 = models.ForeignKey(
        Section47, null=True, blank=True, on_delete=models.PROTECT, related_name="conferences"
    )
    cp_plan = models.ForeignKey(
        "CPPlan", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews",
        help_text="The plan a review conference reviewed",
    )
    transfer_notified_on = models.DateField(
        "date the transferring authority's notification was received", null=True, blank=True
    )
    decision = models.CharField(max_length=16, choices=Decision.choices)
    category = models.CharField(
        "category of abuse", max_length=4, choices=CATEGORY_OF_ABUSE.choices, blank=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting__held_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.held_on:%d %b %Y}"

    @property
    def held_on(self):
        return self.meeting.held_on


class CPPlan(models.Model):
    """A child protection plan: decided at an initial or transfer-in conference, starting on its date."""

    class EndReason(models.TextChoices):
        NO_LONGER_AT_RISK = "no_longer_at_risk", "Child no longer at risk of significant harm"
        LOOKED_AFTER = "looked_after", "Child became looked after"
        MOVED = "moved", "Child moved to another local authority"
        ADULT = "adult", "Child reached 18"
        DIED = "died", "Child died"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="cp_plans")
    episode = models.ForeignKey(
        "assessment.CINEpisode", null=True, blank=True, on_delete=models.PROTECT, related_name="cp_plans",
        help_text="The episode of need (CIN census CINdetails) this belongs to",
    )
    conference = models.OneToOneField(Conference, on_delete=models.PROTECT, related_name="started_plan")
    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="cp_plan")
    initial_category = models.CharField(
        "initial category of abuse", max_length=4, choices=CATEGORY_OF_ABUSE.choices
    )
    latest_category = models.CharField("latest category of abuse", max_length=4, choices=CATEGORY_OF_ABUSE.choices)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    ended_by_conference = models.OneToOneField(
        Conference, null=True, blank=True, on_delete=models.PROTECT, related_name="ended_plan"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-plan__start_date", "-id"]
        verbose_name = "child protection plan"

    def __str__(self):
        return f"Child protection plan from {self.start_date:%d %b %Y}"

    @property
    def start_date(self):
        return self.plan.start_date

    @property
    def end_date(self):
        return self.plan.end_date

    @property
    def is_open(self) -> bool:
        return self.plan.end_date is None


class PoliceProtection(models.Model):
    """Police powers of protection (Children Act 1989 s46): at most 72 hours."""

    class EndedHow(models.TextChoices):
        RETURNED = "returned", "Child returned home or to family"
        EPO = "epo", "Emergency protection order obtained"
        ACCOMMODATED = "accommodated", "Child accommodated by the local authority"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="police_protections")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_how = models.CharField(max_length=16, choices=EndedHow.choices, blank=True)
    police_reference = models.CharField(max_length=50, blank=True)
    circumstances = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "police protections"


class EmergencyProtectionOrder(models.Model):
    """An emergency protection order (Children Act 1989 s45): up to 8 days, extendable once by 7."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="emergency_protection_orders")
    made_on = models.DateField()
    expires_on = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    ended_on = models.DateField("date the order ended", null=True, blank=True)
    court = models.CharField(max_length=150, blank=True)
    circumstances = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "-id"]
        verbose_name = "emergency protection order"
