"""Run the benchmarks and print the figures.

    python -m bench                     every group
    python -m bench returns scorecard   only the groups named

Groups: record_page, person_search, timescales (on the shared benchmark database) and scorecard,
returns (issue 7: the default synthetic authority and one ten times larger, each measurement in a
process of its own; OPENCSC_BENCH_AUTHORITIES=x1 to measure the default authority alone), log_chain
(issue 15: the hash-chained audit log's cost, on an empty database of its own), load (issue 16: simulated
users on the demo stack, or with OPENCSC_BENCH_LOAD_TARGET=production the production stack on PostgreSQL;
see bench/load.py).
"""

import sys

from bench import common

GROUPS = ("record_page", "person_search", "timescales", "scorecard", "returns", "log_chain", "load")
SHARED_DATA = {"record_page", "person_search", "timescales"}
ON_REQUEST = {"load"}  # minutes of load on a running stack: only when named


def main(argv: list[str] | None = None) -> None:
    names = list(sys.argv[1:] if argv is None else argv) or [g for g in GROUPS if g not in ON_REQUEST]
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        raise SystemExit(f"Unknown benchmark {', '.join(unknown)}: choose from {', '.join(GROUPS)}")
    if SHARED_DATA & set(names):
        common.setup()
    import importlib

    results = {}
    for name in names:
        results.update(importlib.import_module(f"bench.{name}").run())
    common.write_results(results)


if __name__ == "__main__":
    main()
