"""Issue 7: the statutory returns for the default synthetic authority and one ten times larger.

For each authority (bench.authorities: var/bench/authority-x1.sqlite3 and authority-x10.sqlite3),
each in a fresh process (bench._worker) so that its peak memory is its own:

- the CIN census (opencsc.returns.cin.build) for the last complete collection year;
- the SSDA903 files (opencsc.returns.ssda903.build), written to var/bench/returns-<authority>-903/;
- our 903 validation of those files (opencsc.returns.ssda903.validate_files), and the DfE's
  validator (csc-validator-be-903, package lac_validator, in .dfe-validators) on the same files,
  in its own process, with the ratio of their times (theirs / ours) and the errors each finds;
- Annex A (opencsc.returns.annexa.build) for the six months up to the authority's date.

Wall time is the median of 3 runs on the default authority and 1 run on the x10 one; peak memory
is ru_maxrss after the task, and "task MB" is that less the baseline: the memory in use after
Django setup and the imports, to which the peak is reset just before the task (bench._worker).
"CPU s" is the task's user + system CPU time, steadier than wall time on a busy machine.
Run alone with: python -m bench returns   (x1 only: OPENCSC_BENCH_AUTHORITIES=x1; the three
builds, then the two validations, at the same time: OPENCSC_BENCH_PARALLEL=1, for a busy machine)
Do not measure the scorecard at the same time on the same authority: its write transaction on
SQLite locks readers out ("database is locked").
"""

from __future__ import annotations

import os
import shutil

from bench import authorities, common

BUILDS = ("cin", "ssda903", "annexa")
COMMAND = "python -m bench returns"
PARALLEL = os.environ.get("OPENCSC_BENCH_PARALLEL") == "1"


def _together(jobs: dict) -> dict:
    """Each job's result: one after another, or at once when OPENCSC_BENCH_PARALLEL=1 (each job is
    still a process of its own, so its memory and CPU time are its own; its wall time is not)."""
    if not PARALLEL:
        return {key: job() for key, job in jobs.items()}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {key: pool.submit(job) for key, job in jobs.items()}
        return {key: future.result() for key, future in futures.items()}


def folder_903(name: str):
    return authorities.BENCH_DIR / f"returns-{name}-903"


def run() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")  # for common.write_results
    results: dict = {"command": COMMAND, "authorities": authorities.earlier("returns")}
    rows, ratio_rows = [], []
    for name in authorities.chosen():
        info = authorities.ensure(name)
        if info is None:
            reason = f"the {name} authority is still being built"
            rows.append(
                _row(name, {"label": "Every return", "available": False, "reason": reason}, detail="")
            )
            continue
        found = results["authorities"][name] = measure_authority(name, info)
        for task in BUILDS:
            rows.append(_row(name, found[task], detail=_output(found[task])))
        ours, theirs = found["ssda903_validate"], found["dfe903"]
        rows.append(_row(name, ours, detail=_issues(ours)))
        rows.append(_row(name, theirs, detail=_issues(theirs)))
        if "ratio_theirs_over_ours" in found:
            ratio, cpu_ratio = found["ratio_theirs_over_ours"], found["cpu_ratio_theirs_over_ours"]
            ratio_rows.append(
                (
                    name,
                    theirs["median_s"],
                    ours["median_s"],
                    f"{ratio}x" if ratio else "-",
                    theirs["median_cpu_s"],
                    ours["median_cpu_s"],
                    f"{cpu_ratio}x" if cpu_ratio else "-",
                    theirs.get("errors", "-"),
                    ours.get("errors", "-"),
                    theirs.get("children_with_errors", "-"),
                    ours.get("children_with_issues", "-"),
                )
            )
    common.table(
        "Statutory returns (issue 7): each in a fresh process; median of 3 runs for x1, 1 run for x10",
        ("What", "Authority", "Runs", "median s", "CPU s", "Peak MB", "Baseline MB", "Task MB", "Output"),
        rows,
    )
    if ratio_rows:
        common.table(
            "SSDA903 validation on the same files: the DfE's validator against ours",
            (
                "Authority",
                "DfE s",
                "Ours s",
                "DfE / ours",
                "DfE CPU s",
                "Ours CPU s",
                "DfE / ours (CPU)",
                "DfE errors",
                "Our errors",
                "DfE children",
                "Our children",
            ),
            ratio_rows,
        )
    print(
        f"  Command: {COMMAND}; the DfE validator alone: .dfe-validators/bin/python bench/_dfe903.py "
        "var/bench/returns-<x1|x10>-903 --year <collection year end, e.g. 2026>"
    )
    return {"returns": results}


def measure_authority(name: str, info: dict) -> dict:
    year = authorities.collection_year_ending(info)
    repeat = authorities.repeats(name)
    folder = folder_903(name)
    shutil.rmtree(folder, ignore_errors=True)
    found: dict = {
        "authority": _authority_facts(info),
        "collection_year": f"{year - 1} to {year}",
        "parallel": PARALLEL,
    }
    found.update(
        _together(
            {
                task: (
                    lambda task=task: authorities.measure(
                        task, name, repeat=repeat, folder=folder if task == "ssda903" else None
                    )
                )
                for task in BUILDS
            }
        )
    )
    if found["ssda903"].get("available") and any(folder.glob("*.csv")):
        both = _together(
            {
                "ours": lambda: authorities.measure("ssda903_validate", name, repeat=repeat, folder=folder),
                "theirs": lambda: [authorities.run_dfe903(folder, year) for _ in range(repeat)],
            }
        )
        ours, theirs_runs = both["ours"], both["theirs"]
        failed = [r for r in theirs_runs if "seconds" not in r]
        theirs = failed[0] if failed else {**authorities.summarise(theirs_runs), "available": True}
    else:
        reason = "no 903 files to validate (the 903 build is not available)"
        ours, theirs = {"available": False, "reason": reason}, {"available": False, "reason": reason}
    ours.setdefault("label", "SSDA903 validation, ours (returns.ssda903.validate_files)")
    theirs["label"] = "SSDA903 validation, the DfE's (csc-validator-be-903)"
    found["ssda903_validate"], found["dfe903"] = ours, theirs
    if ours.get("available") and theirs.get("available"):
        found["ratio_theirs_over_ours"] = (
            round(theirs["median_s"] / ours["median_s"], 1) if ours["median_s"] else None
        )
        found["cpu_ratio_theirs_over_ours"] = (
            round(theirs["median_cpu_s"] / ours["median_cpu_s"], 1) if ours["median_cpu_s"] else None
        )
    return found


def _authority_facts(info: dict) -> dict:
    return {
        k: info.get(k) for k in ("size", "seed", "today", "children", "seconds", "peak_mb", "database_mb")
    }


def _row(name: str, found: dict, *, detail: str) -> tuple:
    label = found.get("label", found.get("task", "?"))
    if not found.get("available"):
        return (label, name, "-", "not available", "-", "-", "-", "-", found.get("reason", ""))
    return (label, name, *authorities.measured(found), detail)


def _output(found: dict) -> str:
    if not found.get("available"):
        return ""
    rows = found.get("rows", {})
    unit = "<Child> elements" if any(k.endswith("<Child>") for k in rows) else "rows"
    return (
        f"{len(found.get('files', []))} files, {found.get('bytes', 0) / 1024:,.0f} KB, "
        f"{sum(rows.values()):,} {unit} (by file in results.json)"
    )


def _issues(found: dict) -> str:
    if not found.get("available"):
        return ""
    top = found.get("issues_by_rule") or found.get("errors_by_rule") or {}
    common_rules = ", ".join(f"{k}: {v}" for k, v in list(top.items())[:4])
    if "issues" in found:
        return f"{found['errors']} errors, {found['queries']} queries; most: {common_rules}"
    return (
        f"{found.get('errors')} errors ({found.get('rules_run')} rules ran, "
        f"{len(found.get('rules_failed_to_run', []))} failed); most: {common_rules}"
    )


if __name__ == "__main__":
    common.write_results(run())
