"""Reading the workforce: weighted caseloads, team capacity, supervision due, and changes of worker.

Caseload figures count every child allocated to a worker (a worker's workload is a fact about the worker,
restricted records included); any list that names children is built from `children_for(user)`.
Every function runs a bounded number of queries, whatever the number of workers or children.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opencsc.accounts.models import Team, User
from opencsc.accounts.policy import log_refusal
from opencsc.accounts.roles import Role
from opencsc.casework.models import Allocation
from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.protection.models import CPPlan

from . import policy
from .models import SupervisionSession, WorkerProfile, WorkforceSettings
from .policy import CASE_HOLDING_ROLES

ASYE_YEAR = dt.timedelta(days=365)


def workforce_settings() -> WorkforceSettings:
    """The authority's settings; the documented defaults until a service manager changes them."""
    return WorkforceSettings.objects.filter(pk=1).first() or WorkforceSettings(pk=1)


def experience_of(user: User, profile: WorkerProfile | None, today: dt.date | None = None) -> str:
    """The worker's experience level: their profile's, else worked out from their role and qualification date."""
    if profile is not None:
        return profile.experience
    today = today or timezone.localdate()
    if user.role == Role.SENIOR_PRACTITIONER:
        return WorkerProfile.Experience.SENIOR
    if user.qualified_on and today - user.qualified_on < ASYE_YEAR:
        return WorkerProfile.Experience.ASYE
    return WorkerProfile.Experience.EXPERIENCED


# --- Complexity of each child ---------------------------------------------------------------

def cp_child_ids(child_ids) -> set[int]:
    return set(CPPlan.objects.filter(child_id__in=child_ids, plan__end_date__isnull=True)
               .values_list("child_id", flat=True))


def in_care_child_ids(child_ids) -> set[int]:
    """Children in an open period of care (care's PeriodOfCare, once that app has it)."""
    try:
        model = apps.get_model("care", "PeriodOfCare")
    except LookupError:
        return set()
    return set(model.objects.filter(child_id__in=child_ids, end_date__isnull=True).values_list("child_id", flat=True))


# Care proceedings, read only if that app has the model: (app label, model, field that is empty while open).
COURT_MODELS: tuple[tuple[str, str, str], ...] = (("otherduties", "CareProceedings", "final_order_on"),)


def in_court_child_ids(child_ids) -> set[int]:
    """Children with care proceedings not yet decided (no weight at all while no proceedings model exists)."""
    out: set[int] = set()
    for label, name, open_field in COURT_MODELS:
        if not apps.is_installed(f"opencsc.{label}"):
            continue
        try:
            model = apps.get_model(label, name)
        except LookupError:
            continue
        if not {"child", open_field} <= {f.name for f in model._meta.get_fields()}:
            continue
        out |= set(model.objects.filter(child_id__in=child_ids, **{f"{open_field}__isnull": True})
                   .values_list("child_id", flat=True))
    return out


@dataclass
class Complexity:
    cp: set[int]
    in_care: set[int]
    court: set[int]

    def weight(self, child_id: int, settings: WorkforceSettings) -> Decimal:
        """A child counts the highest of its weights (child in need, CP plan, in care), plus court work."""
        weight = settings.base_weight
        if child_id in self.cp:
            weight = max(weight, settings.cp_weight)
        if child_id in self.in_care:
            weight = max(weight, settings.cla_weight)
        if child_id in self.court:
            weight += settings.court_weight
        return weight

    def kind(self, child_id: int) -> str:
        if child_id in self.in_care:
            return "In care"
        if child_id in self.cp:
            return "Child protection plan"
        return "Child in need or other"


def complexity(child_ids) -> Complexity:
    child_ids = list(child_ids)
    return Complexity(cp=cp_child_ids(child_ids), in_care=in_care_child_ids(child_ids),
                      court=in_court_child_ids(child_ids))


# --- Caseloads -------------------------------------------------------------------------------

@dataclass
class WorkerLoad:
    worker: User
    experience: str
    fte: Decimal
    children: int = 0
    cp: int = 0
    in_care: int = 0
    court: int = 0
    weighted: Decimal = Decimal("0")
    limit: Decimal = Decimal("0")
    last_supervision: dt.date | None = None
    supervision_due: dt.date | None = None
    supervision_overdue: bool = False

    @property
    def over_limit(self) -> bool:
        return self.weighted > self.limit

    @property
    def is_asye(self) -> bool:
        return self.experience == WorkerProfile.Experience.ASYE

    @property
    def experience_label(self) -> str:
        return WorkerProfile.Experience(self.experience).label


def limit_for(settings: WorkforceSettings, experience: str, fte: Decimal) -> Decimal:
    base = settings.asye_caseload_limit if experience == WorkerProfile.Experience.ASYE else settings.caseload_limit
    return (base * fte).quantize(Decimal("0.1"))


def supervision_every(settings: WorkforceSettings, experience: str) -> int:
    if experience == WorkerProfile.Experience.ASYE:
        return settings.asye_supervision_every_days
    return settings.supervision_every_days


def supervision_status(settings, experience: str, last: dt.date | None, joined: dt.date, today: dt.date):
    """(date the next supervision is due, whether it is overdue): counted from the last session, or from joining."""
    due = (last or joined) + dt.timedelta(days=supervision_every(settings, experience))
    return due, due < today


def teams_for(user) -> list[Team]:
    """The teams whose workload this user may see: all for a service manager, their own for a team manager."""
    if user.role == Role.SERVICE_MANAGER:
        return list(Team.objects.filter(is_active=True).order_by("name"))
    if user.role == Role.TEAM_MANAGER:
        return list(Team.objects.filter(Q(pk=user.team_id) | Q(manager=user), is_active=True).order_by("name"))
    return []


def case_holders(teams) -> QuerySet[User]:
    return (User.objects.filter(team__in=teams, role__in=CASE_HOLDING_ROLES, is_active=True)
            .select_related("worker_profile", "team")
            .annotate(last_supervision=Max("supervisions__held_on"))
            .order_by("team__name", "first_name", "last_name", "id"))


def workloads(workers, *, settings: WorkforceSettings | None = None, today: dt.date | None = None) -> list[WorkerLoad]:
    """Each worker's weighted caseload and supervision status, in a fixed number of queries."""
    settings = settings or workforce_settings()
    today = today or timezone.localdate()
    workers = list(workers)
    pairs = list(Allocation.objects.filter(worker__in=workers, end_date__isnull=True)
                 .values_list("worker_id", "child_id").distinct())
    weights = complexity({c for _, c in pairs})
    by_worker: dict[int, list[int]] = {}
    for worker_id, child_id in pairs:
        by_worker.setdefault(worker_id, []).append(child_id)
    rows = []
    for worker in workers:
        profile = getattr(worker, "worker_profile", None) if _has_profile(worker) else None
        experience = experience_of(worker, profile, today)
        fte = profile.fte if profile else Decimal("1.00")
        row = WorkerLoad(worker=worker, experience=experience, fte=fte, limit=limit_for(settings, experience, fte))
        for child_id in by_worker.get(worker.pk, []):
            row.children += 1
            row.cp += child_id in weights.cp
            row.in_care += child_id in weights.in_care
            row.court += child_id in weights.court
            row.weighted += weights.weight(child_id, settings)
        row.last_supervision = getattr(worker, "last_supervision", None)
        row.supervision_due, row.supervision_overdue = supervision_status(
            settings, experience, row.last_supervision, timezone.localdate(worker.date_joined), today)
        rows.append(row)
    return rows


def _has_profile(user) -> bool:
    try:
        user.worker_profile  # noqa: B018  (select_related: no query)
    except WorkerProfile.DoesNotExist:
        return False
    return True


@dataclass
class TeamLoad:
    team: Team
    rows: list[WorkerLoad] = field(default_factory=list)

    @property
    def fte(self) -> Decimal:
        return sum((r.fte for r in self.rows), Decimal("0"))

    @property
    def weighted(self) -> Decimal:
        return sum((r.weighted for r in self.rows), Decimal("0"))

    @property
    def capacity(self) -> Decimal:
        return sum((r.limit for r in self.rows), Decimal("0"))

    @property
    def children(self) -> int:
        return sum(r.children for r in self.rows)

    @property
    def over_limit(self) -> list[WorkerLoad]:
        return [r for r in self.rows if r.over_limit]

    @property
    def agency_staff(self) -> int:
        return sum(1 for r in self.rows if r.worker.is_agency_staff)

    @property
    def supervision_overdue(self) -> int:
        return sum(1 for r in self.rows if r.supervision_overdue)

    @property
    def unallocated(self) -> int:
        return getattr(self, "_unallocated", 0)


def team_workload(*, user, team: Team) -> TeamLoad:
    if team not in teams_for(user):
        raise Http404("Page not found")
    load = TeamLoad(team=team, rows=workloads(case_holders([team])))
    load._unallocated = (Allocation.objects.filter(team=team, end_date__isnull=True, worker__isnull=True)
                         .values("child_id").distinct().count())
    return load


def _not_found(user, *, reference: str, request=None):
    """A record the user may not see, or that does not exist: 404, and the refusal in the access log."""
    log_refusal(user, reference=reference, path=request.get_full_path() if request is not None else "")
    return Http404("Page not found")


def worker_for(*, user, worker_id, request=None) -> User:
    """A case-holding worker in one of the user's teams, else 404 (logged)."""
    worker = case_holders(teams_for(user)).filter(pk=worker_id).first()
    if worker is None:
        raise _not_found(user, reference=f"worker:{worker_id}", request=request)
    return worker


def worker_caseload(*, user, worker: User) -> list[dict]:
    """The children allocated to the worker that this user may see, each with its weight."""
    settings = workforce_settings()
    allocations = list(
        Allocation.objects.filter(worker=worker, end_date__isnull=True, child__in=children_for(user))
        .select_related("child", "team").order_by("start_date", "id")
    )
    weights = complexity(a.child_id for a in allocations)
    return [{"allocation": a, "child": a.child, "kind": weights.kind(a.child_id),
             "court": a.child_id in weights.court, "weight": weights.weight(a.child_id, settings)}
            for a in allocations]


# --- Changes of worker -----------------------------------------------------------------------

def _in_last_year(today: dt.date) -> Q:
    since = today - dt.timedelta(days=365)
    return Q(allocations__worker__isnull=False, allocations__start_date__lte=today) & (
        Q(allocations__end_date__isnull=True) | Q(allocations__end_date__gte=since))


def children_with_many_workers(*, user, today: dt.date | None = None) -> QuerySet[Child]:
    """Children with at least the set number of different social workers in the last 12 months."""
    today = today or timezone.localdate()
    threshold = workforce_settings().many_workers
    return (children_for(user)
            .annotate(workers_12m=Count("allocations__worker", filter=_in_last_year(today), distinct=True))
            .filter(workers_12m__gte=threshold)
            .order_by("-workers_12m", "last_name", "first_name", "id"))


def child_workforce(*, child: Child, today: dt.date | None = None) -> dict:
    """The child's allocation history and how many social workers they have had in 12 months."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=365)
    history = list(Allocation.objects.filter(child=child).select_related("worker", "team")
                   .order_by("-start_date", "-id"))
    recent = {a.worker_id for a in history
              if a.worker_id and a.start_date <= today and (a.end_date is None or a.end_date >= since)}
    settings = workforce_settings()
    return {"history": history, "workers_12m": len(recent), "many_workers": len(recent) >= settings.many_workers,
            "threshold": settings.many_workers, "current": [a for a in history if a.end_date is None]}


# --- Supervision -----------------------------------------------------------------------------

def sessions_for(user) -> QuerySet[SupervisionSession]:
    """Managers see every session in their teams; anyone else the sessions they held or attended."""
    qs = SupervisionSession.objects.all()
    if user.role == Role.SERVICE_MANAGER:
        pass
    elif user.role == Role.TEAM_MANAGER:
        teams = teams_for(user)
        qs = qs.filter(Q(supervisees__team__in=teams) | Q(supervisor=user)).distinct()
    elif policy.may_view_supervision(user):
        qs = qs.filter(Q(supervisees=user) | Q(supervisor=user)).distinct()
    else:
        return SupervisionSession.objects.none()
    return qs.select_related("supervisor").prefetch_related(
        Prefetch("supervisees", queryset=User.objects.order_by("first_name", "last_name")),
    ).annotate(discussion_count=Count("discussions", distinct=True)).order_by("-held_on", "-id")


def session_for(*, user, session_id, request=None) -> SupervisionSession:
    """A session the user may see (one of their teams', or one they held or attended), else 404 (logged)."""
    session = sessions_for(user).filter(pk=session_id).first()
    if session is None:
        raise _not_found(user, reference=f"supervision:{session_id}", request=request)
    return session


def session_discussions(*, user, session: SupervisionSession) -> list:
    """The case discussions of a session, for the children this user may see."""
    return list(session.discussions.filter(child__in=children_for(user))
                .select_related("child", "oversight").prefetch_related("oversight__actions"))


def supervisable_workers(user) -> QuerySet[User]:
    """Whom the user may record supervision for: case holders in their teams (managers) or in their own team."""
    if policy.may_view_workload(user):  # managers: the case holders of the teams they manage
        teams = teams_for(user)
    else:
        teams = [user.team] if user.team_id else []
    return case_holders(teams).exclude(pk=user.pk)


def discussable_children(user) -> QuerySet[Child]:
    """Children allocated to the workers this user supervises (those they may see): what supervision discusses."""
    return (children_for(user)
            .filter(allocations__end_date__isnull=True, allocations__worker__in=supervisable_workers(user))
            .distinct().order_by("last_name", "first_name", "id"))
