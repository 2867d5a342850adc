"""Documentation that is tested: every setting, role and access action is documented."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from opencsc.accounts.roles import Role
from opencsc.people.access import ACTIONS

DOCS = Path(settings.BASE_DIR) / "docs"


def _base_settings() -> set[str]:
    text = (Path(settings.BASE_DIR) / "config" / "settings" / "base.py").read_text()
    return set(re.findall(r"^(OPENCSC_[A-Z_]+)\s*=", text, re.M))


@pytest.mark.parametrize("name", sorted(_base_settings()))
def test_every_setting_is_documented(name):
    assert f"`{name}`" in (DOCS / "settings.md").read_text()


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_access_action_is_documented(action):
    assert f"`{action}`" in (DOCS / "access.md").read_text()


@pytest.mark.parametrize("role", Role.values)
def test_every_role_is_documented(role):
    assert f"`{role}`" in (DOCS / "access.md").read_text()


def test_the_permissions_in_docs_access_are_generated_from_the_policy():
    from opencsc.accounts.access_doc import doc_path, render

    current = doc_path().read_text(encoding="utf-8")
    assert render(current) == current, "docs/access.md is out of date: run `manage.py access_doc`"


def test_every_permission_is_named_after_an_action_and_described():
    from opencsc.accounts.policy import permissions

    for name, perm in permissions().items():
        assert name == perm.name and name.islower() and " " not in name
        assert perm.description.endswith(".") and perm.area, name


def _security_doc_paths() -> list[str]:
    text = (DOCS / "security.md").read_text()
    return sorted(set(re.findall(r"`((?:opencsc/)?[a-z_]+(?:/[a-z_0-9]+)*/(?:tests/)?test_[a-z_0-9]+\.py)`", text)))


def test_docs_security_names_the_tests_of_its_controls():
    assert len(_security_doc_paths()) >= 8


@pytest.mark.parametrize("name", _security_doc_paths())
def test_every_test_file_named_in_docs_security_exists(name):
    """docs/security.md says which tests prove each control: they must exist under those names."""
    root = Path(settings.BASE_DIR)
    candidates = [root / name, root / "opencsc" / name]
    assert any(path.is_file() for path in candidates), f"docs/security.md names {name}, which does not exist"
