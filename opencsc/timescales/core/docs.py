"""The Markdown table of every rule, kept in ``opencsc/timescales/docs/rules.md``.

Regenerate with ``python -m opencsc.timescales.core.docs`` (a test fails when
the file is stale).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from .calendar import WorkingDayCalendar, describe_period
from .rules import NOT_MODELLED, RESTARTS, RULES, Rule

DOCS_PATH = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _event(name: str) -> str:
    return f"`{name}`"


def _long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _amber(rule: Rule) -> str:
    if rule.amber_within.length == 0:
        return "on the due date"
    return f"{rule.amber_within} before"


def counting(rule: Rule) -> str:
    """How the rule counts working days, in words: which calendar, and whether the start day counts."""
    if not rule.counts_working_days:
        return "Not counted in working days"
    text = ("Working days without the authority's closure days" if rule.applies_closures
            else "National working days (closure days count)")
    return text + ("; the start day counts" if rule.counts_start_day else "")


def rule_row(rule: Rule) -> str:
    rows = ", ".join(str(r) for r in sorted(set(rule.rows)))
    events = f"{_event(rule.start_event)} → {_event(rule.end_event)}"
    if rule.stop_events:
        events += f" (stops at {', '.join(_event(e) for e in rule.stop_events)})"
    notes = " ".join(part for part in (rule.applies_when, rule.note) if part)
    if rule.may_complete_before_start:
        notes += " Done before the start counts as on time."
    if rule.count_start_day is not None:
        notes += " Start day counted." if rule.count_start_day else " Start day not counted."
    calendar = "—"
    if rule.counts_working_days:
        calendar = "with closure days" if rule.applies_closures else "national"
    cells = [
        f"`{rule.code}`",
        rule.name,
        rows,
        rule.describe_length(),
        _amber(rule),
        events,
        rule.restart,
        rule.source,
        rule.status,
        "yes" if rule.configurable else "no",
        calendar,
        notes.strip(),
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def generate_markdown() -> str:
    lines = [
        "# Statutory timescales: the rules",
        "",
        "Generated from `opencsc/timescales/core/rules.py` by `python -m opencsc.timescales.core.docs`.",
        "Do not edit by hand. Row numbers refer to section A of `specs/timescales.md`.",
        "",
        "Status: *statutory* (an Act or regulations), *statutory guidance*, or *local* practice.",
        "Local rules are configurable: the values below are the defaults.",
        "",
        "Working days exclude weekends and England and Wales bank holidays. The *Working days* column says",
        "which calendar each rule counts in by default: *national* (statutory and statutory-guidance rules, as",
        "the DfE's published measures count: the authority's closure days are working days) or *with closure",
        "days* (local rules skip the closure days the authority sets). The authority may change this for any",
        "rule counted in working days, and whether the start day counts (`closures` and `count_start_day` in",
        "its timescale settings). Durations follow the DfE convention: the start day is day 0.",
        "",
        "Overdue is counted in the rule's own unit, the same on every page: working days after the due date",
        "up to today for a working-day step, elapsed hours for an hour clock, days otherwise; once past the",
        "due date it is at least 1. Hour clocks (72 hours) run in elapsed time, so across a clock change 72",
        "hours are 72 real hours, and so does their amber.",
        f"Example: {describe_period(20, 'working_days')} from Monday 2 March 2026 is "
        f"{_long_date(WorkingDayCalendar().add_working_days(dt.date(2026, 3, 2), 20))}.",
        "",
        "| Code | Rule | Row | Timescale | Amber | Start → end | Restart | Source | Status | Configurable | "
        "Working days | Notes |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [rule_row(rule) for rule in sorted(RULES, key=lambda r: (r.row, r.code))]
    lines += ["", "## Restarts", ""]
    lines += [f"- `{name}`: {text}" for name, text in RESTARTS.items()]
    lines += ["", "## Rows not modelled as clocks", ""]
    lines += [f"- Row {row}: {reason}" for row, reason in sorted(NOT_MODELLED.items())]
    return "\n".join(lines) + "\n"


def write(path: Path = DOCS_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generate_markdown(), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else DOCS_PATH))
