"""Link (or unlink) a user's council account for single sign-on, from the server's shell.

    manage.py sso_link <username> <subject>            # the value of OPENCSC_OIDC_SUBJECT_CLAIM ("sub", "oid")
    manage.py sso_link <username> <subject> --approve  # and record the approval as the system set-up's
    manage.py sso_link <username> --unlink

The same service as the administrators' page, audited the same way ("with manage.py sso_link"). A link to a
user whose role can see children's records waits, as on the page, for a service manager's approval on the
Single sign-on approvals page. Whoever runs this command has the server (and so its database): a second
person cannot be enforced against them, so --approve lets them say, explicitly, that the system set-up
approves the link (for a first set-up, before there is a service manager to approve it). That approval is
recorded on the link ("Approved by the system set-up with manage.py sso_link --approve") and in the audit
log. A link to an administrator needs no approval while they stay one (--approve changes nothing for it).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from opencsc.accounts.models import User
from opencsc.sso import config, services


class Command(BaseCommand):
    help = ("Link a user's council account (issuer + subject) to their OpenCSC account for single sign-on. "
            "A link to a user who can see children's records waits for a service manager's approval, unless "
            "--approve is given: that records the approval as given by the system set-up (whoever runs this "
            "command has the server), on the link and in the audit log.")

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("subject", nargs="?", default="")
        parser.add_argument("--issuer", default="", help="Default: OPENCSC_OIDC_ISSUER.")
        parser.add_argument("--unlink", action="store_true", help="Remove the user's links instead.")
        parser.add_argument(
            "--approve", action="store_true",
            help="Approve the link now, as the system set-up, instead of leaving it for a service manager. "
                 "Recorded on the link and in the audit log as approved by the system set-up.")

    def handle(self, *args, username, subject, issuer, unlink, approve, **options):
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
            identity = services.identity_link(actor=None, user=user, subject=subject, issuer=issuer,
                                              approve=approve)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Linked {username} to {identity.subject} at {identity.issuer}")
        if identity.awaiting_approval:
            self.stdout.write("The link is waiting for a service manager's approval (Single sign-on approvals), "
                              "or run this again with --approve to approve it as the system set-up.")
        elif identity.status == identity.Status.APPROVED:
            self.stdout.write("Approved by the system set-up (recorded on the link and in the audit log).")
        else:
            self.stdout.write("No approval needed while they are an administrator.")
