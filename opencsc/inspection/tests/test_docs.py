"""The inspection documentation says what the code does: the plan rules and the URLs in inspection.md. (Who
may do what is generated into docs/access.md from policy.py, and checked there.)"""

from pathlib import Path

import pytest
from django.conf import settings

from opencsc.inspection import rules
from opencsc.inspection.models import Inspection

DOCS = Path(settings.BASE_DIR) / "docs"


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
