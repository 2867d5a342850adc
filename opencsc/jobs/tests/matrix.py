"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py).

Everyone may see their own jobs; the matrix's job was started by someone else, so only administrators
and performance analysts (who see every job) get it, and every other role is told it does not exist.
/readyz is public, like /healthz (the world has a worker that has just reported in).
"""

from opencsc.core.tests.matrix_support import ALL, PUBLIC, Entry
from opencsc.jobs import policy

MATRIX = {
    "jobs:list": Entry(policy.may_use_jobs),
    "jobs:detail": Entry(policy.may_view_all_jobs, ("job",), page=ALL,
                         not_found=ALL - policy.may_view_all_jobs.roles),
    "jobs:readyz": Entry(PUBLIC),
}


def extend_world(world, *, author, child, episode):
    from opencsc.jobs import services
    from opencsc.jobs.models import Job

    world["job"] = Job.objects.create(kind="returns.build", title="Make the CIN census", started_by=author).pk
    services.heartbeat("matrix-worker")
