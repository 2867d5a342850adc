"""Early help: episodes with their assessment, team around the family, plan, reviews and
outcome scores; step-down from social care and step-up to the MASH with the panel's decision.

No business logic here: the rules are in services.py. The plan itself is a casework Plan
(kind "early_help"), linked by EarlyHelpPlan, as the assessment app links its CIN plans.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from opencsc.accounts.models import Team
from opencsc.assessment.models import CINEpisode
from opencsc.casework.models import Plan
from opencsc.people.models import Child


class OutcomeArea(models.TextChoices):
    """The areas a family's progress is scored on, 1 (stuck) to 10 (doing well), at the start and at each review."""

    PHYSICAL_HEALTH = "physical_health", "Physical health"
    WELLBEING = "wellbeing", "Your well-being"
    EMOTIONAL_NEEDS = "emotional_needs", "Meeting emotional needs"
    KEEPING_SAFE = "keeping_safe", "Keeping your children safe"
    SOCIAL_NETWORKS = "social_networks", "Social networks"
    EDUCATION = "education", "Education and learning"
    BOUNDARIES = "boundaries", "Boundaries and behaviour"
    ROUTINE = "routine", "Family routine"
    HOME_AND_MONEY = "home_and_money", "Home and money"
    WORK = "work", "Progress to work"


SCORE_MIN, SCORE_MAX = 1, 10


class Family(models.Model):
    """The household worked with: siblings' early help episodes share one family and its team around the family."""

    name = models.CharField(max_length=150)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "families"

    def __str__(self):
        return self.name


class EarlyHelpEpisode(models.Model):
    """A child's time in early help, from the start of work to closure."""

    class Source(models.TextChoices):
        REQUEST = "request", "Request for early help from the family or a professional"
        FRONT_DOOR = "front_door", "Contact to the front door (MASH)"
        STEP_DOWN = "step_down", "Step-down from children's social care"

    class ClosureReason(models.TextChoices):
        OUTCOMES_ACHIEVED = "outcomes_achieved", "Outcomes achieved"
        STEPPED_UP = "stepped_up", "Stepped up to children's social care"
        DECLINED = "declined", "Family declined or withdrew consent"
        NOT_ENGAGING = "not_engaging", "Family stopped engaging"
        MOVED_AWAY = "moved_away", "Moved out of the area"
        UNIVERSAL = "universal", "Needs met by universal services"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="early_help_episodes")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="episodes")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    source = models.CharField(max_length=16, choices=Source.choices)
    reason = models.TextField("why the family needs early help")
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    closure_summary = models.TextField("what changed for the child", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "early help episode"
        indexes = [models.Index(fields=["child", "-start_date"]), models.Index(fields=["closure_date"])]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=models.Q(closure_date__isnull=True),
                                    name="one_open_early_help_episode_per_child"),
        ]

    def __str__(self):
        return f"Early help from {self.start_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.closure_date is None


class EarlyHelpAssessment(models.Model):
    """The early help assessment: the child's history, wishes and feelings, and what the family needs."""

    episode = models.OneToOneField(EarlyHelpEpisode, on_delete=models.CASCADE, related_name="assessment")
    start_date = models.DateField()
    history = models.TextField("the child's history", blank=True)
    wishes_and_feelings = models.TextField("the child's wishes and feelings", blank=True)
    family_views = models.TextField("the family's views", blank=True)
    strengths = models.TextField("strengths", blank=True)
    needs = models.TextField("what needs to change", blank=True)
    completed_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "early help assessment"

    def __str__(self):
        return f"Early help assessment started {self.start_date:%d %b %Y}"


class TeamMember(models.Model):
    """A member of the team around the family; one of them is the lead professional."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=150)
    agency = models.CharField(max_length=100)
    role = models.CharField(max_length=100)
    is_lead = models.BooleanField("lead professional", default=False)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_lead", "name", "id"]
        verbose_name = "team around the family member"
        constraints = [
            models.UniqueConstraint(fields=["family"], condition=models.Q(is_lead=True, left_on__isnull=True),
                                    name="one_lead_professional_per_family"),
        ]

    def __str__(self):
        return f"{self.name} ({self.agency})"


class EarlyHelpPlan(models.Model):
    """Links an early help episode to its plan (the plan itself is a casework Plan of kind early_help)."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.CASCADE, related_name="plans")
    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="early_help_plan")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "early help plan"

    def __str__(self):
        return str(self.plan)


class Review(models.Model):
    """A review of the early help plan (a team around the family meeting)."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    progress = models.TextField("what has changed")
    childs_views = models.TextField("the child's views", blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "early help review"

    def __str__(self):
        return f"Review on {self.held_on:%d %b %Y}"


class OutcomeScore(models.Model):
    """One area's score, 1 to 10: at the start (no review) or at a review."""

    episode = models.ForeignKey(EarlyHelpEpisode, on_delete=models.CASCADE, related_name="scores")
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.CASCADE, related_name="scores")
    scored_on = models.DateField()
    area = models.CharField(max_length=20, choices=OutcomeArea.choices)
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)])

    class Meta:
        ordering = ["scored_on", "area"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "area"], condition=models.Q(review__isnull=True),
                                    name="one_starting_score_per_area"),
            models.UniqueConstraint(fields=["review", "area"], name="one_review_score_per_area"),
        ]


class StepRequest(models.Model):
    """A step-down from social care to early help, or a step-up from early help to the MASH,
    with the panel's decision, tracked until the family is taken on (or not)."""

    class Direction(models.TextChoices):
        STEP_UP = "step_up", "Step-up to children's social care"
        STEP_DOWN = "step_down", "Step-down to early help"

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Not accepted"

    class Outcome(models.TextChoices):
        TAKEN_ON = "taken_on", "Taken on"
        NOT_TAKEN_ON = "not_taken_on", "Not taken on"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="step_requests")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    requested_on = models.DateField()
    reason = models.TextField()
    # Step-down: the closed episode of need it came from. Step-up: the episode of need it led to, once known.
    cin_episode = models.ForeignKey(CINEpisode, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="step_requests")
    # Step-up: the early help episode it came from. Step-down: the early help episode that took the family on.
    early_help_episode = models.ForeignKey(EarlyHelpEpisode, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="step_requests")
    # Step-up: the contact made at the front door (MASH) when the panel accepted it.
    frontdoor_contact = models.ForeignKey("frontdoor.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="step_ups")
    panel_date = models.DateField(null=True, blank=True)
    panel_decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    panel_notes = models.TextField("the panel's reasons", blank=True)
    outcome = models.CharField(max_length=14, choices=Outcome.choices, blank=True)
    outcome_date = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["direction", "outcome"])]
        constraints = [
            models.UniqueConstraint(fields=["cin_episode"], condition=models.Q(direction="step_down"),
                                    name="one_step_down_per_cin_episode"),
        ]

    def __str__(self):
        return f"{self.get_direction_display()} requested {self.requested_on:%d %b %Y}"

    @property
    def is_pending(self) -> bool:
        return not self.outcome
