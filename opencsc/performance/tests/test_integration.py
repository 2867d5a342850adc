"""The real measures on a small synthetic authority: every indicator is available and attributed."""

import datetime as dt

import pytest
from django.db.models import Sum

from opencsc.performance import services
from opencsc.performance.indicators import INDICATORS
from opencsc.performance.models import Figure, FigureRow

TODAY = dt.date(2026, 11, 23)


@pytest.mark.django_db
def test_snapshot_on_a_synthetic_authority():
    from opencsc.synthetic.services import authority_generate

    authority_generate(seed=7, size=0.05, today=TODAY)
    result = services.snapshot_take(as_at=TODAY)
    assert result.unavailable == [], f"Measures not available: {result.unavailable}"
    authority = {f.indicator: f for f in Figure.objects.filter(snapshot=result.snapshot, scope_kind="authority")}
    assert set(authority) == {i.key for i in INDICATORS}
    assert result.rows == FigureRow.objects.filter(snapshot=result.snapshot).count() > 0
    # The teams' figures add up to the authority's, indicator by indicator.
    for key, figure in authority.items():
        teams = Figure.objects.filter(snapshot=result.snapshot, scope_kind="team", indicator=key)
        assert (teams.aggregate(d=Sum("denominator"))["d"] or 0) == figure.denominator, key
    with_data = [k for k, f in authority.items() if f.value is not None]
    assert len(with_data) >= len(INDICATORS) // 2, f"Only {with_data} have data"
    assert FigureRow.objects.filter(snapshot=result.snapshot, team_id__isnull=False).exists()
