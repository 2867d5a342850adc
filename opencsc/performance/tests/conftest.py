import datetime as dt

import pytest

from opencsc.performance.measures.base import Row

AS_AT = dt.date(2026, 11, 23)


@pytest.fixture
def fake_measures(monkeypatch):
    """Replace the measures with fakes: registry[key] = function(as_at) -> rows, or None for "not there".

    Indicators not in the registry return no rows.
    """
    from opencsc.performance import services

    registry: dict = {}

    def measure_for(indicator):
        if indicator.key in registry:
            return registry[indicator.key]
        return lambda as_at: []

    monkeypatch.setattr(services, "measure_for", measure_for)
    return registry


def rows(*specs, **common):
    """rows((child_id, met), ...) as Rows."""
    return [Row(child_id=c, met=m, ref=f"Row for child {c}", on=AS_AT, **common) for c, m in specs]
