"""Episodes of need (the CIN census `CINdetails` unit), assessments and CIN plans.

No business logic here: the rules are in services.py.
"""

from django.conf import settings
from django.db import models

from opencsc.casework.models import Plan, Visit
from opencsc.codes import ASSESSMENT_FACTORS, PRIMARY_NEED, REASON_FOR_CLOSURE, REFERRAL_SOURCE
from opencsc.people.models import Child


class CINEpisode(models.Model):
    """From a referral to its closure: the CIN census `CINdetails` unit."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="cin_episodes")
    referral_date = models.DateField()
    referral_source = models.CharField(max_length=4, choices=REFERRAL_SOURCE.choices)
    primary_need = models.CharField("primary need", max_length=4, choices=PRIMARY_NEED.choices)
    referral_nfa = models.BooleanField("no further action on the referral", default=False)
    referral_details = models.TextField("reason for the referral", blank=True)
    is_re_referral = models.BooleanField(
        "re-referral", default=False, help_text="Referred within 12 months of a previous referral"
    )
    closure_date = models.DateField(null=True, blank=True)
    reason_for_closure = models.CharField(max_length=4, choices=REASON_FOR_CLOSURE.choices, blank=True)
    # A placeholder until the early help app links its own episode.
    step_down_to_early_help = models.BooleanField(default=False)
    step_down_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referral_date", "-id"]
        verbose_name = "episode of need"
        verbose_name_plural = "episodes of need"
        indexes = [
            models.Index(fields=["child", "-referral_date"]),
            models.Index(fields=["closure_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(closure_date__isnull=True), name="one_open_cin_episode_per_child"
            ),
        ]

    def __str__(self):
        return f"Episode of need from {self.referral_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class Assessment(models.Model):
    """A child and family assessment within an episode of need."""

    class Outcome(models.TextChoices):
        NFA = "nfa", "No further action"
        CIN_PLAN = "cin_plan", "Child in need plan"
        STRATEGY = "strategy", "Strategy discussion (child protection concerns)"
        EARLY_HELP = "early_help", "Step down to early help"
        OTHER = "other", "Other"

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="assessments")
    start_date = models.DateField()
    child_seen_date = models.DateField("date the child was seen", null=True, blank=True)
    child_seen_alone_date = models.DateField("date the child was seen alone", null=True, blank=True)
    childs_views = models.TextField("the child's views and wishes", blank=True)
    lived_experience = models.TextField("the child's lived experience", blank=True)
    analysis = models.TextField(blank=True)
    factors = models.JSONField("assessment factors", default=list, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    completed_date = models.DateField("authorisation date", null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason_late = models.TextField("why the assessment took longer than 45 working days", blank=True)
    # The visits whose "child seen" (alone) set the dates above (casework.evidence); cleared when a date is
    # changed by hand.
    child_seen_visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")
    child_seen_alone_visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL,
                                               related_name="+")
    # Submitted for authorisation (awaiting a manager) until authorised or returned; the last return's
    # reason is kept until the worker submits it again.
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    return_reason = models.TextField("why the assessment was returned", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["episode", "completed_date"]),
                   models.Index(fields=["completed_date", "submitted_at"], name="assessment_awaiting_idx")]

    def __str__(self):
        return f"Assessment started {self.start_date:%d %b %Y}"

    @property
    def is_authorised(self) -> bool:
        return self.completed_date is not None

    @property
    def is_awaiting_authorisation(self) -> bool:
        return self.completed_date is None and self.submitted_at is not None

    @property
    def is_returned(self) -> bool:
        return self.completed_date is None and self.submitted_at is None and self.returned_at is not None

    def factor_labels(self) -> list[str]:
        return [ASSESSMENT_FACTORS.label(code) or code for code in self.factors]


class CINPlan(models.Model):
    """Links an episode of need to its child in need plan (the plan itself is a casework Plan)."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.CASCADE, related_name="cin_plans")
    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="cin_plan")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "child in need plan"

    def __str__(self):
        return str(self.plan)
