"""Reads for the returns pages: runs, files and validation issues, with who may see what.

Runs hold every child (restricted ones too). Issues name children only through
people.access.children_for: a child the user may not see is shown by LA reference, with no link.
"""

from __future__ import annotations

from django.db.models import Count, Min, Prefetch, QuerySet
from django.http import Http404

from opencsc.accounts.models import Team
from opencsc.accounts.policy import log_refusal
from opencsc.people.access import children_for

from . import policy
from .models import ReturnRun, ReturnRunFile, ValidationIssue


def _not_found(user, message: str, *, reference: str, request=None) -> Http404:
    """A run or file the user may not see, or that does not exist: 404, with the refusal in the access log."""
    if getattr(user, "is_authenticated", False):
        log_refusal(user, reference=reference, path=request.get_full_path() if request is not None else "")
    return Http404(message)


def runs_for(user) -> QuerySet[ReturnRun]:
    """Every run for those who make returns; finished validation runs for team managers."""
    runs = ReturnRun.objects.select_related("requested_by").prefetch_related(
        Prefetch("files", queryset=ReturnRunFile.objects.defer("content")))
    if policy.may_make_returns(user):
        return runs
    if policy.may_read_return_reports(user):
        return runs.filter(validated=True, status=ReturnRun.Status.SUCCEEDED)
    return ReturnRun.objects.none()


def run_for(user, pk, *, request=None) -> ReturnRun:
    try:
        return runs_for(user).get(pk=int(pk))
    except (ReturnRun.DoesNotExist, ValueError, TypeError, OverflowError):
        raise _not_found(user, "No return found", reference=f"return_run:{pk}", request=request) from None


def report_run_for(user, pk, *, request=None) -> ReturnRun:
    run = run_for(user, pk, request=request)
    if not run.validated or run.status != ReturnRun.Status.SUCCEEDED:
        raise _not_found(user, "No validation report for this return", reference=f"return_run:{pk}",
                         request=request)
    return run


def file_for(user, run_id, file_id, *, request=None) -> ReturnRunFile:
    """A return's file, for those who may download returns (anyone else: 403, before any look-up)."""
    policy.may_download_returns.require(user, request=request)
    try:
        return ReturnRunFile.objects.get(run_id=int(run_id), pk=int(file_id))
    except (ReturnRunFile.DoesNotExist, ValueError, TypeError, OverflowError):
        raise _not_found(user, "No file found", reference=f"return_file:{run_id}/{file_id}",
                         request=request) from None


def rule_summary(run: ReturnRun) -> list[dict]:
    """Issues counted by rule and severity, with the rule's text, most frequent first (one query)."""
    return list(run.issues.order_by().values("rule", "severity")
                .annotate(count=Count("pk"), message=Min("message"), children=Count("child_reference", distinct=True))
                .order_by("-count", "rule"))


def issue_filters(run: ReturnRun) -> tuple[list[str], list[tuple[int, str]]]:
    rules = list(run.issues.order_by("rule").values_list("rule", flat=True).distinct())
    teams = list(Team.objects.filter(pk__in=run.issues.values("team_id")).order_by("name").values_list("pk", "name"))
    return rules, teams


def issues(run: ReturnRun, *, rule: str = "", severity: str = "", team: str = "") -> QuerySet[ValidationIssue]:
    qs = run.issues.select_related("team")
    if rule:
        qs = qs.filter(rule=rule)
    if severity:
        qs = qs.filter(severity=severity)
    if team == "none":
        qs = qs.filter(team__isnull=True)
    elif team:
        qs = qs.filter(team_id=int(team))
    return qs.order_by("rule", "child_reference", "id")


def visible_children(user, child_ids) -> dict[int, object]:
    """The children among `child_ids` this user may see (one query), by id."""
    ids = {i for i in child_ids if i}
    if not ids:
        return {}
    return {c.pk: c for c in children_for(user).filter(pk__in=ids).only("pk", "first_name", "last_name",
                                                                         "preferred_name", "la_child_id")}


def latest_runs(runs: QuerySet[ReturnRun], kinds) -> dict[str, ReturnRun]:
    """The latest finished run of each kind (one query per kind)."""
    latest = {}
    for kind in kinds:
        run = runs.filter(kind=kind, status=ReturnRun.Status.SUCCEEDED).order_by("-requested_at", "-id").first()
        if run is not None:
            latest[kind] = run
    return latest
