"""The missing app's part of the permission matrix (see core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import Entry
from opencsc.missing import policy
from opencsc.people import policy as people

MATRIX = {
    "missing:overview": Entry(people.may_view_casework, ("child",)),
    "missing:episode_add": Entry(people.may_record, ("child",)),
    "missing:episode_return": Entry(people.may_record, ("child", "missing_open_episode")),
    "missing:interview_add": Entry(people.may_record, ("child", "missing_episode")),
    "missing:assessment_add": Entry(people.may_record, ("child",)),
    "missing:meeting_add": Entry(people.may_record, ("child",)),
    "missing:currently_missing": Entry(policy.may_view_missing_lists),
    "missing:exploitation_reviews": Entry(policy.may_view_missing_lists),
    "missing:report": Entry(policy.may_view_missing_lists),
    "missing:report_children": Entry(policy.may_view_missing_lists),
}


def extend_world(world, *, author, child, episode):
    import datetime as dt

    from .factories import ExploitationAssessmentFactory, MissingEpisodeFactory, at

    returned = MissingEpisodeFactory(child=child, created_by=author)
    still_missing = MissingEpisodeFactory(child=child, created_by=author, started_at=at(dt.date(2026, 4, 1), 22),
                                          ended_at=None, where_found="")
    ExploitationAssessmentFactory(child=child, created_by=author)
    world["missing_episode"] = returned.pk
    world["missing_open_episode"] = still_missing.pk
