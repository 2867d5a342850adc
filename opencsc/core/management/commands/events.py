"""manage.py events rebuild | verify: fill the event log from the source records, or prove it matches them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from opencsc.core import events

SHOWN = 50  # differences listed in full; the rest are counted


class Command(BaseCommand):
    help = ("rebuild: fill the event log (core.Event) from the source records (after an upgrade or a bulk "
            "import). verify: list every difference between the event log and what the source records "
            "imply; exits with status 1 if there is any.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "verify"])
        parser.add_argument("--kind", action="append", dest="kinds", metavar="KIND",
                            help="Only this source (repeat for more). Default: every source.")
        parser.add_argument("--all", action="store_true", help="verify: list every difference, not the first 50.")

    def handle(self, *args, action, kinds, all, **options):
        known = {source.key for source in events.sources()}
        unknown = sorted(set(kinds or ()) - known)
        if unknown:
            raise CommandError(f"No event source called {', '.join(unknown)}. Sources: {', '.join(sorted(known))}")
        if action == "rebuild":
            written = events.rebuild(kinds=kinds)
            for key, count in sorted(written.items()):
                self.stdout.write(f"{key}: {count} events")
            self.stdout.write(self.style.SUCCESS(f"Event log rebuilt: {sum(written.values())} events."))
            return
        differences = events.verify(kinds=kinds)
        if not differences:
            self.stdout.write(self.style.SUCCESS("The event log matches the source records."))
            return
        for difference in differences if all else differences[:SHOWN]:
            self.stdout.write(str(difference))
        if not all and len(differences) > SHOWN:
            self.stdout.write(f"... and {len(differences) - SHOWN} more (--all lists them all)")
        raise CommandError(f"The event log differs from the source records in {len(differences)} places. "
                           "Run `manage.py events rebuild` to write it again, and report the cause.",
                           returncode=1)
