"""Submitting an assessment for authorisation, returning it, and the work queues' list pages (see matrix_support).
The other pages of this app are listed in core/tests/test_permission_matrix.py."""

from opencsc.assessment import policy
from opencsc.core.tests.matrix_support import Entry
from opencsc.people import policy as people_policy

MATRIX = {
    "assessment:assessment_submit": Entry(people_policy.may_record, ("child", "episode")),
    "assessment:assessment_return": Entry(policy.may_authorise_assessment, ("child", "episode")),
    "assessment:awaiting_authorisation": Entry(policy.may_authorise_assessment),
    "assessment:returned": Entry(people_policy.may_record),
    "assessment:next_steps": Entry(people_policy.may_record),
}
