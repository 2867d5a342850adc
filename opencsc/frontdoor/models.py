"""The front door: contacts about children, MASH screening and decisions, domestic abuse
notifications with Operation Encompass, and multi-agency information requests.

No business logic here: the rules are in rules.py and services.py.
"""

from django.conf import settings
from django.db import models

from opencsc.accounts.roles import Agency
from opencsc.codes import REFERRAL_SOURCE
from opencsc.people.models import Child

AGENCY_CHOICES = [*Agency.choices, ("other", "Other agency")]


class Contact(models.Model):
    """A contact about one or more children, from receipt to the manager's decision."""

    class Level(models.TextChoices):
        UNIVERSAL = "1", "Level 1: universal services"
        ADDITIONAL = "2", "Level 2: additional needs (early help)"
        COMPLEX = "3", "Level 3: complex needs (targeted early help or child in need)"
        ACUTE = "4", "Level 4: acute needs or risk of significant harm (social care)"

    class Outcome(models.TextChoices):
        NFA = "nfa", "No further action"
        ADVICE = "advice", "Information and advice"
        EARLY_HELP = "early_help", "Early help"
        REFERRAL = "referral", "Referral to children's social care"
        STRATEGY = "strategy", "Strategy discussion"

    children = models.ManyToManyField(Child, through="ContactChild", related_name="contacts")
    received_at = models.DateTimeField("date and time the contact was received")
    out_of_hours = models.BooleanField("received out of hours", default=False)
    referrer_name = models.CharField("who made the contact", max_length=150)
    referrer_role = models.CharField("their role", max_length=100, blank=True)
    referrer_agency = models.CharField("their agency", max_length=16, choices=AGENCY_CHOICES, blank=True)
    referrer_phone = models.CharField("their phone number", max_length=30, blank=True)
    referral_source = models.CharField("source (DfE referral source)", max_length=4, choices=REFERRAL_SOURCE.choices)
    concerns = models.TextField("the concerns")
    # Screening by a MASH practitioner.
    level_of_need = models.CharField("level of need", max_length=1, choices=Level.choices, blank=True)
    screening_rationale = models.TextField("rationale for the level of need", blank=True)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    screened_at = models.DateTimeField(null=True, blank=True)
    # The manager's decision.
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    decision_rationale = models.TextField("reasons for the decision", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["-received_at"]),
            models.Index(fields=["outcome", "decided_at"]),
        ]

    def __str__(self):
        return f"Contact received {self.received_at:%d %b %Y %H:%M}"

    @property
    def status(self) -> str:
        if self.decided_at:
            return "decided"
        if self.screened_at:
            return "awaiting_decision"
        return "screening"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


STATUS_LABELS = {
    "screening": "Awaiting screening",
    "awaiting_decision": "Awaiting a manager's decision",
    "decided": "Decided",
}


class ContactChild(models.Model):
    """A child named in a contact, and the episode of need a referral opened or joined."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="contact_children")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contact_links")
    episode = models.ForeignKey("assessment.CINEpisode", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="contacts")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["contact", "child"], name="one_link_per_contact_child")]


class DomesticAbuseNotification(models.Model):
    """A police notification of a domestic abuse incident, with its standard risk screening."""

    class Risk(models.TextChoices):
        STANDARD = "standard", "Standard"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="domestic_abuse")
    incident_at = models.DateTimeField("date and time of the incident")
    police_reference = models.CharField(max_length=50, blank=True)
    risk_level = models.CharField("risk (DASH)", max_length=8, choices=Risk.choices)
    children_present = models.BooleanField("children were present", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-incident_at", "-id"]

    def __str__(self):
        return f"Domestic abuse notification ({self.get_risk_level_display().lower()} risk)"


class EncompassNotice(models.Model):
    """Operation Encompass: a child's school told about a domestic abuse incident."""

    notification = models.ForeignKey(DomesticAbuseNotification, on_delete=models.CASCADE,
                                     related_name="encompass_notices")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="encompass_notices")
    school_name = models.CharField("school", max_length=150)
    told_at = models.DateTimeField("date and time the school was told")
    told_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-told_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["notification", "child"], name="one_encompass_per_child")]

    def __str__(self):
        return f"{self.school_name} told"


class InformationRequest(models.Model):
    """The MASH asks a partner agency what it knows, by a deadline set by the RAG urgency."""

    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="information_requests")
    agency = models.CharField(max_length=16, choices=Agency.choices)
    rag = models.CharField("urgency", max_length=5, choices=Rag.choices)
    question = models.TextField("what the MASH needs to know")
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["agency", "responded_at", "due_at"])]

    def __str__(self):
        return f"Information request to {self.get_agency_display().lower()}"

    @property
    def is_open(self) -> bool:
        return self.responded_at is None
