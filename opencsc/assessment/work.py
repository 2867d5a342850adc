"""This app's work queues (core/work.py): assessments awaiting a manager's authorisation, assessments returned
to the worker, and the next steps an assessment's outcome leaves with the allocated worker that no
timescale rule has a clock for (the plan's meetings and visits, and a strategy discussion, are in the
worker's due list)."""

from opencsc.accounts.roles import MANAGER_ROLES, Role
from opencsc.core.work import WorkQueue, register_queue
from opencsc.people import policy as people_policy

from . import policy, selectors

register_queue(WorkQueue(
    code="assessments_awaiting_authorisation", label="Assessments awaiting your authorisation",
    permission=policy.may_authorise_assessment, items=selectors.awaiting_authorisation_items,
    list_url_name="assessment:awaiting_authorisation", order=20,
    empty_text="No assessments are waiting for your authorisation.", main_for=frozenset(MANAGER_ROLES),
))
register_queue(WorkQueue(
    code="assessments_returned", label="Assessments returned to you",
    permission=people_policy.may_record, items=selectors.returned_items,
    list_url_name="assessment:returned", order=25,
    empty_text="No assessments have been returned to you.",
    main_for=frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER}),
))
register_queue(WorkQueue(
    code="assessment_next_steps", label="Next steps after an assessment",
    permission=people_policy.may_record, items=selectors.next_steps_items,
    list_url_name="assessment:next_steps", order=30,
    empty_text="No assessment outcomes are waiting for you to act on them.",
    main_for=frozenset({Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER}),
))
