"""Every allowance the DfE 903 check makes for a DfE tool bug is justified in the docs and reproduced by
hand-made files (which ci/dfe_903_check.py runs through the tool: that part needs .dfe-validators/)."""

import datetime as dt
import importlib.util
import json
import re

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def _check_module():
    spec = importlib.util.spec_from_file_location("dfe_903_check", ROOT / "ci" / "dfe_903_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECK = _check_module()
CASES = sorted((ROOT / "ci" / "dfe_tool_bugs").glob("*/case.json"))


@pytest.mark.parametrize("code", CHECK.KNOWN_TOOL_FALSE_POSITIVES)
def test_every_allowance_is_justified_and_reproduced(code):
    headings = [line for line in (ROOT / "docs" / "dfe-tool-allowances.md").read_text().splitlines()
                if line.startswith("## ")]
    assert any(re.search(rf"\b{code}\b", line.split(":")[0]) for line in headings), code
    assert any(code in CHECK._rules_of(json.loads(case.read_text())) for case in CASES), code


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.parent.name)
def test_every_reproduction_is_of_an_allowance_and_has_this_years_files(case):
    spec = json.loads(case.read_text())
    assert set(CHECK._rules_of(spec)) <= set(CHECK.KNOWN_TOOL_FALSE_POSITIVES)
    assert (case.parent / "this" / "header.csv").exists() and (case.parent / "this" / "episodes.csv").exists()
    assert spec["child"] in (case.parent / "this" / "header.csv").read_text()


def test_the_check_keeps_the_interface_the_ci_matrix_uses():
    parser_args = ["--seed", "7", "--size", "0.3", "--today", "2026-11-23", "--database", "x.sqlite3", "--clean-only"]
    source = (ROOT / "ci" / "dfe_903_check.py").read_text()
    assert all(f'"{arg}"' in source for arg in parser_args if arg.startswith("--"))


def _worker(start, end=""):
    return {"SW_DECOM": start, "SW_DEC": end}


@pytest.mark.parametrize(("workers", "expected"), [
    ([_worker("01/04/2025")], True),                                               # one worker, still open
    ([_worker("01/04/2025", "30/04/2025"), _worker("01/05/2025")], True),          # the next day: no gap
    ([_worker("01/04/2025", "30/04/2025"), _worker("30/04/2025")], True),          # overlapping by a day
    ([_worker("01/04/2025", "30/04/2025"), _worker("02/05/2025")], False),         # 1 May without a worker
    ([_worker("15/04/2025")], False),                                              # care began on 14 Apr
    ([_worker("01/04/2025", "30/03/2026")], False),                                # 31 Mar without a worker
    ([_worker("01/04/2025", "31/03/2026")], True),
    ([], False),
])
def test_social_worker_episodes_cover_every_day_of_care(workers, expected):
    """SW12STG2 is let through for a child looked after on 31 March only when no day of care lacks a worker."""
    assert CHECK.covered(workers, dt.date(2025, 4, 14), dt.date(2026, 3, 31)) is expected
