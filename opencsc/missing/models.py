"""Missing and away-from-placement episodes, return home interviews and exploitation risk.

A missing episode is shaped like the SSDA903 Missing file (MISSING "M" or "A", MIS_START,
MIS_END), with the times kept as aware datetimes because the return home interview is due
72 hours after the return. A multi-agency exploitation meeting is a casework Meeting (its
date and who attended from which agency live there: one copy). No business logic here: the
rules are in services.py.
"""

from django.conf import settings
from django.db import models

from opencsc.casework.models import Meeting
from opencsc.people.models import Child


class MissingEpisode(models.Model):
    class Kind(models.TextChoices):
        # SSDA903 Missing file, column MISSING.
        MISSING = "M", "Missing"
        AWAY = "A", "Away from placement without authorisation"

    class MissingFrom(models.TextChoices):
        HOME = "home", "Home"
        CARE = "care", "Care placement"
        EDUCATION = "education", "School or education setting"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="missing_episodes")
    kind = models.CharField("missing or away", max_length=1, choices=Kind.choices, default=Kind.MISSING)
    missing_from = models.CharField(max_length=10, choices=MissingFrom.choices)
    started_at = models.DateTimeField("when the child went missing")
    ended_at = models.DateTimeField("when the child returned or was found", null=True, blank=True)
    reported_to_police = models.BooleanField(default=False)
    police_reference = models.CharField(max_length=50, blank=True)
    where_found = models.CharField("where the child was found", max_length=200, blank=True)
    risks = models.TextField("risks while missing", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["child", "-started_at"]), models.Index(fields=["ended_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.started_at:%d %b %Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def duration(self):
        return self.ended_at - self.started_at if self.ended_at else None


class ReturnInterview(models.Model):
    """The return home interview offered after an episode: accepted or declined, and when it was done."""

    class Response(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined by the child"

    episode = models.OneToOneField(MissingEpisode, on_delete=models.CASCADE, related_name="return_interview")
    offered_at = models.DateTimeField("when the interview was offered")
    response = models.CharField("the child's response", max_length=10, choices=Response.choices)
    completed_at = models.DateTimeField("when the interview took place", null=True, blank=True)
    interviewer = models.CharField("who carried it out", max_length=150, blank=True)
    findings = models.TextField("what the child said and what happens next", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-offered_at", "-id"]
        verbose_name = "return home interview"

    def __str__(self):
        return f"Return home interview offered {self.offered_at:%d %b %Y %H:%M}"


class RiskLevel(models.TextChoices):
    NONE = "none", "No known risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ExploitationAssessment(models.Model):
    """A screening or assessment of the risk of sexual and criminal exploitation, with its review date."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="exploitation_assessments")
    assessed_on = models.DateField("date of the assessment")
    sexual_risk = models.CharField("risk of sexual exploitation", max_length=6, choices=RiskLevel.choices)
    criminal_risk = models.CharField("risk of criminal exploitation", max_length=6, choices=RiskLevel.choices)
    indicators = models.TextField("what shows the risk", blank=True)
    review_on = models.DateField("review date")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["child", "-assessed_on"])]

    def __str__(self):
        return f"Exploitation risk assessment on {self.assessed_on:%d %b %Y}"

    @property
    def at_risk(self) -> bool:
        return self.sexual_risk not in ("", RiskLevel.NONE) or self.criminal_risk not in ("", RiskLevel.NONE)


class ExploitationMeeting(models.Model):
    """A multi-agency exploitation meeting: its date and attendance are in the casework Meeting."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="exploitation_meetings")
    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="exploitation_meeting")
    decisions = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting__held_on", "-id"]

    def __str__(self):
        return f"Exploitation meeting on {self.meeting.held_on:%d %b %Y}"
