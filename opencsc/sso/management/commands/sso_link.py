"""Link (or unlink) a user's council account for single sign-on, from the server's shell.

    manage.py sso_link <username> <subject>        # the value of OPENCSC_OIDC_SUBJECT_CLAIM ("sub", "oid")
    manage.py sso_link <username> --unlink

The same service as the administrators' page, audited the same way ("with manage.py sso_link").
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from opencsc.accounts.models import User
from opencsc.sso import config, services


class Command(BaseCommand):
    help = "Link a user's council account (issuer + subject) to their OpenCSC account for single sign-on."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("subject", nargs="?", default="")
        parser.add_argument("--issuer", default="", help="Default: OPENCSC_OIDC_ISSUER.")
        parser.add_argument("--unlink", action="store_true", help="Remove the user's links instead.")

    def handle(self, *args, username, subject, issuer, unlink, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}")
        if unlink:
            removed = services.identity_unlink(actor=None, user=user)
            self.stdout.write(f"Removed {removed} link{'s' if removed != 1 else ''} of {username}")
            return
        if not subject:
            raise CommandError("Give the council account's identifier (the subject), or --unlink")
        issuer = issuer or config.issuer()
        try:
            identity = services.identity_link(actor=None, user=user, subject=subject, issuer=issuer)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Linked {username} to {identity.subject} at {identity.issuer}")
