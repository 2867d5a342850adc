"""Settings for the issue 7 benchmarks: bench.settings with the database of one synthetic authority.

OPENCSC_BENCH_AUTHORITY names it ("x1" for the default authority, "x10" for one ten times larger);
the file is var/bench/authority-<name>.sqlite3. SQLite only. Set by bench.authorities and
bench._worker, each in a process of its own.
"""

import os

from bench.settings import *  # noqa: F401,F403
from bench.settings import BENCH_DIR

AUTHORITY = os.environ.get("OPENCSC_BENCH_AUTHORITY", "x1")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BENCH_DIR / f"authority-{AUTHORITY}.sqlite3",
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }
}
