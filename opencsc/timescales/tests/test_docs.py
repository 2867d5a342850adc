"""opencsc/timescales/docs/rules.md lists every rule and is never stale."""

import pytest

from opencsc.timescales.core.docs import DOCS_PATH, generate_markdown
from opencsc.timescales.core.rules import NOT_MODELLED, RULES, TABLE_ROWS


def test_rules_file_is_up_to_date():
    # Regenerate with: .venv/bin/python -m opencsc.timescales.core.docs
    assert DOCS_PATH.read_text(encoding="utf-8") == generate_markdown(), (
        "docs/rules.md is stale: run `python -m opencsc.timescales.core.docs`"
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_is_in_the_rules_file(rule):
    text = DOCS_PATH.read_text(encoding="utf-8")
    line = next((line for line in text.splitlines() if line.startswith(f"| `{rule.code}` |")), None)
    assert line is not None
    assert rule.name in line
    assert rule.status in line


def test_every_row_of_the_table_is_modelled_or_explained():
    covered = {row for rule in RULES for row in rule.rows}
    assert covered.isdisjoint(NOT_MODELLED)
    assert covered | set(NOT_MODELLED) == set(TABLE_ROWS)


def test_rows_not_modelled_are_explained_in_the_file():
    text = DOCS_PATH.read_text(encoding="utf-8")
    for row, reason in NOT_MODELLED.items():
        assert f"- Row {row}: {reason}" in text
