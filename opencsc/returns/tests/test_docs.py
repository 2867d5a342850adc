"""The returns documentation says what the code does: URLs and kinds in returns.md. (Who may do what is
generated into docs/access.md from policy.py, and checked there.)"""

from pathlib import Path

import pytest
from django.conf import settings

from opencsc.returns import registry
from opencsc.returns.urls import urlpatterns

DOCS = Path(settings.BASE_DIR) / "docs"


@pytest.mark.parametrize("name", [p.name for p in urlpatterns])
def test_every_url_is_documented(name):
    assert f"`returns:{name}`" in (DOCS / "returns.md").read_text()


@pytest.mark.parametrize("kind", list(registry.KINDS))
def test_every_kind_is_documented(kind):
    assert f"`{kind}`" in (DOCS / "returns.md").read_text()
