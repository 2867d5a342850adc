"""The inspection step of the synthetic authority: a recent ILACS with its plan due soon, an earlier focused visit."""

import datetime as dt

import pytest
from django.urls import reverse

from opencsc.inspection.models import Action, AreaForImprovement, Inspection
from opencsc.synthetic.pipeline import STEPS
from opencsc.timescales.authority import authority_calendar

TODAY = dt.date(2026, 11, 23)


pytestmark = [pytest.mark.django_db, pytest.mark.shared_authority]


def test_the_step_runs_last_in_the_pipeline():
    assert STEPS[-1].key == "inspection"


def test_the_ilacs_plan_is_due_within_twenty_working_days(authority):
    ilacs = Inspection.objects.get(kind=Inspection.Kind.ILACS_STANDARD)
    assert authority_calendar().working_days_between(ilacs.report_received_on, TODAY, count_start_day=False) == 50
    assert ilacs.plan_submitted_on is None
    assert ilacs.areas.count() == 4
    assert all(area.indicator_keys for area in AreaForImprovement.objects.all())
    actions = Action.objects.filter(area__inspection=ilacs)
    assert 8 <= actions.count() <= 12
    assert actions.filter(status=Action.Status.DONE).exclude(evidence_of_impact="").exists()
    assert actions.filter(status=Action.Status.NOT_STARTED, due_on__lt=TODAY).exists(), "some actions are overdue"


def test_the_focused_visit_had_priority_actions_and_its_plan_was_sent(authority):
    focused = Inspection.objects.get(kind=Inspection.Kind.FOCUSED_VISIT)
    assert focused.areas.filter(is_priority_action=True).count() == 2
    assert focused.plan_submitted_on is not None


def test_the_service_manager_sees_the_plan(authority, client):
    client.force_login(authority.demo_users["sm.demo"])
    ilacs = Inspection.objects.get(kind=Inspection.Kind.ILACS_STANDARD)
    response = client.get(reverse("inspection:detail", args=[ilacs.pk]))
    assert response.status_code == 200
    assert "permanence plans" in response.content.decode()
