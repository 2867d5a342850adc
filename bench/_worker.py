"""One measurement in a process of its own, so that its peak memory is its own:

    python -m bench._worker <task> --authority x1|x10 [--folder DIR]

Sets Django up on the authority's database (bench.authority_settings), imports what the task
needs, resets the process's peak memory to what it uses now (Linux /proc/self/clear_refs), takes
that as the baseline (resource.getrusage ru_maxrss), runs the task once (a task that writes, the
scorecard, inside a transaction rolled back afterwards, so that its snapshot is not kept and every
run sees the same database), and prints one line of JSON: wall and CPU seconds, baseline and peak
memory, and what the task made (files, bytes, rows). A task whose function does not exist yet prints
{"available": false, "reason": ...}.
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import csv
import datetime as dt
import io
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class _Rollback(Exception):
    pass


class Unavailable(Exception):
    pass


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def reset_peak() -> bool:
    """Set the peak memory (ru_maxrss, VmHWM) back to the memory in use now (Linux: clear_refs 5), so
    that the peak after the task is the task's, not Django setup's. False where that cannot be done."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


@dataclass
class Task:
    label: str
    prepare: Callable[[dict, argparse.Namespace], Callable[[], object]]  # imports; returns the timed call
    describe: Callable[[object, argparse.Namespace], dict]  # what the call made (untimed)
    writes: bool = False  # run inside a transaction rolled back afterwards


def _import(module: str, *names: str):
    import importlib

    try:
        found = importlib.import_module(module)
    except ImportError as error:
        raise Unavailable(f"{module} cannot be imported ({error})") from error
    missing = [n for n in names if not hasattr(found, n)]
    if missing:
        raise Unavailable(f"{module} has no {', '.join(missing)}")
    return [getattr(found, n) for n in names]


def collection_year(info: dict):
    """The last complete collection year at the authority's date: the one a return would be made for."""
    from opencsc.returns.base import CollectionYear

    return CollectionYear(CollectionYear.containing(dt.date.fromisoformat(info["today"])).ending - 1)


def annex_a_period(info: dict) -> tuple[dt.date, dt.date]:
    """The six months up to the authority's date, as Ofsted's Annex A lists cover."""
    end = dt.date.fromisoformat(info["today"])
    year, month = divmod(end.year * 12 + end.month - 1 - 6, 12)
    day = min(end.day, calendar.monthrange(year, month + 1)[1])
    return dt.date(year, month + 1, day) + dt.timedelta(days=1), end


# ---- what the tasks made


def _rows(name: str, content: bytes) -> dict:
    lower = name.lower()
    if lower.endswith(".csv"):
        return {name: max(sum(1 for _ in csv.reader(io.StringIO(content.decode("utf-8-sig")))) - 1, 0)}
    if lower.endswith(".xml"):
        from lxml import etree

        children = sum(1 for _ in etree.iterparse(io.BytesIO(content), tag="{*}Child"))
        return {f"{name} <Child>": children}
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        try:
            return {
                f"{name} {sheet.title}": max(
                    sum(
                        1
                        for row in sheet.iter_rows(values_only=True)
                        if any(v not in (None, "") for v in row)
                    )
                    - 1,
                    0,
                )
                for sheet in book.worksheets
            }
        finally:
            book.close()
    return {}


def describe_files(files, args) -> dict:
    files = list(files or [])
    rows: dict = {}
    for f in files:
        rows.update(_rows(f.name, f.content))
    if args.folder:
        folder = Path(args.folder)
        folder.mkdir(parents=True, exist_ok=True)
        for f in files:
            (folder / f.name).write_bytes(f.content)
    return {
        "files": [f.name for f in files],
        "bytes": sum(len(f.content) for f in files),
        "rows": rows,
    }


def describe_issues(issues, args) -> dict:
    issues = list(issues or [])
    by_rule: dict[str, int] = {}
    for issue in issues:
        by_rule[str(issue.rule)] = by_rule.get(str(issue.rule), 0) + 1
    errors = [i for i in issues if getattr(i, "severity", "error") == "error"]
    return {
        "issues": len(issues),
        "errors": len(errors),
        "queries": len(issues) - len(errors),
        "children_with_issues": len({i.child_reference or i.child_id for i in issues}),
        "issues_by_rule": dict(sorted(by_rule.items(), key=lambda kv: -kv[1])),
    }


def describe_snapshot(result, args) -> dict:
    """The snapshot's stored figures and drill-down rows, and the indicators not available."""
    snapshot = getattr(result, "snapshot", result)
    out: dict = {}
    figures = getattr(snapshot, "figures", None)
    if figures is not None and hasattr(figures, "all"):
        out["figures"] = figures.all().count()
    rows = getattr(result, "rows", None)
    if isinstance(rows, int):
        out["rows"] = rows
    elif rows is not None and hasattr(rows, "all"):
        out["rows"] = rows.all().count()
    unavailable = getattr(result, "unavailable", None)
    if unavailable is not None:
        out["indicators_not_available"] = list(unavailable)
    return out


def describe_count(count, args) -> dict:
    return {"children": count}


# ---- the tasks


def prep_children(info, args):
    from opencsc.people.models import Child

    return lambda: Child.objects.count()


def prep_scorecard(info, args):
    (snapshot_take,) = _import("opencsc.performance.services", "snapshot_take")
    as_at = dt.date.fromisoformat(info["today"])
    return lambda: snapshot_take(as_at=as_at, taken_by=None)


def prep_cin(info, args):
    (build,) = _import("opencsc.returns.cin", "build")
    year = collection_year(info)
    return lambda: build(year)


def prep_ssda903(info, args):
    (build,) = _import("opencsc.returns.ssda903", "build")
    year = collection_year(info)
    return lambda: build(year)


def prep_ssda903_validate(info, args):
    (validate_files,) = _import("opencsc.returns.ssda903", "validate_files")
    if not args.folder:
        raise SystemExit("ssda903_validate needs --folder with the 903 files")
    files = {p.name: p.read_bytes() for p in sorted(Path(args.folder).glob("*.csv"))}
    if not files:
        raise Unavailable(f"no 903 files in {args.folder}")
    return lambda: validate_files(files)


def prep_annexa(info, args):
    (build,) = _import("opencsc.returns.annexa", "build")
    start, end = annex_a_period(info)
    return lambda: build(start=start, end=end)


TASKS: dict[str, Task] = {
    "children": Task("Count the children (harness check)", prep_children, describe_count),
    "scorecard": Task(
        "Full scorecard (performance.services.snapshot_take)", prep_scorecard, describe_snapshot, writes=True
    ),
    "cin": Task("CIN census (returns.cin.build)", prep_cin, describe_files),
    "ssda903": Task("SSDA903 files (returns.ssda903.build)", prep_ssda903, describe_files),
    "ssda903_validate": Task(
        "SSDA903 validation, ours (returns.ssda903.validate_files)", prep_ssda903_validate, describe_issues
    ),
    "annexa": Task("Annex A (returns.annexa.build)", prep_annexa, describe_files),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench._worker")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--authority", choices=("x1", "x10"), default="x1")
    parser.add_argument("--folder", help="where the task writes its files (or reads the 903 files from)")
    args = parser.parse_args(argv)

    os.environ["OPENCSC_BENCH_AUTHORITY"] = args.authority
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.authority_settings"
    os.environ.pop("OPENCSC_DATABASE", None)
    import django

    django.setup()
    from django.db import transaction

    from bench import authorities

    info = authorities.load(args.authority)
    if info is None:
        raise SystemExit(
            f"The {args.authority} authority is not built: python -m bench.authorities build {args.authority}"
        )
    task = TASKS[args.task]
    out: dict = {"task": args.task, "authority": args.authority, "label": task.label}
    try:
        call = task.prepare(info, args)
    except Unavailable as error:
        out.update(available=False, reason=str(error))
        print(json.dumps(out), flush=True)
        return
    setup_peak = peak_mb()
    peak_was_reset = reset_peak()
    baseline = peak_mb()  # memory in use after setup and imports (or setup's peak, if not reset)
    # Only a task that writes runs in a transaction: on SQLite it takes the write lock (transaction
    # mode IMMEDIATE), and read-only tasks measured at the same time must not wait for one another.
    try:
        with transaction.atomic() if task.writes else contextlib.nullcontext():
            started, cpu_started = time.perf_counter(), cpu_seconds()
            result = call()
            seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
            peak = peak_mb()
            out.update(
                available=True,
                seconds=round(seconds, 3),
                cpu_seconds=round(cpu, 3),
                setup_peak_mb=setup_peak,
                peak_reset=peak_was_reset,
                baseline_mb=baseline,
                peak_mb=peak,
                task_mb=round(peak - baseline, 1),
            )
            out.update(task.describe(result, args))  # untimed; before the rollback, to read what was made
            if task.writes:
                raise _Rollback
    except _Rollback:
        pass
    print(json.dumps(out, default=str), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
