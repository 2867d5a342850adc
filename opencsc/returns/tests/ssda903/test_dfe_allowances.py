"""Every allowance the DfE 903 check makes for a DfE tool bug is justified in the docs and reproduced by
hand-made files (which ci/dfe_903_check.py runs through the tool: that part needs .dfe-validators/)."""

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
