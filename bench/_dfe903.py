"""Run the DfE's SSDA903 validator (csc-validator-be-903, package lac_validator) on a folder of
903 CSV files and print one line of JSON: seconds, peak memory and what it found.

Runs in the validator's own environment, not ours (no Django here):
    .dfe-validators/bin/python bench/_dfe903.py <folder> --year 2026 [--la E09000000]

It goes the way the DfE's web front end goes (rpc_main.lac_validate): the files as "This year",
the rules for the collection year, LacValidator, then Report and create_issue_df. Timed from
reading the files to the issue list; the imports and the loading of the rule registry come
before the baseline.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import time
from pathlib import Path


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--year", default="2026", help="collection year by its end, e.g. 2026 for 2025/26")
    parser.add_argument("--la", default="E09000000")
    args = parser.parse_args()

    from lac_validator import lac_validator
    from lac_validator.report import Report
    from lac_validator.rules.ruleset_utils import get_year_ruleset
    from lac_validator.utils import process_uploaded_files

    logging.getLogger().setLevel(logging.WARNING)  # their INFO log of every rule goes to stderr
    registry = get_year_ruleset(args.year)
    paths = sorted(str(p) for p in Path(args.folder).glob("*.csv"))
    setup_peak = _peak_mb()
    try:  # the peak back to what is in use now, so the peak after is the validation's (as bench._worker)
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        reset = True
    except OSError:
        reset = False
    baseline = _peak_mb()

    usage = resource.getrusage(resource.RUSAGE_SELF)
    started, cpu_started = time.perf_counter(), usage.ru_utime + usage.ru_stime
    files = process_uploaded_files({"This year": paths})
    validator = lac_validator.LacValidator(
        metadata={"collectionYear": args.year, "localAuthority": args.la},
        files=files,
        registry=registry,
        selected_rules=None,
    )
    report = Report(validator.ds_results, registry)
    try:
        issues = lac_validator.create_issue_df(report.report, report.error_report)
    except ValueError:  # pandas cannot concatenate nothing: no rule found anything
        import pandas as pd

        issues = pd.DataFrame(columns=["child_id", "tables_affected", "row_id", "rule_code"])
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_started

    located = issues.drop_duplicates(["rule_code", "tables_affected", "row_id"])
    by_rule = located.groupby("rule_code").size().sort_values(ascending=False)
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "cpu_seconds": round(cpu, 3),
                "setup_peak_mb": setup_peak,
                "peak_reset": reset,
                "baseline_mb": baseline,
                "peak_mb": _peak_mb(),
                "files": [Path(p).name for p in paths],
                "rows": {name: int(len(df)) for name, df in validator.dfs.items()},
                "rules": len(registry),
                "rules_run": len(validator.dones),
                "rules_skipped": len(validator.skips),
                "rules_failed_to_run": sorted(str(c) for c in validator.fails),
                "errors": int(len(located)),
                "children_with_errors": int(located["child_id"].nunique()),
                "errors_by_rule": {str(k): int(v) for k, v in by_rule.items()},
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
