"""Care leavers: eligibility decisions, personal advisers, pathway plans, contact (the SSDA903
OC3 facts) and support (staying put, a higher education bursary, support to 25).

No business logic here: the rules are in rules.py and services.py.
"""

from django.conf import settings
from django.db import models

from opencsc.people.models import Child

from .codes import ACCOMMODATION, ACTIVITY, IN_TOUCH


class Category(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    RELEVANT = "relevant", "Relevant"
    FORMER_RELEVANT = "former_relevant", "Former relevant"
    QUALIFYING = "qualifying", "Qualifying"


class EligibilityDecision(models.Model):
    """A worker's decision on the young person's leaving care category (the latest one holds)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="leaving_care_decisions")
    category = models.CharField(max_length=16, choices=Category.choices)
    decided_on = models.DateField("date of the decision")
    reason = models.TextField("reasons for the decision", blank=True)
    suggested_category = models.CharField(
        max_length=16, choices=Category.choices, blank=True,
        help_text="What the periods of care suggested when the decision was made",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.get_category_display()} care leaver from {self.decided_on:%d %b %Y}"


class CareLeaver(models.Model):
    """The young person's leaving care support: one per child, made with the first decision."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="care_leaver")
    support_to_25 = models.BooleanField("the young person asked for support up to 25", default=False)
    in_education = models.BooleanField("in education or training (support continues to 25)", default=False)
    staying_put_start = models.DateField("staying put arrangement started", null=True, blank=True)
    staying_put_end = models.DateField("staying put arrangement ended", null=True, blank=True)
    staying_put_carer = models.CharField("former foster carer", max_length=200, blank=True)
    bursary_awarded_on = models.DateField("higher education bursary awarded", null=True, blank=True)
    support_ended_on = models.DateField("leaving care support ended", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self):
        return "Leaving care support"


class AdviserAllocation(models.Model):
    """Which personal adviser held the young person, from when to when."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="adviser_allocations")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="care_leaver_allocations")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["adviser", "end_date"]), models.Index(fields=["child", "end_date"])]

    def __str__(self):
        return f"Personal adviser from {self.start_date:%d %b %Y}"


class PathwayPlan(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="pathway_plans")
    start_date = models.DateField("date of the plan")
    needs_assessed_on = models.DateField("date the needs assessment was completed", null=True, blank=True)
    young_persons_views = models.TextField("the young person's views")
    needs = models.TextField("needs and how they will be met")
    contingency = models.TextField("contingency plan")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"Pathway plan from {self.start_date:%d %b %Y}"


class PathwayPlanReview(models.Model):
    plan = models.ForeignKey(PathwayPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("date of the review")
    young_persons_views = models.TextField("the young person's views")
    changes = models.TextField("what has changed, and what happens next")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return f"Pathway plan review on {self.reviewed_on:%d %b %Y}"


class Contact(models.Model):
    """Keeping in touch: the facts the SSDA903 OC3 file reports (in touch, activity, accommodation)."""

    class Method(models.TextChoices):
        VISIT = "visit", "Face-to-face visit"
        PHONE = "phone", "Telephone or video call"
        MESSAGE = "message", "Text, email or letter"
        NONE = "none", "No contact made"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="leaving_care_contacts")
    contact_date = models.DateField("date of contact")
    in_touch = models.CharField("in touch", max_length=4, choices=IN_TOUCH.choices)
    method = models.CharField(max_length=8, choices=Method.choices)
    activity = models.CharField("main activity", max_length=2, choices=ACTIVITY.choices)
    accommodation = models.CharField(max_length=2, choices=ACCOMMODATION.choices)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-contact_date", "-id"]
        indexes = [models.Index(fields=["child", "contact_date"])]

    def __str__(self):
        return f"Contact on {self.contact_date:%d %b %Y}"
