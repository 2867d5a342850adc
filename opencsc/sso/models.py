"""Which council account (at the OpenID Connect provider) signs in as which OpenCSC user."""

from django.conf import settings
from django.db import models

from opencsc.accounts.roles import PRIVILEGED_ROLES


class SsoIdentity(models.Model):
    """A link, set by an administrator, from a stable identity at the provider to an existing user.

    `issuer` is the provider's issuer exactly as in its ID tokens, `subject` the value of the configured
    claim (`sub`, or Entra ID's `oid`). Tokens never create or change a user: they only find one here.

    A link to a user whose role can see children's records (accounts.roles.PRIVILEGED_ROLES) signs them in
    only once a service manager other than the one who linked it, and other than the user, has approved it
    (`status`). A link to an administrator needs no approval while they stay an administrator (see
    `signs_in`): if their role is raised, the link waits for approval again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        ADMINISTRATOR = "administrator", "No approval needed (an administrator's account)"

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities")
    linked_at = models.DateTimeField(auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Who asked for the link. Empty when linked with manage.py sso_link.")
    last_signed_in_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The service manager who approved or declined the link. Empty when the system set-up "
                  "approved it (manage.py sso_link --approve).")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was declined, or how the system set-up approved it.")

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = "single sign-on account"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_one_user_per_subject"),
            models.UniqueConstraint(fields=["issuer", "user"], name="sso_one_subject_per_user"),
        ]

    def __str__(self):
        return f"{self.user} at {self.issuer}"

    @property
    def signs_in(self) -> bool:
        """Whether a sign-in through this link is let through: approved, or made for an administrator
        who is still one (an administrator sees no child's record)."""
        if self.status == self.Status.APPROVED:
            return True
        return self.status == self.Status.ADMINISTRATOR and self.user.role not in PRIVILEGED_ROLES

    @property
    def awaiting_approval(self) -> bool:
        """Waiting for a service manager: asked for, or made for an administrator whose role was raised."""
        if self.status == self.Status.PENDING:
            return True
        return self.status == self.Status.ADMINISTRATOR and self.user.role in PRIVILEGED_ROLES
