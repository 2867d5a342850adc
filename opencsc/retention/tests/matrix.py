"""The records retention app's part of the permission matrix (see core/tests/matrix_support.py).

Retention pages are by role (policy.py; 403). The report lists no child of the matrix world (nobody in
it is old enough), so its children's access is tested in test_pages.
"""

from opencsc.core.tests.matrix_support import Entry
from opencsc.retention import policy

MATRIX = {
    "retention:report": Entry(policy.may_approve_destruction),
    "retention:requests": Entry(policy.may_approve_destruction),
    "retention:request": Entry(policy.may_approve_destruction, ("retention_request",)),
    "retention:rules": Entry(policy.may_view_retention),
    "retention:rule_edit": Entry(policy.may_change_retention_rules, ("retention_rule",)),
    "retention:destroyed": Entry(policy.may_view_retention),
    "retention:holds": Entry(policy.may_hold_records),
    "retention:hold_release": Entry(policy.may_hold_records, ("retention_hold",)),
}


def extend_world(world, *, author, child, episode):
    from django.utils import timezone

    from opencsc.retention.models import DestructionRequest, LegalHold
    from opencsc.retention.tests.helpers import load_default_periods

    load_default_periods()

    world["retention_request"] = DestructionRequest.objects.create(
        reason="Retention review", requested_by=author, requested_at=timezone.now()).pk
    world["retention_rule"] = "other"
    world["retention_hold"] = LegalHold.objects.create(
        child=child, reason="A claim against the authority", placed_by=author, placed_at=timezone.now()).pk
