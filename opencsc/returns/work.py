"""The statutory returns work queue (core.work): errors the latest validation of each return found.

Those who make returns see every error of the latest run; a team manager sees the errors on their own
team's children, to fix their records before the return is made."""

from __future__ import annotations

from django.urls import reverse

from opencsc.accounts.roles import Role
from opencsc.core.templatetags.govuk import govuk_date
from opencsc.core.work import WorkItem, WorkQueue, register_queue

from . import policy, registry
from .models import ReturnRun, ValidationIssue


def _latest_validated(user) -> list[ReturnRun]:
    """The latest finished, validated run of each return the user may read (one query per return)."""
    if not policy.may_read_return_reports(user):
        return []
    runs = ReturnRun.objects.filter(validated=True, status=ReturnRun.Status.SUCCEEDED)
    latest = []
    for kind in registry.KINDS:
        run = runs.filter(kind=kind).order_by("-requested_at", "-id").first()
        if run is not None:
            latest.append(run)
    return latest


def errors_to_fix(user) -> list[WorkItem]:
    makes = policy.may_make_returns(user)
    if not makes and not user.team_id:
        return []
    items = []
    for run in _latest_validated(user):
        if makes:
            errors = run.error_count
        else:
            errors = run.issues.filter(team_id=user.team_id, severity=ValidationIssue.Severity.ERROR).count()
        if not errors:
            continue
        url = reverse("returns:report", args=[run.pk])
        if not makes:
            url += f"?team={user.team_id}&severity=error"
        items.append(WorkItem(
            label=f"Fix {errors} validation error{'' if errors == 1 else 's'}" + ("" if makes else " on your team's children"),
            url=url, subject=f"{registry.KINDS[run.kind].title} {run.describe_period()}".strip(),
            since=run.finished_at or run.requested_at,
            detail=f"Checked {govuk_date(run.finished_at or run.requested_at)}",
        ))
    return items


register_queue(WorkQueue(
    code="returns_errors", label="Statutory returns: errors to fix",
    permission=policy.may_read_return_reports, items=errors_to_fix, list_url_name="returns:home", order=70,
    empty_text="The latest checks of the statutory returns found no errors for you to fix.",
    main_for=frozenset({Role.PERFORMANCE_ANALYST}),
))
