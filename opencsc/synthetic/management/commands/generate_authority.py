"""manage.py generate_authority --seed 2014 --size 1 [--today 2026-11-23] [--quiet]"""

from __future__ import annotations

import datetime as dt
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from opencsc.synthetic.constants import DEFAULT_SEED, DEFAULT_SIZE
from opencsc.synthetic.pipeline import STEPS
from opencsc.synthetic.services import AuthorityNotEmptyError, authority_generate


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError("Enter --today as a date like 2026-11-23") from None


class Command(BaseCommand):
    help = "Fill an empty database with a synthetic local authority, reproducibly from a seed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED})."
        )
        parser.add_argument(
            "--size",
            type=float,
            default=DEFAULT_SIZE,
            help="Size of the authority: 1 is about 6,000 children known to the service; "
            "0.1 is a tenth of that.",
        )
        parser.add_argument(
            "--today", type=_date, default=None, help="The date the data is as at (YYYY-MM-DD)."
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, seed, size, today, quiet, **options):
        if size <= 0:
            raise CommandError("Enter a --size more than 0")
        show = not quiet and options.get("verbosity", 1) > 0 and sys.stderr.isatty()
        bar = tqdm(total=len(STEPS), disable=not show, unit="step", file=sys.stderr)
        started = time.perf_counter()

        def on_step(step):
            if bar.n or step is not STEPS[0]:
                bar.update(1)
            bar.set_description(step.label)

        try:
            ctx = authority_generate(seed=seed, size=size, today=today, on_step=on_step)
        except AuthorityNotEmptyError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.update(bar.total - bar.n)
            bar.close()
        elapsed = time.perf_counter() - started
        if options.get("verbosity", 1) > 0:
            summary = ", ".join(f"{n:,} {key}" for key, n in ctx.counts.items())
            self.stdout.write(
                f"Generated a synthetic authority (seed {seed}, size {size:g}) in {elapsed:.1f}s: {summary}."
            )
