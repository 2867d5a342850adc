"""Issue a two-factor set-up code from the command line: how the first administrator gets one."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from opencsc.accounts.models import User
from opencsc.accounts.services import two_factor_code_issue


class Command(BaseCommand):
    help = ("Issue a one-time two-factor set-up code for a user (printed once; audited as issued by the system "
            "set-up). For the first administrator: others get theirs from an administrator's user page.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}")
        try:
            code = two_factor_code_issue(actor=None, user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Set-up code for {user.username}: {code}\n"
                          "Give it to them in person or by phone. It works once; it is not shown again.")
