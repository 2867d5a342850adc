"""Who may see background jobs: everyone sees the jobs they started; administrators and performance
analysts see every job (nightly ones too); only administrators see the technical detail of a failure."""

from opencsc.accounts.policy import permission
from opencsc.accounts.roles import Role

AREA = "Background jobs"

may_use_jobs = permission(
    "use_jobs", set(Role.values),
    "See the background jobs you started (statutory returns, scorecard snapshots...), their progress and "
    "why one failed.", area=AREA, refusal="You cannot see background jobs")
may_view_all_jobs = permission(
    "view_all_jobs", {Role.ADMINISTRATOR, Role.PERFORMANCE_ANALYST},
    "See every background job, whoever started it, and the nightly jobs.", area=AREA,
    refusal="Only administrators and performance analysts see other people's jobs")
may_view_job_errors = permission(
    "view_job_errors", {Role.ADMINISTRATOR},
    "See the technical detail (the traceback) of a failed background job.", area=AREA,
    refusal="Only administrators see the technical detail of a failure")
