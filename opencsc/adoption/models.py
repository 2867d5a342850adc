"""Adoption, special guardianship and adopters.

An `AdoptionPlan` is one decision that a child should be placed for adoption (SSDA903
PlacedAdoption: DATE_PLACED, DATE_PLACED_CEASED, REASON_PLACED_CEASED) and the milestones
that follow it: placement order, match (AD1 DATE_MATCH), placement with the adopters and
the adoption order. `AdopterHousehold` is the prospective adopters' journey from enquiry to
approval. No business logic here: the rules are in services.py and rules.py.
"""

from django.conf import settings
from django.db import models

from opencsc.codes import ssda903_list
from opencsc.people.models import Child, MatchCheck, Person

from .codes import REASON_PLACED_CEASED, SEX_OF_ADOPTERS

# AD1.LS_ADOPTR: the adopters' legal status (codes from the SSDA903 code book; the words are the
# SSDA903 guidance's, as the DfE rules 514, 517 to 520 and 524 read them).
_LS_ADOPTR_WORDS = {
    "L0": "Single adopter",
    "L11": "Couple of different sexes, married",
    "L12": "Couple of the same sex, married",
    "L2": "Couple in a civil partnership",
    "L3": "Couple of different sexes, not married or in a civil partnership",
    "L4": "Couple of the same sex, not married or in a civil partnership",
}
ADOPTERS_LEGAL_STATUS = [
    (code, _LS_ADOPTR_WORDS.get(code, code)) for code, _ in ssda903_list("AD1", "LS_ADOPTR", "Legal status").items
]


class AdopterHousehold(models.Model):
    """Prospective adopters, from their first enquiry through stage one and stage two to approval."""

    name = models.CharField("household name", max_length=200, help_text="For example, Sam and Alex Shah")
    adopters = models.CharField(max_length=2, choices=SEX_OF_ADOPTERS.choices, blank=True)
    legal_status = models.CharField(
        "the adopters' legal status (SSDA903 LS_ADOPTR)", max_length=3, choices=ADOPTERS_LEGAL_STATUS, blank=True
    )
    enquiry_on = models.DateField("date of the enquiry")
    stage_one_on = models.DateField("date stage one started", null=True, blank=True)
    stage_two_on = models.DateField("date stage two started", null=True, blank=True)
    approved_on = models.DateField("date approved", null=True, blank=True)
    withdrawn_on = models.DateField("date withdrew or was not approved", null=True, blank=True)
    withdrawal_reason = models.TextField("reason", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-enquiry_on", "-id"]
        verbose_name = "adopter household"

    def __str__(self):
        return self.name


class Adopter(models.Model):
    """One of the prospective adopters in a household: a person (people.Person), found by the duplicate check
    when they are recorded (an existing person chosen, or a new one after confirming none of the matches)."""

    household = models.ForeignKey(AdopterHousehold, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="adopter_roles")
    match_check = models.ForeignKey(MatchCheck, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["household", "id"]
        constraints = [models.UniqueConstraint(fields=["household", "person"], name="one_adopter_role_per_household")]

    def __str__(self):
        return f"{self.person} (adopter)"


class AdoptionPlan(models.Model):
    """A decision that the child should be placed for adoption, and what followed it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="adoption_plans")
    entered_care_on = models.DateField(
        "date the child started to be looked after", help_text="The start of the period of care the plan is made in"
    )
    should_be_placed_on = models.DateField("date of the decision that the child should be placed for adoption")
    decision_maker = models.CharField("agency decision maker", max_length=200)
    concurrent_planning = models.BooleanField("concurrent planning", default=False)
    ffa_placed_on = models.DateField("date placed in a fostering for adoption placement", null=True, blank=True)
    placement_order_on = models.DateField("date of the placement order", null=True, blank=True)
    matched_on = models.DateField("date the child was matched with adopters", null=True, blank=True)
    adopters = models.ForeignKey(
        AdopterHousehold, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    adopted_by_foster_carers = models.BooleanField("the adopters are the child's foster carers", default=False)
    lived_with_adopters_from = models.DateField(
        "date the child moved in with the adopters as foster carers", null=True, blank=True
    )
    placed_on = models.DateField("date placed for adoption", null=True, blank=True)
    adoption_order_on = models.DateField("date of the adoption order", null=True, blank=True)
    ended_on = models.DateField("date the plan for adoption ended", null=True, blank=True)
    end_reason = models.CharField(
        "reason the plan for adoption ended", max_length=4, choices=REASON_PLACED_CEASED.choices, blank=True
    )
    end_details = models.TextField("what the plan is now", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-should_be_placed_on", "-id"]
        verbose_name = "plan for adoption"
        verbose_name_plural = "plans for adoption"
        indexes = [models.Index(fields=["adoption_order_on"]), models.Index(fields=["child", "ended_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(ended_on__isnull=True, adoption_order_on__isnull=True),
                name="one_open_adoption_plan_per_child",
            ),
        ]

    def __str__(self):
        return f"Plan for adoption from {self.should_be_placed_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None and self.adoption_order_on is None

    @property
    def moved_in_on(self):
        """The day the child moved in with the family who adopted them (for A10: as foster carers if earlier)."""
        days = [d for d in (self.placed_on, self.ffa_placed_on, self.lived_with_adopters_from) if d]
        return min(days) if days else None


class AdoptionReview(models.Model):
    plan = models.ForeignKey(AdoptionPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("date of the review")
    notes = models.TextField("what the review decided", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "adoption review"

    def __str__(self):
        return f"Adoption review on {self.held_on:%d %b %Y}"


class AdoptionVisit(models.Model):
    plan = models.ForeignKey(AdoptionPlan, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("date of the visit")
    seen_alone = models.BooleanField("the child was seen alone", default=False)
    notes = models.TextField("what was seen and heard", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = "visit to a child placed for adoption"

    def __str__(self):
        return f"Visit on {self.visited_on:%d %b %Y}"


class PermanenceOrder(models.Model):
    """A special guardianship order or a child arrangements order (lives with)."""

    class Kind(models.TextChoices):
        SGO = "sgo", "Special guardianship order"
        CAO = "cao", "Child arrangements order (lives with)"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="permanence_orders")
    kind = models.CharField("type of order", max_length=4, choices=Kind.choices)
    made_on = models.DateField("date the order was made")
    guardians = models.CharField("special guardian or carer", max_length=200,
                                 help_text="Their names, for example Maria and John Okafor")
    relationship = models.CharField("relationship to the child", max_length=100,
                                    help_text="For example, maternal grandparents")
    support_plan = models.BooleanField("a support plan is in place", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} made {self.made_on:%d %b %Y}"
