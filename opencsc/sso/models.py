"""Which council account (at the OpenID Connect provider) signs in as which OpenCSC user."""

from django.conf import settings
from django.db import models


class SsoIdentity(models.Model):
    """A link, set by an administrator, from a stable identity at the provider to an existing user.

    `issuer` is the provider's issuer exactly as in its ID tokens, `subject` the value of the configured
    claim (`sub`, or Entra ID's `oid`). Tokens never create or change a user: they only find one here.
    """

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities")
    linked_at = models.DateTimeField(auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Empty when linked with manage.py sso_link.")
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = "single sign-on account"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_one_user_per_subject"),
            models.UniqueConstraint(fields=["issuer", "user"], name="sso_one_subject_per_user"),
        ]

    def __str__(self):
        return f"{self.user} at {self.issuer}"
