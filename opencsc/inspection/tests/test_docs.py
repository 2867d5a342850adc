"""The access rules for inspection action plans are documented as the code has them."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from opencsc.inspection import rules
from opencsc.inspection.models import Inspection
from opencsc.inspection.roles import ACTION_ROLES, ENTER_ROLES, READ_ROLES

DOCS = Path(settings.BASE_DIR) / "docs"


def _section() -> str:
    text = (DOCS / "access.md").read_text()
    return text[text.index("## Inspection action plans"):]


def _row(starting: str) -> set[str]:
    for line in _section().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 2 and cells[1].startswith(starting):
            return set(re.findall(r"`([a-z_]+)`", cells[0]))
    raise AssertionError(f"No row starting {starting!r}")


@pytest.mark.parametrize("roles, starting", [
    (ENTER_ROLES, "enter inspections"), (ACTION_ROLES, "add and change actions"), (READ_ROLES, "read inspections")])
def test_access_md_names_exactly_the_roles_in_the_code(roles, starting):
    assert _row(starting) == set(roles)


@pytest.mark.parametrize("kind", Inspection.Kind.values)
def test_every_kind_has_a_documented_plan_rule(kind):
    label = Inspection.Kind(kind).label.split(" (")[0]
    text = (DOCS / "inspection.md").read_text()
    assert kind in rules.PLAN_REQUIRED
    assert f"| {label} |" in text


def test_every_url_is_documented():
    from opencsc.inspection.urls import urlpatterns

    text = (DOCS / "inspection.md").read_text()
    for pattern in urlpatterns:
        assert f"`inspection:{pattern.name}`" in text
