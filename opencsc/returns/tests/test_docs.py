"""The returns documentation says what the code does: roles in access.md, URLs and kinds in returns.md."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from opencsc.returns import registry
from opencsc.returns.roles import GENERATE_ROLES, REPORT_ROLES
from opencsc.returns.urls import urlpatterns

DOCS = Path(settings.BASE_DIR) / "docs"


def _row(starting: str) -> set[str]:
    text = (DOCS / "access.md").read_text()
    section = text[text.index("## Statutory returns"):]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 2 and cells[1].startswith(starting):
            return set(re.findall(r"`([a-z_]+)`", cells[0]))
    raise AssertionError(f"No row starting {starting!r}")


@pytest.mark.parametrize("roles, starting", [(GENERATE_ROLES, "make returns"),
                                             (REPORT_ROLES, "read the pre-submission validation reports")])
def test_access_md_names_exactly_the_roles_in_the_code(roles, starting):
    assert _row(starting) == set(roles)


@pytest.mark.parametrize("name", [p.name for p in urlpatterns])
def test_every_url_is_documented(name):
    assert f"`returns:{name}`" in (DOCS / "returns.md").read_text()


@pytest.mark.parametrize("kind", list(registry.KINDS))
def test_every_kind_is_documented(kind):
    assert f"`{kind}`" in (DOCS / "returns.md").read_text()
