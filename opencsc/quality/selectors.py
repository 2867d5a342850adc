"""Reading quality assurance: audits a user may see, cohorts for themed audits, the dashboard and moderation.

Every audit shown or counted belongs to a child in `children_for(user)`, so restricted records vanish here too.
Aggregates are computed in the database (bounded queries whatever the number of audits).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.http import Http404
from django.utils import timezone

from opencsc.accounts.policy import log_refusal
from opencsc.assessment.models import CINEpisode
from opencsc.casework.models import Allocation
from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.protection.models import CPPlan
from opencsc.workforce.selectors import in_care_child_ids

from .models import GRADE_RANK, AuditAction, AuditQuestion, CaseAudit, Grade, Moderation, ThemedAudit

QUARTERS_SHOWN = 4


def audits_for(user) -> QuerySet[CaseAudit]:
    return (CaseAudit.objects.filter(child__in=children_for(user))
            .select_related("child", "auditor", "team", "worker", "themed_audit", "moderation"))


def not_found(user, *, reference: str, request=None) -> Http404:
    """A record the user may not see, or that does not exist: 404, with the refusal in the access log."""
    log_refusal(user, reference=reference, path=request.get_full_path() if request is not None else "")
    return Http404("Page not found")


def audit_for(*, user, child: Child, audit_id, request=None) -> CaseAudit:
    audit = audits_for(user).filter(child=child, pk=audit_id).first()
    if audit is None:
        raise not_found(user, reference=f"audit:{audit_id}", request=request)
    return audit


def audit_detail(audit: CaseAudit) -> dict:
    answers = list(audit.answers.select_related("question"))
    actions = list(audit.actions.select_related("owner"))
    moderation = Moderation.objects.filter(audit=audit).select_related("moderator").first()
    return {"answers": answers, "actions": actions, "moderation": moderation}


def child_audits(*, user, child: Child) -> list[CaseAudit]:
    return list(audits_for(user).filter(child=child).order_by("-created_at", "-id"))


def active_questions() -> list[AuditQuestion]:
    return list(AuditQuestion.objects.filter(is_active=True).order_by("order", "id"))


# --- Cohorts for themed audits ---------------------------------------------------------------

def cohort(*, user, cohort: str, team=None) -> QuerySet[Child]:
    """The children in a cohort that this user may see, optionally only those a team holds now."""
    children = children_for(user)
    if team is not None:
        children = children.filter(allocations__team=team, allocations__end_date__isnull=True)
    if cohort == ThemedAudit.Cohort.CP_PLAN:
        children = children.filter(pk__in=CPPlan.objects.filter(plan__end_date__isnull=True).values("child_id"))
    elif cohort == ThemedAudit.Cohort.IN_CARE:
        children = children.filter(pk__in=in_care_child_ids(children.values("pk")))
    elif cohort == ThemedAudit.Cohort.CHILD_IN_NEED:
        children = (children.filter(pk__in=CINEpisode.objects.filter(closure_date__isnull=True).values("child_id"))
                    .exclude(pk__in=CPPlan.objects.filter(plan__end_date__isnull=True).values("child_id")))
    elif cohort == ThemedAudit.Cohort.ALLOCATED:
        children = children.filter(pk__in=Allocation.objects.filter(end_date__isnull=True, worker__isnull=False)
                                   .values("child_id"))
    else:
        raise ValueError(f"Unknown cohort {cohort!r}")
    return children.distinct()


def themed_audits_for(user) -> QuerySet[ThemedAudit]:
    visible = children_for(user)
    return (ThemedAudit.objects.select_related("team", "created_by")
            .annotate(total=Count("audits", filter=Q(audits__child__in=visible), distinct=True),
                      completed=Count("audits", filter=Q(audits__child__in=visible,
                                                         audits__status=CaseAudit.Status.COMPLETED), distinct=True))
            .order_by("-created_on", "-id"))


def themed_audit_for(*, user, themed_id, request=None) -> ThemedAudit:
    themed = themed_audits_for(user).filter(pk=themed_id).first()
    if themed is None:
        raise not_found(user, reference=f"themed_audit:{themed_id}", request=request)
    return themed


# --- Dashboard -------------------------------------------------------------------------------

def _quarter_label(day: dt.date) -> str:
    return f"{day:%b}–{(day.replace(day=28) + dt.timedelta(days=62)):%b %Y}"


def quarters(today: dt.date, count: int = QUARTERS_SHOWN) -> list[dt.date]:
    start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    out = []
    for _ in range(count):
        out.append(start)
        month = start.month - 3
        start = dt.date(start.year - (month < 1), (month - 1) % 12 + 1, 1)
    return list(reversed(out))


def next_quarter(start: dt.date) -> dt.date:
    month = start.month + 3
    return dt.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)


@dataclass
class GradeRow:
    label: str
    key: str
    counts: dict

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def good_or_better(self) -> int:
        return self.counts.get(Grade.OUTSTANDING, 0) + self.counts.get(Grade.GOOD, 0)

    @property
    def good_or_better_percent(self) -> int | None:
        return round(100 * self.good_or_better / self.total) if self.total else None


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def dashboard(*, user, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    shown = quarters(today)
    completed = audits_for(user).filter(status=CaseAudit.Status.COMPLETED, audited_on__gte=shown[0])
    by_team: dict = {}
    for row in (completed.annotate(q=TruncQuarter("audited_on")).values("team_id", "team__name", "q", "grade")
                .annotate(n=Count("id")).order_by()):
        team = by_team.setdefault(row["team_id"], {"name": row["team__name"] or "No team", "quarters": {}})
        cell = team["quarters"].setdefault(_as_date(row["q"]), {})
        cell[row["grade"]] = cell.get(row["grade"], 0) + row["n"]
    teams = []
    for team_id, team in sorted(by_team.items(), key=lambda kv: kv[1]["name"]):
        cells = [GradeRow(label=_quarter_label(q), key=q.isoformat(), counts=team["quarters"].get(q, {}))
                 for q in shown]
        teams.append({"team_id": team_id or "", "name": team["name"], "cells": cells})
    overall = {}
    for row in completed.values("grade").annotate(n=Count("id")).order_by():
        overall[row["grade"]] = row["n"]
    themes = []
    for row in (audits_for(user).filter(status=CaseAudit.Status.COMPLETED, themed_audit__isnull=False)
                .values("themed_audit_id", "themed_audit__title", "grade").annotate(n=Count("id"))
                .order_by("themed_audit__title")):
        if not themes or themes[-1].key != str(row["themed_audit_id"]):
            themes.append(GradeRow(label=row["themed_audit__title"], key=str(row["themed_audit_id"]), counts={}))
        themes[-1].counts[row["grade"]] = row["n"]
    actions = AuditAction.objects.filter(audit__child__in=children_for(user)).aggregate(
        total=Count("id"),
        completed=Count("id", filter=Q(completed_on__isnull=False)),
        on_time=Count("id", filter=Q(completed_on__isnull=False, completed_on__lte=F("due_date"))),
        overdue=Count("id", filter=Q(completed_on__isnull=True, due_date__lt=today)),
    )
    return {"quarters": [(q.isoformat(), _quarter_label(q)) for q in shown], "teams": teams,
            "overall": GradeRow(label="All teams", key="", counts=overall), "themes": themes, "actions": actions,
            "grades": Grade.choices}


def actions_for(user) -> QuerySet[AuditAction]:
    return (AuditAction.objects.filter(audit__child__in=children_for(user))
            .select_related("audit__child", "owner").order_by("completed_on", "due_date", "id"))


# --- Moderation ------------------------------------------------------------------------------

@dataclass
class ModerationRow:
    auditor: str
    moderated: int = 0
    higher: int = 0
    same: int = 0
    lower: int = 0

    @property
    def higher_percent(self) -> int | None:
        return round(100 * self.higher / self.moderated) if self.moderated else None


def moderation_report(*, user) -> list[ModerationRow]:
    """For each auditor: how often their grade was better than, the same as, or worse than the moderator's."""
    rows: dict[int, ModerationRow] = {}
    pairs = (audits_for(user).filter(moderation__isnull=False)
             .values("auditor_id", "auditor__first_name", "auditor__last_name", "auditor__username",
                     "grade", "moderation__grade")
             .annotate(n=Count("id")).order_by())
    for pair in pairs:
        name = f"{pair['auditor__first_name']} {pair['auditor__last_name']}".strip() or pair["auditor__username"]
        row = rows.setdefault(pair["auditor_id"], ModerationRow(auditor=name))
        row.moderated += pair["n"]
        mine, theirs = GRADE_RANK.get(pair["grade"]), GRADE_RANK.get(pair["moderation__grade"])
        if mine is None or theirs is None:
            continue
        if mine < theirs:
            row.higher += pair["n"]
        elif mine == theirs:
            row.same += pair["n"]
        else:
            row.lower += pair["n"]
    return sorted(rows.values(), key=lambda r: (-(r.higher_percent or 0), r.auditor))
