"""The shared state every generation step reads and adds to.

Each step draws from its own random number generator, derived from the seed
and the step's name, so adding a step (or changing one) leaves the others'
data unchanged, and the same seed and size always give the same authority.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from faker import Faker

BATCH_SIZE = 2000


def eighteenth(born: dt.date) -> dt.date:
    """The 18th birthday (1 March for someone born on 29 February): children's records end by then."""
    try:
        return born.replace(year=born.year + 18)
    except ValueError:
        return dt.date(born.year + 18, 3, 1)


@dataclass
class ChildPlan:
    """What the generator decided about one child, for later steps to build on.

    Not stored: later steps (episodes, plans, placements...) read it to make
    records that agree with the child's story.
    """

    index: int
    household: int
    pk: int | None = None
    first_name: str = ""
    last_name: str = ""
    date_of_birth: dt.date | None = None
    expected_date_of_birth: dt.date | None = None
    sex: str = "U"
    ethnicity: str = "NOBT"
    service: str = "closed"  # which service holds the child: see people.SERVICES
    known_from: dt.date | None = None  # first contact with children's social care
    closed_on: dt.date | None = None  # None while the case is open
    postcode: str = ""
    is_care_leaver: bool = False
    is_near_duplicate_of: int | None = None
    in_need_until_closed: bool = False  # a closed case that was in need (a plan) until it closed, in the last year

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


@dataclass
class GenerationContext:
    seed: int
    size: float
    today: dt.date
    batch_size: int = BATCH_SIZE
    # Filled in by the steps, in order.
    teams: dict[str, object] = field(default_factory=dict)  # team name -> Team
    staff_by_team: dict[str, list] = field(default_factory=dict)  # team name -> [User]
    demo_users: dict[str, object] = field(default_factory=dict)  # username -> User
    organisations: dict[str, list] = field(default_factory=dict)  # kind -> [Organisation]
    professionals: dict[str, list] = field(default_factory=dict)  # kind -> [Professional]
    schools: list[tuple[str, str]] = field(default_factory=list)  # (name, URN)
    children: list[ChildPlan] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, object] = field(default_factory=dict)  # for later steps

    def rng(self, name: str) -> random.Random:
        """A random number generator for one step, the same for the same seed."""
        return random.Random(f"opencsc:{self.seed}:{name}")

    def faker(self, name: str, locale: str = "en_GB") -> Faker:
        fake = Faker(locale)
        fake.seed_instance(f"opencsc:{self.seed}:{name}:{locale}")
        return fake

    def scaled(self, number: float, minimum: int = 1) -> int:
        """`number` at the default size, scaled to this authority's size."""
        return max(minimum, round(number * self.size))

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(settings.TIME_ZONE)

    def at(self, day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
        """A timezone-aware moment on `day` (local time)."""
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def count(self, key: str, number: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + number


def bulk_create(model, rows: Iterable, ctx: GenerationContext, key: str | None = None) -> list:
    """bulk_create in batches; returns the saved rows (with primary keys on SQLite and PostgreSQL)."""
    rows = list(rows)
    saved = model.objects.bulk_create(rows, batch_size=ctx.batch_size)
    ctx.count(key or model._meta.verbose_name_plural, len(saved))
    return saved


ProgressCallback = Callable[[str], None]


class historical_timestamps:  # noqa: N801 - used as a context manager
    """Let bulk_create keep the `created_at`-style times we give it.

    Fields with auto_now/auto_now_add are stamped with the current time on
    insert; synthetic history needs the time the record would have been made.
    """

    def __init__(self, model, *field_names: str):
        self.fields = [model._meta.get_field(name) for name in field_names]
        self.saved: list[tuple] = []

    def __enter__(self):
        self.saved = [(f, f.auto_now, f.auto_now_add) for f in self.fields]
        for f in self.fields:
            f.auto_now = f.auto_now_add = False
        return self

    def __exit__(self, *exc):
        for f, auto_now, auto_now_add in self.saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add
        return False
