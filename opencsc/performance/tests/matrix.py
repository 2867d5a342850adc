"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py).

Scorecards are read by performance analysts, team and service managers and auditors; targets are set
by service managers and performance analysts; commentary is written by team and service managers and
performance analysts. Everyone else gets 403 (policy.py; docs/access.md, "Performance scorecards").
"""

from opencsc.core.tests.matrix_support import Entry
from opencsc.performance import policy

INDICATOR = ("indicator",)

MATRIX = {
    "performance:scorecard": Entry(policy.may_view_scorecards),
    "performance:indicator": Entry(policy.may_view_scorecards, INDICATOR),
    "performance:drilldown": Entry(policy.may_view_scorecards, INDICATOR),
    "performance:commentary_add": Entry(policy.may_write_commentary, INDICATOR),
    "performance:snapshot_start": Entry(policy.may_take_snapshots, method="post"),
    "performance:targets": Entry(policy.may_view_scorecards),
    "performance:target_edit": Entry(policy.may_set_targets, INDICATOR),
    "performance:export_xlsx": Entry(policy.may_view_scorecards),
    "performance:export_pdf": Entry(policy.may_view_scorecards),
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
