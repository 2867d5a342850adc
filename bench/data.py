"""The benchmark data: the synthetic authority, topped up to 100,000 children, plus one child
with ten years of history (500+ events) and one with five events. Built once; a marker file
records what was built, so later runs start at once."""

from __future__ import annotations

import datetime as dt
import json
import time

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from bench import common

TOTAL_CHILDREN = 100_000


def _marker_path():
    """What was built, for each kind of database (SQLite by default; OPENCSC_DATABASE=postgres too)."""
    vendor = "" if connection.vendor == "sqlite" else f"-{connection.vendor}"
    return common.bench_dir() / f"ready-v{common.DATA_VERSION}{vendor}.json"


def load() -> dict:
    return json.loads(_marker_path().read_text())


def ensure() -> dict:
    from opencsc.people.models import Child

    marker = _marker_path()
    database = str(settings.DATABASES["default"]["NAME"])
    if marker.exists():
        info = json.loads(marker.read_text())
        call_command("migrate", interactive=False, verbosity=0)
        if (info.get("database") == database and info.get("generator") == generator_fingerprint()
                and Child.objects.filter(pk=info["long_child"]).exists()):
            return info
        print("The benchmark data is out of date (the synthetic generator has changed since it was built).")
    return build()


def generator_fingerprint() -> str:
    """A hash of the code that makes the data (the synthetic generator and this file): when it changes,
    the data is built again rather than measured stale."""
    import hashlib
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for path in sorted([*(root / "opencsc" / "synthetic").rglob("*.py"), Path(__file__)]):
        if "tests" not in path.relative_to(root).parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build() -> dict:
    print("Building the benchmark data (once; about a minute)…", flush=True)
    started = time.perf_counter()
    marker = _marker_path()
    marker.unlink(missing_ok=True)
    if connection.vendor == "sqlite":
        connection.close()
        name = str(settings.DATABASES["default"]["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            common.bench_dir().joinpath(name.rsplit("/", 1)[-1] + suffix).unlink(missing_ok=True)
    else:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)

    from opencsc.accounts.models import User
    from opencsc.core import events, statistics
    from opencsc.core.models import Event
    from opencsc.synthetic.services import authority_generate

    today = timezone.localdate()
    ctx = authority_generate(seed=common.SEED, size=1.0, today=today)
    with transaction.atomic():
        _top_up(ctx, today)
        worker = User.objects.get(username="sw.demo")
        long_child = _history_child(
            ctx,
            today,
            worker,
            years=10,
            notes=330,
            chronology=100,
            allocations=30,
            addresses=45,
            name=("Jayden", "Okonkwo-Hart"),
        )
        short_child = _history_child(
            ctx,
            today,
            worker,
            years=1,
            notes=2,
            chronology=1,
            allocations=1,
            addresses=1,
            name=("Mia", "Pearson-Ward"),
        )
        # The two children's histories were written in bulk, as an import is: into the event log once.
        events.rebuild(child_ids=[long_child["pk"], short_child["pk"]])
        long_child["events"] = Event.objects.filter(child_id=long_child["pk"]).exclude(title="").count()
        short_child["events"] = Event.objects.filter(child_id=short_child["pk"]).exclude(title="").count()
        statistics.refresh()  # the top-up was a bulk load too
    info = {
        "version": common.DATA_VERSION,
        "generator": generator_fingerprint(),
        "database": str(settings.DATABASES["default"]["NAME"]),
        "built_on": today.isoformat(),
        "long_child": long_child["pk"],
        "long_events": long_child["events"],
        "short_child": short_child["pk"],
        "short_events": short_child["events"],
        "worker": worker.username,
        "seconds": round(time.perf_counter() - started, 1),
    }
    marker.write_text(json.dumps(info, indent=2) + "\n")
    print(f"Built in {info['seconds']}s.", flush=True)
    return info


def _top_up(ctx, today) -> None:
    """Children beyond those known to the service, with realistic names and an address each."""
    from opencsc.people.models import Child
    from opencsc.people.names import search_keys
    from opencsc.synthetic import identifiers, names

    rng = ctx.rng("bench-top-up")
    existing = Child.objects.count()
    used_nhs = set(Child.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True))
    postcodes = ctx.extra["postcodes"]
    start = len(ctx.children) + 1
    batch = []
    for n in range(start, start + TOTAL_CHILDREN - existing):
        ethnicity = names.choose_ethnicity(rng)
        sex = rng.choice("MF")
        first, last = names.first_name(rng, ethnicity, sex), names.last_name(rng, ethnicity)
        batch.append(
            Child(
                la_child_id=identifiers.la_child_id(n),
                nhs_number=identifiers.nhs_number(rng, used_nhs),
                first_name=first,
                last_name=last,
                sex=sex,
                ethnicity=ethnicity,
                date_of_birth=today - dt.timedelta(days=rng.randint(14, 18 * 365 - 1)),
                **search_keys(first, last),
            )
        )
        if len(batch) == 5000:
            _save_with_addresses(batch, rng, postcodes)
            batch = []
    _save_with_addresses(batch, rng, postcodes)


def _save_with_addresses(batch, rng, postcodes) -> None:
    from opencsc.people.models import Address, Child

    saved = Child.objects.bulk_create(batch, batch_size=2000)
    Address.objects.bulk_create(
        [
            Address(
                child_id=c.pk,
                line_1=f"{rng.randint(1, 200)} Station Road",
                town="Northvale",
                postcode=rng.choice(postcodes),
                start_date=c.date_of_birth,
            )
            for c in saved
        ],
        batch_size=2000,
    )


def _history_child(ctx, today, worker, *, years, notes, chronology, allocations, addresses, name) -> dict:
    from opencsc.casework.models import Allocation, CaseNote, ChronologyEntry
    from opencsc.people.models import Address, Child
    from opencsc.people.names import search_keys
    from opencsc.synthetic.context import historical_timestamps

    rng = ctx.rng(f"bench-history-{name[0]}")
    began = today - dt.timedelta(days=365 * years)
    child = Child.objects.create(
        la_child_id=f"B{rng.randrange(10**6):06d}",
        first_name=name[0],
        last_name=name[1],
        date_of_birth=began - dt.timedelta(days=365 * 2),
        sex="M",
        ethnicity="MWBA",
        **search_keys(*name),
    )
    span = (today - began).days
    team = worker.team

    def day(i, count):
        return began + dt.timedelta(days=span * i // max(count, 1))

    for i in range(addresses):
        end = day(i + 1, addresses) - dt.timedelta(days=1) if i + 1 < addresses else None
        Address.objects.create(
            child=child,
            line_1=f"{i + 1} Bench Road",
            town="Northvale",
            postcode=rng.choice(ctx.extra["postcodes"]),
            start_date=day(i, addresses),
            end_date=end,
        )
    Allocation.objects.bulk_create(
        [
            Allocation(
                child=child,
                worker=worker,
                team=team,
                start_date=day(i, allocations),
                end_date=(day(i + 1, allocations) - dt.timedelta(days=1)) if i + 1 < allocations else None,
                reason="Change of worker",
            )
            for i in range(allocations)
        ]
    )
    with historical_timestamps(CaseNote, "created_at", "updated_at"):
        CaseNote.objects.bulk_create(
            [
                CaseNote(
                    child=child,
                    note_type=rng.choice(["home_visit", "phone_call", "management_oversight"]),
                    contact_date=day(i, notes),
                    child_seen=True,
                    child_seen_alone=i % 2 == 0,
                    subject="Home visit",
                    body="Visited the child at home. " * 8,
                    author=worker,
                    created_at=ctx.at(day(i, notes)),
                    updated_at=ctx.at(day(i, notes)),
                )
                for i in range(notes)
            ]
        )
    with historical_timestamps(ChronologyEntry, "created_at"):
        ChronologyEntry.objects.bulk_create(
            [
                ChronologyEntry(
                    child=child,
                    event_date=day(i, chronology),
                    title="Significant event",
                    detail="Recorded from the case file.",
                    author=worker,
                    created_at=ctx.at(day(i, chronology)),
                )
                for i in range(chronology)
            ]
        )
    return {"pk": child.pk, "events": notes + chronology + allocations + addresses}
