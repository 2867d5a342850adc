"""Out-of-hours entries: what the emergency duty team did and decided, and the day team's acknowledgement.

No business logic here: the rules are in services.py and rules.py.
"""

from django.conf import settings
from django.db import models

from opencsc.accounts.models import Team
from opencsc.people.models import Child


class OutOfHoursEntry(models.Model):
    """One out-of-hours piece of work on a child, handed over to the day team the next working morning."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="out_of_hours_entries")
    occurred_at = models.DateTimeField("when it happened")
    what_happened = models.TextField()
    action_taken = models.TextField()
    decision = models.TextField()
    police_protection = models.BooleanField("police protection used", default=False)
    placement_made = models.BooleanField("emergency placement made", default=False)
    placement_details = models.CharField("where the child was placed", max_length=250, blank=True)
    follow_up = models.TextField("what the day team needs to do")
    day_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="out_of_hours_handovers")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = "out-of-hours entry"
        verbose_name_plural = "out-of-hours entries"
        indexes = [
            models.Index(fields=["child", "-occurred_at"]),
            models.Index(fields=["day_team", "acknowledged_at"]),
        ]

    def __str__(self):
        return f"Out-of-hours entry {self.occurred_at:%d %b %Y %H:%M}"
