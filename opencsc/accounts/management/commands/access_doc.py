"""Write docs/access.md's permissions section from the policy registry, or check that it is current."""

from django.core.management.base import BaseCommand, CommandError

from opencsc.accounts.access_doc import doc_path, render


class Command(BaseCommand):
    help = "Write the permissions section of docs/access.md from the policy (--check: fail if it is out of date)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Change nothing; fail if the document is stale.")

    def handle(self, *args, check=False, **options):
        path = doc_path()
        current = path.read_text(encoding="utf-8")
        wanted = render(current)
        if check:
            if wanted != current:
                raise CommandError("docs/access.md is out of date: run `manage.py access_doc`")
            self.stdout.write("docs/access.md is up to date")
            return
        path.write_text(wanted, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
