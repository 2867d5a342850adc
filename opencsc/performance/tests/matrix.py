"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py).

Scorecards are read by performance analysts, team and service managers and auditors; targets are set
by service managers and performance analysts; commentary is written by team and service managers and
performance analysts. Everyone else gets 403 (documented in docs/access.md, "Performance scorecards").
"""

from opencsc.core.tests.matrix_support import Entry
from opencsc.performance.services import COMMENTARY_ROLES, READ_ROLES, TARGET_ROLES

INDICATOR = ("indicator",)

MATRIX = {
    "performance:scorecard": Entry(READ_ROLES),
    "performance:indicator": Entry(READ_ROLES, INDICATOR),
    "performance:drilldown": Entry(READ_ROLES, INDICATOR),
    "performance:commentary_add": Entry(COMMENTARY_ROLES, INDICATOR),
    "performance:targets": Entry(READ_ROLES),
    "performance:target_edit": Entry(TARGET_ROLES, INDICATOR),
    "performance:export_xlsx": Entry(READ_ROLES),
    "performance:export_pdf": Entry(READ_ROLES),
}


def extend_world(world, *, author, child, episode):
    import datetime as dt

    from django.utils import timezone

    from opencsc.performance.models import Figure, FigureRow, Snapshot

    snapshot = Snapshot.objects.create(as_at=dt.date(2026, 11, 23), taken_at=timezone.now())
    Figure.objects.create(snapshot=snapshot, indicator="contacts_decided_1wd", scope_kind="authority",
                          numerator=1, denominator=1, value=100.0)
    FigureRow.objects.create(snapshot=snapshot, indicator="contacts_decided_1wd", child_id=child.pk, met=True,
                             ref="Contact received", on=dt.date(2026, 11, 20))
    world["indicator"] = "contacts_decided_1wd"
