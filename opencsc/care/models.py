"""Children in care, shaped like the SSDA903 return (children looked after).

A `PeriodOfCare` runs from the day a child becomes looked after to the day they cease.
Inside it, each `CareEpisode` is one row of the 903 Episodes table: a new episode starts
whenever the legal status or the placement changes. A `Placement` is where the child
lives (one or more episodes share it when only the legal status changes).

Care plans and reviews keep their dates on the casework Plan and Meeting they belong to
(one copy of each date). Statutory visits are casework `Visit`s of kind "cla". No
business logic here: the rules are in rules.py and services.py.
"""

from django.conf import settings
from django.db import models

from opencsc.casework.models import Meeting, Plan
from opencsc.codes import (
    CATEGORY_OF_NEED,
    LEGAL_STATUS,
    PLACEMENT_PROVIDER,
    PLACEMENT_TYPE,
    REASON_EPISODE_CEASED,
    REASON_NEW_EPISODE,
    REASON_PLACE_CHANGE,
    REVIEW_PARTICIPATION,
)
from opencsc.people.models import Child


class PeriodOfCare(models.Model):
    """From becoming looked after to ceasing: one or more 903 episodes without a gap."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_periods")
    start_date = models.DateField("date the child became looked after")
    end_date = models.DateField("date the child ceased to be looked after", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "period of care"
        verbose_name_plural = "periods of care"
        # One open period per child is kept by the services (under a lock on the child), not by a
        # database constraint, so that other areas' test fixtures can make bare periods.
        indexes = [models.Index(fields=["child", "-start_date"]), models.Index(fields=["start_date", "end_date"])]

    def __str__(self):
        return f"Period of care from {self.start_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class Placement(models.Model):
    """Where a looked-after child lives, with whom, and how far from home."""

    class Siblings(models.TextChoices):
        YES = "yes", "Yes, placed with all their siblings in care"
        NO = "no", "No, placed apart from one or more siblings in care"
        NONE = "none", "No siblings in care"

    class VisitRegime(models.TextChoices):
        """Which regulation 28 visiting pattern applies (each placement runs exactly one)."""

        STANDARD = "standard", "Standard: within 1 week, then at least every 6 weeks"
        UNTIL_18 = "until_18", "Placement intended to last until 18: every 3 months after the first year"
        WITH_PARENT = "with_parent", "Placed with a parent before assessment (reg 19): weekly until the first review"
        CONNECTED_PERSON = (
            "connected_person",
            "Connected person temporarily approved, or interim care order at home: weekly until the first review",
        )

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="placements")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    placement_type = models.CharField(max_length=2, choices=PLACEMENT_TYPE.choices)
    provider = models.CharField("placement provider", max_length=3, choices=PLACEMENT_PROVIDER.choices, blank=True)
    carer_name = models.CharField("carer or provider name", max_length=150, blank=True)
    urn = models.CharField("Ofsted URN", max_length=8, blank=True)
    postcode = models.CharField("placement postcode", max_length=8, blank=True)
    in_authority = models.BooleanField("inside the authority's area", default=True)
    distance_km = models.DecimalField(
        "distance from home (km)", max_digits=6, decimal_places=1, null=True, blank=True
    )
    siblings_placed_together = models.CharField(max_length=4, choices=Siblings.choices, default=Siblings.NONE)
    visit_regime = models.CharField(
        "visiting pattern", max_length=20, choices=VisitRegime.choices, default=VisitRegime.STANDARD
    )
    reason_for_change = models.CharField(
        "reason for placement change", max_length=6, choices=REASON_PLACE_CHANGE.choices, blank=True
    )
    placement_plan_on = models.DateField("date the placement plan was prepared", null=True, blank=True)
    notified_on = models.DateField("date the placement was notified in writing", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["child", "-start_date"]), models.Index(fields=["start_date", "end_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(end_date__isnull=True), name="one_open_placement_per_child"
            ),
        ]

    def __str__(self):
        return f"Placement from {self.start_date:%d %b %Y}: {PLACEMENT_TYPE.describe(self.placement_type, with_code=True)}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    @property
    def type_label(self) -> str:
        return PLACEMENT_TYPE.label(self.placement_type)


class CareEpisode(models.Model):
    """One row of the SSDA903 Episodes table."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_episodes")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="episodes")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="episodes")
    start_date = models.DateField("date episode commenced (DECOM)")
    end_date = models.DateField("date episode ceased (DEC)", null=True, blank=True)
    reason_new_episode = models.CharField("reason for new episode (RNE)", max_length=1, choices=REASON_NEW_EPISODE.choices)
    legal_status = models.CharField("legal status (LS)", max_length=2, choices=LEGAL_STATUS.choices)
    category_of_need = models.CharField("category of need (CIN)", max_length=2, choices=CATEGORY_OF_NEED.choices)
    home_postcode = models.CharField("home postcode (HOME_POST)", max_length=8, blank=True)
    reason_ceased = models.CharField(
        "reason episode ceased (REC)", max_length=3, choices=REASON_EPISODE_CEASED.choices, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = "episode of care"
        verbose_name_plural = "episodes of care"
        indexes = [models.Index(fields=["child", "start_date"]), models.Index(fields=["legal_status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(end_date__isnull=True), name="one_open_care_episode_per_child"
            ),
        ]

    def __str__(self):
        return (f"Episode from {self.start_date:%d %b %Y}: {LEGAL_STATUS.describe(self.legal_status, with_code=True)}, "
                f"{PLACEMENT_TYPE.describe(self.placement.placement_type, with_code=True)}")

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class PermanenceOption(models.TextChoices):
    RETURN_HOME = "return_home", "Return to parents or family"
    ADOPTION = "adoption", "Adoption"
    SGO = "sgo", "Special guardianship order"
    CHILD_ARRANGEMENTS = "cao", "Child arrangements order"
    LONG_TERM_FOSTERING = "long_term_fostering", "Long-term fostering"
    KINSHIP = "kinship", "Long-term placement with family or friends (kinship care)"
    RESIDENTIAL = "residential", "Long-term residential care"
    INDEPENDENCE = "independence", "Supported move to independence"
    OTHER = "other", "Other"


class CarePlan(models.Model):
    """A care plan (its dates on a casework Plan of kind "care") with the permanence plan."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_plans")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="care_plans")
    plan = models.OneToOneField(Plan, on_delete=models.PROTECT, related_name="care_plan")
    permanence_option = models.CharField(
        "permanence plan", max_length=24, choices=PermanenceOption.choices, blank=True
    )
    permanence_decided_on = models.DateField("date the permanence plan was agreed", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-plan__start_date", "-id"]

    def __str__(self):
        return f"Care plan from {self.start_date:%d %b %Y}"

    @property
    def start_date(self):
        return self.plan.start_date

    @property
    def end_date(self):
        return self.plan.end_date


class IROAppointment(models.Model):
    """An independent reviewing officer appointed for a period of care."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="iro_appointments")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="iro_appointments")
    iro = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="iro_appointments",
        verbose_name="independent reviewing officer",
    )
    appointed_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-appointed_on", "-id"]
        verbose_name = "IRO appointment"


class LookedAfterReview(models.Model):
    """A looked-after child review (its date on a casework Meeting of kind "cla_review")."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="cla_reviews")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="cla_review")
    participation = models.CharField(
        "child's participation (REVIEW_CODE)", max_length=3, choices=REVIEW_PARTICIPATION.choices
    )
    iro = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="independent reviewing officer who chaired",
    )
    decisions = models.TextField("the IRO's decisions")
    permanence_confirmed = models.BooleanField("permanence plan confirmed at this review", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting__held_on", "-id"]
        verbose_name = "looked-after review"

    def __str__(self):
        return f"Looked-after review on {self.held_on:%d %b %Y}"

    @property
    def held_on(self):
        return self.meeting.held_on


class IROEscalation(models.Model):
    """An IRO dispute resolution: raised, responded to and resolved, stage by stage."""

    class Stage(models.TextChoices):
        INFORMAL = "informal", "Informal: with the social worker"
        STAGE_1 = "stage_1", "Stage 1: team manager"
        STAGE_2 = "stage_2", "Stage 2: service manager"
        STAGE_3 = "stage_3", "Stage 3: head of service"
        STAGE_4 = "stage_4", "Stage 4: director of children's services"
        CAFCASS = "cafcass", "Referred to Cafcass"

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", "Resolved: the plan or practice changed"
        NOT_UPHELD = "not_upheld", "Not upheld: the IRO accepted the response"
        WITHDRAWN = "withdrawn", "Withdrawn"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="iro_escalations")
    period = models.ForeignKey(PeriodOfCare, on_delete=models.CASCADE, related_name="escalations")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.INFORMAL)
    concern = models.TextField("the IRO's concern")
    raised_on = models.DateField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    response_due_on = models.DateField("response due by")
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = "IRO escalation"
        indexes = [models.Index(fields=["resolved_on", "raised_on"])]

    def __str__(self):
        return f"IRO escalation raised {self.raised_on:%d %b %Y} ({self.get_stage_display()})"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None
