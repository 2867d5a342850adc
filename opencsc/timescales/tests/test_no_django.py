"""The core must work without Django: it is imported by management scripts, reports and tests alike."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parent.parent / "core"
REPO_ROOT = CORE.parents[2]


def test_importing_the_core_does_not_import_django():
    # Given a fresh interpreter with no Django settings
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import sys\n"
        "import opencsc.timescales.core as core\n"
        "import opencsc.timescales.core.docs\n"
        "import datetime as dt\n"
        "cal = core.WorkingDayCalendar()\n"
        "assert core.due_date(core.get_rule('cla_review'), dt.date(2026, 11, 2), cal) == dt.date(2026, 11, 30)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    # When the core is imported and used
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    # Then it works and Django was never loaded
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_no_core_module_imports_django(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        assert not any(n == "django" or n.startswith("django.") for n in names), (path.name, names)
