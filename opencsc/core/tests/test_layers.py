"""The apps depend downwards only: a lower layer never imports a higher one, not even inside a function.

Each app's domain modules (models, services, selectors, policy, access, rules, event sources...) sit in
a layer; they may import their own app and the layers below. Pages (views, urls, template tags,
management commands, AppConfig wiring) are above every layer and may import any domain module;
tests may import anything. A new app must be given a layer here.
"""

from __future__ import annotations

import ast
import functools
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
    {"retention"},  # records retention: reads every area's records to destroy them
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


# --- No imports inside functions ------------------------------------------------------------------------
# An import inside a function hides a dependency (and usually an import cycle) from the module's reader
# and from the layer check above. Every import sits at the top of its module, with one exception:
# an AppConfig.ready() may import the modules that register something on import (event sources, record
# summaries, policies) when they cannot be imported while apps.py is, because they read the models,
# which Django loads only after every apps.py (the check below proves each one does).


def _code_modules():
    """(module name, path) of every module of opencsc's own code (not its tests or migrations)."""
    for path in sorted(OPENCSC.rglob("*.py")):
        parts = path.relative_to(OPENCSC.parent).with_suffix("").parts
        if set(parts) & NOT_CODE:
            continue
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def _imported(node: ast.ImportFrom | ast.Import, module: str, is_package: bool, known) -> set[str]:
    """The modules of `known` an import statement in `module` names (`from x import y`: x.y when y is a
    module, else x)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & known
    base = []
    if node.level:
        base = module.split(".")
        base = base[: len(base) - node.level + (1 if is_package else 0)]
    base_name = ".".join(base + ([node.module] if node.module else []))
    return {f"{base_name}.{a.name}" if f"{base_name}.{a.name}" in known else base_name for a in node.names} & known


@functools.cache
def _imports_by_place(path: Path):
    """The import statements inside functions (each with its function), and those run on import."""
    inner, top = [], []

    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                (inner if function else top).append((child, function))
            walk(child, child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function)

    walk(ast.parse(path.read_text(encoding="utf-8")), None)
    return inner, top


def _reads_models(modules: dict[str, Path]) -> set[str]:
    """The modules of opencsc that import a models module when imported (directly or through others)."""
    known = set(modules)
    imports = {}
    for name, path in modules.items():
        _, top = _imports_by_place(path)
        imports[name] = set().union(*(_imported(node, name, path.name == "__init__.py", known) for node, _ in top))
    reads = {name for name in modules if name.endswith(".models") or ".models." in name}
    while more := {name for name, names in imports.items() if name not in reads and names & reads}:
        reads |= more
    return reads


def _function_level_imports():
    modules = dict(_code_modules())
    reads_models = _reads_models(modules)
    for name, path in modules.items():
        relative = path.relative_to(OPENCSC.parent).as_posix()
        inner, _ = _imports_by_place(path)
        for node, function in inner:
            named = _imported(node, name, path.name == "__init__.py", set(modules))
            if path.name == "apps.py" and function.name == "ready" and named and named <= reads_models:
                continue  # registers on import and reads the models: only ready() may import it
            yield f"{relative}:{node.lineno} in {function.name}(): {ast.unparse(node)}"


def test_no_imports_inside_functions():
    found = list(_function_level_imports())
    assert not found, ("Move these imports to the top of their module (an import cycle means a design to "
                       "fix: a function in the wrong layer, a dependency to pass in, a registry to read):\n"
                       + "\n".join(found))


def test_the_check_finds_an_import_inside_a_function(tmp_path, monkeypatch):
    """Not vacuous: an import in a function is caught; ready() may import only what reads the models."""
    package = tmp_path / "opencsc" / "people"
    package.mkdir(parents=True)
    for name, text in {
        "__init__.py": "",
        "models.py": "",
        "event_sources.py": "from .models import Child\n",
        "policy.py": "",
        "apps.py": "class C:\n    def ready(self):\n        from . import event_sources\n        from . import policy\n",
        "bad.py": "def f():\n    from opencsc.people.models import Child\n",
    }.items():
        (package / name).write_text(text)
    monkeypatch.setattr(__import__(__name__, fromlist=["OPENCSC"]), "OPENCSC", tmp_path / "opencsc")
    assert list(_function_level_imports()) == [
        "opencsc/people/apps.py:4 in ready(): from . import policy",
        "opencsc/people/bad.py:2 in f(): from opencsc.people.models import Child",
    ]
