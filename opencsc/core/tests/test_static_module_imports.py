"""collectstatic rewrites ES module imports to hashed names: a module a page loads by its hashed name and
another module imports is one file, fetched once and cached for a year (found by ci/production_stack.py)."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

IMPORT = re.compile(r"""import\s[^'"]*from\s*['"]([^'"]+)['"]""")


@pytest.mark.django_db
def test_module_imports_in_collected_scripts_name_hashed_files(tmp_path, settings, client):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "opencsc.core.storage.StaticFilesStorage"}}

    call_command("collectstatic", interactive=False, verbosity=0)

    paths = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())["paths"]
    hashed = set(paths.values())
    init = Path(settings.STATIC_ROOT / paths["core/init.js"])
    imports = IMPORT.findall(init.read_text())
    assert imports
    for target in imports:
        resolved = (init.parent / target).resolve().relative_to(settings.STATIC_ROOT.resolve()).as_posix()
        assert resolved in hashed, f"core/init.js imports {target}, not a hashed name"
    page = client.get("/accounts/sign-in/").content.decode()
    assert f"/static/{paths['vendor/govuk-frontend/govuk-frontend.min.js']}" in page
