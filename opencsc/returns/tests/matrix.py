"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py).

Performance analysts and service managers make returns and download them; team managers also read
the validation reports. Every other role is refused (403).
"""

from opencsc.core.tests.matrix_support import Entry
from opencsc.returns.roles import GENERATE_ROLES, REPORT_ROLES

RUN = ("return_run",)

MATRIX = {
    "returns:home": Entry(REPORT_ROLES),
    "returns:make": Entry(GENERATE_ROLES, method="post"),
    "returns:history": Entry(REPORT_ROLES),
    "returns:download": Entry(GENERATE_ROLES, ("return_run", "return_file")),
    "returns:report": Entry(REPORT_ROLES, RUN),
    "returns:report_csv": Entry(REPORT_ROLES, RUN),
}


def extend_world(world, *, author, child, episode):
    from .factories import ReturnRunFileFactory, ValidationIssueFactory

    return_file = ReturnRunFileFactory(run__requested_by=author)
    ValidationIssueFactory(run=return_file.run, child=child)
    world["return_run"] = return_file.run_id
    world["return_file"] = return_file.pk
