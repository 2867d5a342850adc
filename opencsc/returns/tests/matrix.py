"""This app's part of the permission matrix (see opencsc/core/tests/matrix_support.py).

Performance analysts and service managers make returns and download them; team managers also read
the validation reports. Every other role is refused (403).
"""

from opencsc.core.tests.matrix_support import Entry
from opencsc.returns import policy

RUN = ("return_run",)

MATRIX = {
    "returns:home": Entry(policy.may_read_return_reports),
    "returns:make": Entry(policy.may_make_returns, method="post"),
    "returns:history": Entry(policy.may_read_return_reports),
    "returns:download": Entry(policy.may_download_returns, ("return_run", "return_file")),
    "returns:report": Entry(policy.may_read_return_reports, RUN),
    "returns:report_csv": Entry(policy.may_read_return_reports, RUN),
}


def extend_world(world, *, author, child, episode):
    from .factories import ReturnRunFileFactory, ValidationIssueFactory

    return_file = ReturnRunFileFactory(run__requested_by=author)
    ValidationIssueFactory(run=return_file.run, child=child)
    world["return_run"] = return_file.run_id
    world["return_file"] = return_file.pk
