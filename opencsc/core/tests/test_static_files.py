"""Static files: GOV.UK Frontend built from its pinned npm package, with every asset its CSS uses and no
GDS Transport font, and collectstatic with hashed names (the production storage) succeeds."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "opencsc" / "core" / "static" / "vendor" / "govuk-frontend"
CSS = VENDOR / "govuk-frontend.min.css"
FRONTEND = ROOT / "frontend"
URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def css_urls() -> list[str]:
    return [url for url in URL.findall(CSS.read_text(encoding="utf-8-sig")) if not url.startswith("data:")]


def test_the_css_uses_images():
    assert "assets/images/govuk-crest.svg" in css_urls()


@pytest.mark.parametrize("url", sorted(set(css_urls())))
def test_every_url_in_the_govuk_css_is_a_file_next_to_it(url):
    assert not url.startswith(("/", "http:", "https:")), f"{url} is not relative to the CSS"
    assert (VENDOR / url.split("?")[0].split("#")[0]).is_file(), f"{url} is referenced by the CSS but not vendored"


def test_the_css_uses_no_gds_transport_and_no_font_file():
    text = CSS.read_text(encoding="utf-8-sig").lower()
    assert "gds transport" not in text
    assert "@font-face" not in text
    assert ".woff" not in text
    assert "system-ui" in text
    assert not list(VENDOR.rglob("*.woff*"))


def test_the_frontend_packages_are_pinned_exactly_as_in_the_lock_file():
    package = json.loads((FRONTEND / "package.json").read_text())
    lock = json.loads((FRONTEND / "package-lock.json").read_text())
    wanted = package["dependencies"]
    assert set(wanted) == {"govuk-frontend", "sass"}
    for name, version in wanted.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} {version} is not an exact version"
        assert lock["packages"][""]["dependencies"][name] == version
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_the_vendored_files_are_the_pinned_version():
    version = json.loads((FRONTEND / "package.json").read_text())["dependencies"]["govuk-frontend"]
    assert f'--govuk-frontend-version: "{version}"' in CSS.read_text(encoding="utf-8-sig")
    assert f'const version="{version}"' in (VENDOR / "govuk-frontend.min.js").read_text()


@pytest.mark.django_db
def test_collectstatic_with_hashed_names_succeeds_and_pages_use_them(tmp_path, settings, client):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}

    call_command("collectstatic", interactive=False, verbosity=0)

    paths = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())["paths"]
    css = paths["vendor/govuk-frontend/govuk-frontend.min.css"]
    crest = paths["vendor/govuk-frontend/assets/images/govuk-crest.svg"]
    assert css != "vendor/govuk-frontend/govuk-frontend.min.css"  # a hashed name
    assert Path(crest).name in (settings.STATIC_ROOT / css).read_text(encoding="utf-8-sig")
    assert (settings.STATIC_ROOT / f"{css}.gz").is_file()
    page = client.get("/accounts/sign-in/").content.decode()
    assert f"/static/{css}" in page and f"/static/{paths['core/opencsc.css']}" in page


def _template_static_paths() -> list[str]:
    found = set()
    for template in (ROOT / "opencsc").rglob("templates/**/*.html"):
        found |= set(re.findall(r"""\{%\s*static\s+["']([^"']+)["']""", template.read_text()))
    return sorted(found)


@pytest.mark.parametrize("path", _template_static_paths())
def test_every_static_file_a_template_names_exists(path):
    """With hashed names a missing file is a server error on every page that names it."""
    from django.contrib.staticfiles import finders

    assert finders.find(path), f"{path} is named in a template but is not a static file"
