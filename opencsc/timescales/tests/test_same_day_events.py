"""Events of two records on one day: the clock one starts and the other stops is done (issue 19: an
assessment authorised on its referral's day still showed on My work as "68 days left, On track")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opencsc.accounts.roles import Role
from opencsc.assessment import services as assessment_services
from opencsc.assessment.tests.factories import AssessmentFactory
from opencsc.casework.models import Allocation
from opencsc.core import events
from opencsc.people.models import Child
from opencsc.people.tests.factories import ChildFactory
from opencsc.protection.tests import helpers
from opencsc.timescales.core import RULES
from opencsc.timescales.reads import source_ranks
from opencsc.timescales.selectors import due_items

D = dt.date


def _edges() -> set[tuple[str, str]]:
    recorded = {s.key: {*s.starts_clocks, *s.stops_clocks} for s in events.clock_sources()}
    return {(starter, closer) for rule in RULES for starter, names in recorded.items() if rule.start_event in names
            for closer, other in recorded.items() if closer != starter and {rule.end_event, *rule.stop_events} & other}


def test_a_source_that_starts_a_rules_clocks_reads_before_those_that_end_or_stop_them():
    rank = source_ranks()
    edges = _edges()
    assert ("cin_episode", "assessment") in edges
    out_of_order = {(a, b) for a, b in edges if rank[a] > rank[b]}
    # Only where two sources each start clocks the other stops (a cycle: no order can serve both).
    assert all((b, a) in edges for a, b in out_of_order), out_of_order


@pytest.mark.django_db
@pytest.mark.parametrize("authorised_after", [0, 1, 20])
def test_an_assessment_authorised_on_its_referrals_day_leaves_my_work(signed_in, monkeypatch, authorised_after):
    day = D(2026, 11, 2)
    today = day + dt.timedelta(days=authorised_after + 1)
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: today if value is None
                        else value.astimezone(tz or timezone.get_default_timezone()).date())
    client = signed_in(Role.TEAM_MANAGER)
    manager = client.user
    child = ChildFactory()
    events.announce(Allocation.objects.create(child=child, worker=manager, team=manager.team, start_date=day))
    episode = helpers.referral(manager, child, day)
    assessment = AssessmentFactory(episode=episode, start_date=day, submitted=True)
    open_items = [i for i in due_items(children=Child.objects.filter(pk=child.pk)) if i.rule_code == "assessment"]
    assert len(open_items) == 1  # due while it is open
    assessment_services.assessment_authorise(actor=manager, assessment=assessment,
                                             authorised_on=day + dt.timedelta(days=authorised_after),
                                             outcome="cin_plan")

    assert [i for i in due_items(children=Child.objects.filter(pk=child.pk)) if i.rule_code == "assessment"] == []
    done = [i for i in due_items(children=Child.objects.filter(pk=child.pk), completed_since=day)
            if i.rule_code == "assessment"]
    assert [(i.completed_on, i.rag) for i in done] == [(day + dt.timedelta(days=authorised_after), "done")]
    for page in (reverse("timescales:my_work"), reverse("casework:child_record", args=[child.pk])):
        rows = [row for row in client.get(page).content.decode().split("<tr") if "Assessment" in row
                and "days left" in row]
        assert rows == [], page
