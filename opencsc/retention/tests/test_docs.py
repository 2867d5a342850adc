"""docs/retention.md names every period, its floor and the function the nightly job calls."""

from pathlib import Path

import pytest
from django.conf import settings

from opencsc.retention.rules import DEFAULTS

DOC = (Path(settings.BASE_DIR) / "docs" / "retention.md").read_text()


@pytest.mark.parametrize("period", DEFAULTS, ids=lambda p: p.record_class)
def test_every_period_is_documented_with_its_floor(period):
    assert f"`{period.record_class}`" in DOC and period.name in DOC
    assert f"{period.minimum_years} years" in DOC


def test_the_nightly_function_is_documented():
    assert "opencsc.retention.services.refresh_report" in DOC
