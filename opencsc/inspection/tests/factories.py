import datetime as dt

import factory

from opencsc.accounts.roles import Role
from opencsc.accounts.tests.factories import UserFactory
from opencsc.core.testing import RecordFactory
from opencsc.inspection.models import Action, ActionUpdate, AreaForImprovement, Inspection


class InspectionFactory(RecordFactory):
    class Meta:
        model = Inspection

    kind = Inspection.Kind.ILACS_STANDARD
    started_on = dt.date(2026, 1, 12)
    ended_on = dt.date(2026, 1, 23)
    report_received_on = dt.date(2026, 3, 2)
    overall_judgement = "requires_improvement"
    created_by = factory.SubFactory(UserFactory, role=Role.SERVICE_MANAGER)


class AreaFactory(RecordFactory):
    class Meta:
        model = AreaForImprovement

    inspection = factory.SubFactory(InspectionFactory)
    text = factory.Sequence(lambda n: f"The timeliness and quality of assessments of children in need ({n})")
    order = factory.Sequence(lambda n: n + 1)
    created_by = factory.SubFactory(UserFactory, role=Role.SERVICE_MANAGER)


class ActionFactory(RecordFactory):
    class Meta:
        model = Action

    area = factory.SubFactory(AreaFactory)
    description = factory.Sequence(lambda n: f"Weekly tracking of assessments past 35 working days ({n})")
    owner = factory.SubFactory(UserFactory, role=Role.TEAM_MANAGER)
    due_on = dt.date(2026, 6, 30)
    created_by = factory.SubFactory(UserFactory, role=Role.SERVICE_MANAGER)


class ActionUpdateFactory(RecordFactory):
    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionFactory)
    note = "Tracker in use in all three assessment teams."
    status = Action.Status.IN_PROGRESS
    author = factory.SubFactory(UserFactory, role=Role.TEAM_MANAGER)
