"""The real returns (H3's cin/, H4's ssda903/) made through return_run and read on the report page.

Each test is skipped while its package is not there yet.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from opencsc.returns import registry, services

pytestmark = pytest.mark.django_db


def _require(kind):
    if not registry.KINDS[kind].available:
        pytest.skip(f"{kind} is not available yet")


def test_cin_census_run_and_report(signed_in):
    _require("cin")
    from opencsc.assessment.tests.factories import CINEpisodeFactory

    episode = CINEpisodeFactory(referral_date=dt.date(2025, 6, 2))
    client = signed_in("performance_analyst")
    run = services.return_run(kind="cin", year=2026, by=client.user)
    assert run.status == "succeeded" and run.validated
    assert [f.name for f in run.files.all()] and all(f.size > 0 for f in run.files.all())
    assert run.error_count + run.query_count == run.issues.count()
    assert not run.issues.exclude(child__isnull=True).exclude(child=episode.child).exists()
    assert client.get(reverse("returns:report", args=[run.pk])).status_code == 200


def test_ssda903_run_and_report(signed_in):
    _require("ssda903")
    from opencsc.care.tests.factories import looked_after
    from opencsc.people.tests.factories import ChildFactory

    client = signed_in("service_manager")
    child = ChildFactory(date_of_birth=dt.date(2015, 1, 1))
    looked_after(client.user, child, on=dt.date(2025, 6, 2))
    run = services.return_run(kind="ssda903", year=2026, by=client.user)
    assert run.status == "succeeded"
    assert any(f.name.endswith(".csv") for f in run.files.all())
    if run.validated:
        assert client.get(reverse("returns:report", args=[run.pk])).status_code == 200
