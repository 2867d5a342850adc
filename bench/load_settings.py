"""Settings for the load benchmark's demo target (bench.load): the demo's settings (SQLite in WAL mode, served
by gunicorn with threads and a worker), on the benchmark's own copy of a demo database,
OPENCSC_BENCH_LOAD_DB (var/bench/load-demo.sqlite3 by default)."""

import os

from config.settings.demo import *  # noqa: F401,F403
from config.settings.demo import BASE_DIR, DATABASES

DATABASES["default"]["NAME"] = os.environ.get("OPENCSC_BENCH_LOAD_DB") or str(
    BASE_DIR / "var" / "bench" / "load-demo.sqlite3"
)
