"""The missing app's part of the permission matrix (see core/tests/matrix_support.py)."""

from opencsc.core.tests.matrix_support import CASEWORK_ROLES, READ_ALL_ROLES, Entry

MATRIX = {
    "missing:overview": Entry(READ_ALL_ROLES, ("child",)),
    "missing:episode_add": Entry(CASEWORK_ROLES, ("child",)),
    "missing:episode_return": Entry(CASEWORK_ROLES, ("child", "missing_open_episode")),
    "missing:interview_add": Entry(CASEWORK_ROLES, ("child", "missing_episode")),
    "missing:assessment_add": Entry(CASEWORK_ROLES, ("child",)),
    "missing:meeting_add": Entry(CASEWORK_ROLES, ("child",)),
    "missing:currently_missing": Entry(READ_ALL_ROLES),
    "missing:exploitation_reviews": Entry(READ_ALL_ROLES),
    "missing:report": Entry(READ_ALL_ROLES),
    "missing:report_children": Entry(READ_ALL_ROLES),
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
