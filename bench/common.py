"""Setting Django up for the benchmarks, building their data once, timing and printing."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

DATA_VERSION = "1"
SEED = 2014
_ready = False


def setup() -> None:
    """Django with bench.settings, migrated, with the benchmark data in place."""
    global _ready
    if _ready:
        return
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from bench import data

    data.ensure()
    _ready = True


def bench_dir() -> Path:
    from django.conf import settings

    path = Path(settings.BENCH_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def timings(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> list[float]:
    """Milliseconds for each of `repeat` calls, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    p95 = statistics.quantiles(ordered, n=20, method="inclusive")[-1] if len(ordered) > 1 else ordered[0]
    return {"median_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1), "runs": len(ordered)}


def verdict(value: float, target: float) -> str:
    return "meets target" if value < target else "MISSES TARGET"


def table(title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    cells = [tuple(str(c) for c in header)] + [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    print(f"\n{title}")
    for i, row in enumerate(cells):
        print("  " + "  ".join(c.ljust(widths[n]) for n, c in enumerate(row)).rstrip())
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths))
    sys.stdout.flush()


def write_results(results: dict) -> Path:
    path = bench_dir() / "results.json"
    existing = {}
    if path.exists():
        try:
            existing = json.loads(path.read_text())
        except ValueError:
            existing = {}
    existing.update(results)
    path.write_text(json.dumps(existing, indent=2, default=str) + "\n")
    print(f"\nResults written to {path}")
    return path


_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements(captured) -> list[str]:
    """The SQL statements a CaptureQueriesContext saw, without transaction control (SQLite's driver logs its
    BEGIN and COMMIT as queries, PostgreSQL's does not: counting them would make the two disagree)."""
    return [q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith(_TRANSACTION_CONTROL)]
