"""`manage.py audit verify`: check the audit and access logs' hash chains (core/chain.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opencsc.core import chain


class Command(BaseCommand):
    help = "Check that the audit log and the access log have not been changed (their hash chains)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"],
                            help="verify: walk each log's hash chain and report the first broken link.")

    def handle(self, *args, action, **options):
        broken = []
        for model in chain.CHAINED:
            result = chain.verify(model)
            name = model._meta.verbose_name_plural.capitalize()
            if result.ok:
                self.stdout.write(
                    f"{name}: {result.rows:,} rows, the chain is unbroken. Last hash {result.head}"
                )
                continue
            when = timezone.localtime(result.broken_when).strftime("%d %b %Y %H:%M:%S") if result.broken_when else ""
            self.stdout.write(
                f"{name}: BROKEN at row {result.broken_at} ({when}), row {result.rows:,} in order: "
                f"{result.reason}. Rows before it are intact; last good hash {result.head}"
            )
            broken.append(name)
        if broken:
            raise CommandError(f"The chain is broken in: {', '.join(broken)}")
