"""The issue 7 benchmark authorities: the default synthetic authority and one ten times larger.

Each is a SQLite database of its own, var/bench/authority-x1.sqlite3 (size 1.0) and
var/bench/authority-x10.sqlite3 (size 10.0), generated once by
opencsc.synthetic.services.authority_generate in a process of its own (the database setting is
per process: bench.authority_settings reads OPENCSC_BENCH_AUTHORITY). A marker file,
var/bench/authority-<name>.json, records what was built (seed, size, as-at date, time and peak
memory), so later runs start at once.

Build one alone (the x10 one takes a long time):  python -m bench.authorities build x10
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SIZES = {"x1": 1.0, "x10": 10.0}
MARKER_VERSION = "1"
ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
ENV_NAME = "OPENCSC_BENCH_AUTHORITY"


def database_path(name: str) -> Path:
    return BENCH_DIR / f"authority-{name}.sqlite3"


def marker_path(name: str) -> Path:
    return BENCH_DIR / f"authority-{name}.json"


def log_path(name: str) -> Path:
    return BENCH_DIR / f"authority-{name}.log"


def load(name: str) -> dict | None:
    """What was built for `name`, or None when it is missing or out of date."""
    marker = marker_path(name)
    if not marker.exists() or not database_path(name).exists():
        return None
    try:
        info = json.loads(marker.read_text())
    except ValueError:
        return None
    if info.get("version") != MARKER_VERSION or info.get("size") != SIZES[name]:
        return None
    return info


def environment(name: str) -> dict:
    env = dict(os.environ)
    env[ENV_NAME] = name
    env["DJANGO_SETTINGS_MODULE"] = "bench.authority_settings"
    env.pop("OPENCSC_DATABASE", None)  # SQLite only
    return env


def building_path(name: str) -> Path:
    return BENCH_DIR / f"authority-{name}.building"


def being_built(name: str) -> int | None:
    """The process id of a build of `name` that is running now, if any."""
    try:
        pid = int(building_path(name).read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def ensure(name: str) -> dict | None:
    """The authority `name`, built first (in a subprocess, logged with /usr/bin/time -v) if need be,
    and migrated to the current models; None while another process is building it."""
    info = load(name)
    pid = being_built(name)
    if info is None and pid is not None:
        print(
            f"The {name} benchmark authority is being built by process {pid} (log in {log_path(name)}): "
            "not measured this time.",
            flush=True,
        )
        return None
    if info is None:
        print(
            f"Building the {name} benchmark authority (size {SIZES[name]:g}; once; log in {log_path(name)})…",
            flush=True,
        )
        command = [sys.executable, "-m", "bench.authorities", "build", name]
        if Path("/usr/bin/time").exists():
            command = ["/usr/bin/time", "-v", *command]
        with log_path(name).open("w") as log:
            done = subprocess.run(
                command, cwd=ROOT, env=environment(name), stdout=log, stderr=subprocess.STDOUT
            )
        if done.returncode != 0:
            raise RuntimeError(f"Building the {name} authority failed: see {log_path(name)}")
        info = load(name)
        if info is None:
            raise RuntimeError(f"Building the {name} authority wrote no marker: see {log_path(name)}")
        print(f"Built in {info['seconds']}s, peak memory {info['peak_mb']} MB.", flush=True)
    else:
        # New migrations from other apps since the build: bring the database up to date.
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--verbosity", "0", "--skip-checks"],
            cwd=ROOT,
            env=environment(name),
            check=True,
        )
    return info


def collection_year_ending(info: dict) -> int:
    """The last complete collection year at the authority's date (as bench._worker.collection_year)."""
    import datetime as dt

    today = dt.date.fromisoformat(info["today"])
    return (today.year + 1 if today.month >= 4 else today.year) - 1


def run_worker(task: str, name: str, *, folder: Path | None = None) -> dict:
    """One run of `task` on authority `name` in a fresh process (bench._worker): its JSON line, or
    {"available": False, "reason": ...} when it failed."""
    command = [sys.executable, "-m", "bench._worker", task, "--authority", name]
    if folder is not None:
        command += ["--folder", str(folder)]
    from bench._worker import TASKS  # no Django at import

    out = _json_process(command, environment(name), f"{task} on {name}")
    out.setdefault("task", task)
    out.setdefault("label", TASKS[task].label if task in TASKS else task)
    return out


def run_dfe903(folder: Path, year_ending: int) -> dict:
    """The DfE's 903 validator on the files in `folder`, in its own environment (bench/_dfe903.py)."""
    python = ROOT / ".dfe-validators" / "bin" / "python"
    if not python.exists():
        return {"available": False, "reason": f"{python} is missing (make dfe-validators)"}
    command = [str(python), str(ROOT / "bench" / "_dfe903.py"), str(folder), "--year", str(year_ending)]
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV")}
    return _json_process(command, env, "the DfE 903 validator")


def _json_process(command: list[str], env: dict, what: str) -> dict:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [
        line for line in done.stdout.splitlines() if line.startswith("{") and line.rstrip().endswith("}")
    ]
    if done.returncode == 0 and lines:
        try:
            return json.loads(lines[-1])
        except ValueError:
            pass
    last = (done.stderr.strip().splitlines() or done.stdout.strip().splitlines() or ["no output"])[-1]
    return {"available": False, "reason": f"{what} failed (exit {done.returncode}): {last[:300]}"}


def measure(task: str, name: str, *, repeat: int, folder: Path | None = None) -> dict:
    """`repeat` runs of `task`, each in a fresh process: the median time and the highest peak."""
    runs = []
    for _ in range(repeat):
        out = run_worker(task, name, folder=folder)
        if not out.get("available"):
            return out
        runs.append(out)
    return summarise(runs)


def summarise(runs: list[dict]) -> dict:
    import statistics

    last = dict(runs[-1])
    last.pop("seconds", None)
    return {
        **last,
        "runs": len(runs),
        "seconds_each": [r["seconds"] for r in runs],
        "median_s": round(statistics.median(r["seconds"] for r in runs), 3),
        "median_cpu_s": round(statistics.median(r.get("cpu_seconds", r["seconds"]) for r in runs), 3),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "baseline_mb": max(r["baseline_mb"] for r in runs),
        "task_mb": round(max(r.get("task_mb", r["peak_mb"] - r["baseline_mb"]) for r in runs), 1),
    }


# The figures summarise() makes for each measurement, in the order the tables print them.
MEASURED = ("runs", "median_s", "median_cpu_s", "peak_mb", "baseline_mb", "task_mb")


def measured(found: dict) -> tuple:
    return tuple(found[key] for key in MEASURED)


def earlier(group: str) -> dict:
    """The authorities measured by an earlier run of `group` (from var/bench/results.json), so that
    measuring one authority alone keeps the other's figures."""
    path = BENCH_DIR / "results.json"
    try:
        return dict(json.loads(path.read_text()).get(group, {}).get("authorities", {}))
    except (OSError, ValueError, AttributeError):
        return {}


def repeats(name: str) -> int:
    """Three runs on the default authority (the median is reported), one on the x10 one."""
    return 3 if name == "x1" else 1


def chosen(argv: list[str] | None = None) -> list[str]:
    """The authorities to measure: OPENCSC_BENCH_AUTHORITIES="x1" (or "x1,x10", the default)."""
    names = [n.strip() for n in os.environ.get("OPENCSC_BENCH_AUTHORITIES", "x1,x10").split(",") if n.strip()]
    unknown = [n for n in names if n not in SIZES]
    if unknown:
        raise SystemExit(f"Unknown authority {', '.join(unknown)}: choose from {', '.join(SIZES)}")
    return names


def _setup(name: str) -> None:
    os.environ[ENV_NAME] = name
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.authority_settings"
    import django

    django.setup()


def build(name: str) -> dict:
    """Generate the authority `name` into a fresh database (run in a process of its own)."""
    _setup(name)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import common
    from opencsc.synthetic.services import authority_generate

    marker = marker_path(name)
    marker.unlink(missing_ok=True)
    building_path(name).write_text(f"{os.getpid()}\n")
    connection.close()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database_path(name)}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    today = timezone.localdate()

    def on_step(step):
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"[{time.perf_counter() - started:8.1f}s, peak {rss} MB] {step.label}", flush=True)

    ctx = authority_generate(seed=common.SEED, size=SIZES[name], today=today, on_step=on_step)
    from opencsc.people.models import Child

    info = {
        "version": MARKER_VERSION,
        "name": name,
        "size": SIZES[name],
        "seed": common.SEED,
        "today": today.isoformat(),
        "database": str(database_path(name)),
        "children": Child.objects.count(),
        "counts": {str(k): v for k, v in ctx.counts.items()},  # some keys are lazy translations
        "seconds": round(time.perf_counter() - started, 1),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "database_mb": round(database_path(name).stat().st_size / 2**20, 1),
    }
    marker.write_text(json.dumps(info, indent=2) + "\n")
    building_path(name).unlink(missing_ok=True)
    print(json.dumps(info, indent=2), flush=True)
    return info


def adopt(name: str) -> dict:
    """Write the marker for a database that was generated but has none (a build that stopped after
    generating), from the generation's audit event and the build log's /usr/bin/time figures."""
    import re

    _setup(name)
    from opencsc.core.models import AuditEvent
    from opencsc.people.models import Child

    event = AuditEvent.objects.filter(summary__startswith="Synthetic local authority generated").latest("pk")
    found = re.search(r"seed (\d+), size ([\d.]+), as at (\d{4}-\d\d-\d\d)", event.summary)
    if not found or float(found[2]) != SIZES[name]:
        raise SystemExit(f"The {name} database was not generated at size {SIZES[name]:g}: {event.summary}")
    log = log_path(name).read_text() if log_path(name).exists() else ""
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", log)
    steps = re.findall(r"^\[\s*([\d.]+)s, peak", log, re.M)
    info = {
        "version": MARKER_VERSION,
        "name": name,
        "size": SIZES[name],
        "seed": int(found[1]),
        "today": found[3],
        "database": str(database_path(name)),
        "children": Child.objects.count(),
        "counts": {},
        "seconds": float(steps[-1]) if steps else None,  # to the start of the last step (from the log)
        "peak_mb": int(peak[1]) // 1024 if peak else None,
        "database_mb": round(database_path(name).stat().st_size / 2**20, 1),
        "adopted": True,
    }
    marker_path(name).write_text(json.dumps(info, indent=2) + "\n")
    building_path(name).unlink(missing_ok=True)
    print(json.dumps(info, indent=2), flush=True)
    return info


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "build" and sys.argv[2] in SIZES:
        build(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "adopt" and sys.argv[2] in SIZES:
        adopt(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "ensure" and sys.argv[2] in SIZES:
        ensure(sys.argv[2])
    else:
        sys.exit(f"Usage: python -m bench.authorities build|ensure|adopt {'|'.join(SIZES)}")
