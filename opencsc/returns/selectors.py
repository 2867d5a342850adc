"""Reads for the returns pages: runs, files and validation issues, with who may see what.

Runs hold every child (restricted ones too). Issues name children only through
people.access.children_for: a child the user may not see is shown by LA reference, with no link.
"""

from __future__ import annotations

from django.db.models import Count, Min, Prefetch, QuerySet
from django.http import Http404

from opencsc.accounts.models import Team
from opencsc.people.access import children_for

from .models import ReturnRun, ReturnRunFile, ValidationIssue
from .roles import GENERATE_ROLES, REPORT_ROLES


def can_generate(user) -> bool:
    return getattr(user, "role", None) in GENERATE_ROLES


def can_read_reports(user) -> bool:
    return getattr(user, "role", None) in REPORT_ROLES


def runs_for(user) -> QuerySet[ReturnRun]:
    """Every run for those who make returns; finished validation runs for team managers."""
    runs = ReturnRun.objects.select_related("requested_by").prefetch_related(
        Prefetch("files", queryset=ReturnRunFile.objects.defer("content")))
    if can_generate(user):
        return runs
    if can_read_reports(user):
        return runs.filter(validated=True, status=ReturnRun.Status.SUCCEEDED)
    return ReturnRun.objects.none()


def run_for(user, pk) -> ReturnRun:
    try:
        return runs_for(user).get(pk=int(pk))
    except (ReturnRun.DoesNotExist, ValueError, TypeError):
        raise Http404("No return found") from None


def report_run_for(user, pk) -> ReturnRun:
    run = run_for(user, pk)
    if not run.validated or run.status != ReturnRun.Status.SUCCEEDED:
        raise Http404("No validation report for this return")
    return run


def file_for(user, run_id, file_id) -> ReturnRunFile:
    if not can_generate(user):
        raise Http404("No file found")
    try:
        return ReturnRunFile.objects.get(run_id=int(run_id), pk=int(file_id))
    except (ReturnRunFile.DoesNotExist, ValueError, TypeError):
        raise Http404("No file found") from None


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
