"""The apps depend downwards only: a lower layer never imports a higher one, not even inside a function.

Each app's domain modules (models, services, selectors, policy, access, rules, event sources...) sit in
a layer; they may import their own app and the layers below. Pages (views, urls, template tags,
management commands, AppConfig wiring) are above every layer and may import any domain module;
tests may import anything. A new app must be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

OPENCSC = Path(__file__).resolve().parents[2]

LAYERS: list[set[str]] = [
    {"codes", "core"},
    {"accounts"},
    {"jobs"},  # background jobs: every app above registers its jobs here
    {"sso"},  # single sign-on: finds users of accounts; nothing below it imports it
    {"people"},
    {"casework"},
    {"timescales"},
    {"assessment"},
    {"protection"},
    {"frontdoor", "care", "adoption", "edt", "otherduties"},
    {"earlyhelp", "missing", "careleavers", "wellbeing", "workforce"},
    {"quality", "inspection"},
    {"performance", "returns"},
    {"synthetic"},
]
LAYER = {app: level for level, apps in enumerate(LAYERS) for app in apps}
PAGE_MODULES = {"views", "plan_views", "urls", "urls_inventory", "navigation", "context_processors", "apps",
                "admin"}
PAGE_PACKAGES = {"templatetags", "management"}
NOT_CODE = {"tests", "migrations", "browser_tests"}


def _domain_modules():
    for path in sorted(OPENCSC.rglob("*.py")):
        parts = path.relative_to(OPENCSC).with_suffix("").parts
        if len(parts) < 2 or set(parts) & NOT_CODE or parts[0] in NOT_CODE:
            continue
        if parts[-1] in PAGE_MODULES or set(parts) & PAGE_PACKAGES:
            continue
        yield parts[0], path


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_every_app_has_a_layer():
    apps = {p.name for p in OPENCSC.iterdir() if (p / "apps.py").exists() or (p / "__init__.py").exists()}
    apps -= NOT_CODE | {"__pycache__"}
    assert apps <= set(LAYER), f"Give these apps a layer in test_layers.LAYERS: {sorted(apps - set(LAYER))}"


@pytest.mark.parametrize("app", sorted(LAYER))
def test_no_app_imports_a_layer_above_it(app):
    upward = []
    for owner, path in _domain_modules():
        if owner != app:
            continue
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "opencsc" or len(parts) < 2 or parts[1] == app or parts[1] not in LAYER:
                continue
            if LAYER[parts[1]] > LAYER[app]:
                upward.append(f"{path.relative_to(OPENCSC.parent)}:{line} imports {module}")
    assert not upward, "A lower layer imports a higher one:\n" + "\n".join(upward)


def test_the_check_finds_an_upward_import(tmp_path, monkeypatch):
    """The check is not vacuous: a people module importing casework is caught."""
    module = tmp_path / "people" / "bad.py"
    module.parent.mkdir()
    module.write_text("def f():\n    from opencsc.casework.models import Allocation\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["OPENCSC"]), "OPENCSC", tmp_path)
    with pytest.raises(AssertionError, match="people/bad.py:2 imports opencsc.casework.models"):
        test_no_app_imports_a_layer_above_it("people")
