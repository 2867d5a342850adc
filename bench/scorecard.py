"""Issue 7: the full performance scorecard for the default synthetic authority and one ten times
larger (opencsc.performance.services.snapshot_take, as at the authority's date).

Each run is a fresh process (bench._worker), inside a transaction rolled back afterwards, so the
snapshot is not kept. Wall time is the median of 3 runs on the default authority and 1 run on the
x10 one; peak memory is ru_maxrss after the task, "task MB" that less the baseline: the memory in
use after Django setup and the imports, to which the peak is reset just before the task. "CPU s" is
the task's user + system CPU time, steadier than wall time on a busy machine.
Run alone with: python -m bench scorecard
(x1 only: OPENCSC_BENCH_AUTHORITIES=x1 python -m bench scorecard)
"""

from __future__ import annotations

import os

from bench import authorities, common

COMMAND = "python -m bench scorecard"
LABELS = {"scorecard": "Full scorecard (performance.services.snapshot_take)"}


def run(task: str = "scorecard") -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")  # for common.write_results
    group = "scorecard" if task == "scorecard" else f"harness_{task}"
    results: dict = {"command": COMMAND, "authorities": authorities.earlier(group)}
    rows = []
    for name in authorities.chosen():
        info = authorities.ensure(name)
        if info is None:
            found = {"available": False, "reason": f"the {name} authority is still being built"}
            results["authorities"].pop(name, None)
            rows.append((name, "-", "not available", "-", "-", "-", "-", found["reason"]))
            continue
        found = authorities.measure(task, name, repeat=authorities.repeats(name))
        results["authorities"][name] = {
            **found,
            "authority": {k: info.get(k) for k in ("size", "today", "children")},
        }
        size = f"{name} ({info.get('children', '?'):,} children, as at {info.get('today')})"
        if found.get("available"):
            made = ", ".join(f"{k}: {v:,}" for k, v in found.items() if k in ("figures", "rows", "children"))
            if found.get("indicators_not_available"):
                made += f"; {len(found['indicators_not_available'])} indicators not available"
            rows.append((size, *authorities.measured(found), made))
        else:
            rows.append((size, "-", "not available", "-", "-", "-", "-", found.get("reason", "")))
    common.table(
        f"{LABELS.get(task, task)}: each run in a fresh process; median of 3 runs for x1, 1 run for x10",
        ("Authority", "Runs", "median s", "CPU s", "Peak MB", "Baseline MB", "Task MB", "Made"),
        rows,
    )
    print(f"  Command: {COMMAND}")
    return {group: results}


if __name__ == "__main__":
    common.write_results(run())
