"""Reading the scorecards: figures, trends, targets in force, commentary and the drill-down rows.

Every function here reads in a fixed number of queries whatever the number of weeks or teams.
Names of children come only through people.access.children_for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from opencsc.people.access import children_for

from . import rules
from .indicators import INDICATORS, Indicator
from .models import Commentary, Figure, FigureRow, ScopeKind, Snapshot, Target
from .scopes import AUTHORITY_SCOPE, UNALLOCATED, Scope

TREND_DAYS = 365


@dataclass(frozen=True)
class TargetInForce:
    target: float
    tolerance: float
    source: str  # "Set for this scope", "The authority's target", "Default"
    version: int | None = None


def snapshots() -> QuerySet[Snapshot]:
    return Snapshot.objects.order_by("-as_at")


def snapshot_for(week: dt.date | None) -> Snapshot | None:
    """The snapshot for that date, or the latest when no date is asked for."""
    if week is not None:
        return Snapshot.objects.filter(as_at=week).first()
    return snapshots().first()


def _current_targets(scopes: list[Scope]) -> dict[tuple[str, str, str], Target]:
    q = Q()
    for scope in scopes:
        q |= Q(scope_kind=scope.kind, scope_key=scope.key)
    out: dict[tuple[str, str, str], Target] = {}
    for t in Target.objects.filter(q).order_by("indicator", "scope_kind", "scope_key", "-version"):
        out.setdefault((t.indicator, t.scope_kind, t.scope_key), t)
    return out


def targets_in_force(scope: Scope) -> dict[str, TargetInForce]:
    """For each indicator, the target for this scope, else the authority's, else the default (one query)."""
    current = _current_targets([scope, AUTHORITY_SCOPE])
    out = {}
    for ind in INDICATORS:
        own = current.get((ind.key, scope.kind, scope.key))
        authority = current.get((ind.key, AUTHORITY_SCOPE.kind, AUTHORITY_SCOPE.key))
        if own is not None:
            out[ind.key] = TargetInForce(own.target, own.amber_tolerance,
                                         "The authority's target" if scope == AUTHORITY_SCOPE
                                         else "Set for this scope", own.version)
        elif authority is not None:
            out[ind.key] = TargetInForce(authority.target, authority.amber_tolerance, "The authority's target",
                                         authority.version)
        else:
            out[ind.key] = TargetInForce(ind.default_target, ind.amber_tolerance, "Default")
    return out


def target_history(indicator: Indicator, scope: Scope) -> QuerySet[Target]:
    return Target.objects.filter(indicator=indicator.key, scope_kind=scope.kind,
                                 scope_key=scope.key).select_related("set_by").order_by("-version")


def trends(scope: Scope, as_at: dt.date, indicator: Indicator | None = None) -> dict[str, list[tuple]]:
    """(as_at, value or None) for the 12 months to `as_at`, oldest first, per indicator (one query)."""
    figures = Figure.objects.filter(scope_kind=scope.kind, scope_key=scope.key,
                                    snapshot__as_at__gt=as_at - dt.timedelta(days=TREND_DAYS),
                                    snapshot__as_at__lte=as_at)
    if indicator is not None:
        figures = figures.filter(indicator=indicator.key)
    dates = list(Snapshot.objects.filter(as_at__gt=as_at - dt.timedelta(days=TREND_DAYS), as_at__lte=as_at)
                 .order_by("as_at").values_list("as_at", flat=True))
    found = {(f["indicator"], f["snapshot__as_at"]): f["value"] for f in
             figures.values("indicator", "snapshot__as_at", "value")}
    return {ind.key: [(day, found.get((ind.key, day))) for day in dates]
            for ind in ([indicator] if indicator else INDICATORS)}


def latest_commentary(scope: Scope, as_at: dt.date) -> dict[str, Commentary]:
    """The latest commentary on each indicator for this scope, written for this week or an earlier one."""
    out: dict[str, Commentary] = {}
    qs = (Commentary.objects.filter(scope_kind=scope.kind, scope_key=scope.key, as_at__lte=as_at)
          .select_related("author").order_by("-as_at", "-written_at", "-id"))
    for c in qs:
        out.setdefault(c.indicator, c)
        if len(out) == len(INDICATORS):
            break
    return out


def commentary_history(indicator: Indicator, scope: Scope) -> QuerySet[Commentary]:
    return (Commentary.objects.filter(indicator=indicator.key, scope_kind=scope.kind, scope_key=scope.key)
            .select_related("author").order_by("-as_at", "-written_at", "-id"))


def _line(ind: Indicator, figure, target: TargetInForce, points, commentary, snapshot) -> dict:
    if figure is not None:
        available = figure.available
    else:  # no rows for this scope that week: "No data", unless the measure could not be run at all
        available = ind.key not in _unavailable_keys(snapshot)
    value = figure.value if figure is not None and figure.available else None
    verdict = rules.verdict(value, target=target.target, tolerance=target.tolerance, better=ind.better)
    rating = verdict.rating
    values = [p[1] for p in points if p[1] is not None]
    previous = values[-2] if len(values) >= 2 and points and points[-1][1] is not None else None
    return {
        "indicator": ind, "figure": figure, "available": available, "value": value,
        "value_text": ind.format(value) if available else "Not available",
        "numerator": figure.numerator if figure else 0, "denominator": figure.denominator if figure else 0,
        "target": target, "target_text": ind.format(target.target),
        "basis": ind.basis(figure.numerator, figure.denominator) if figure is not None and available else "",
        "rag": rating, "rag_label": verdict.label if available else "Not available",
        "verdict": verdict if available else None,
        "verdict_words": verdict.words if available else "",
        "verdict_sentence": verdict.sentence(ind.format(value), ind.format(target.target)) if available else "",
        "rag_class": rules.RAG_TAG_CLASSES[rating],
        "national_text": ind.format(ind.national) if ind.national is not None else "Not available",
        "points": points, "direction": rules.trend_direction(previous, value, ind.better),
        "commentary": commentary,
    }


def _unavailable_keys(snapshot) -> set[str]:
    cached = getattr(snapshot, "_unavailable", None)
    if cached is None:
        cached = set(Figure.objects.filter(snapshot=snapshot, scope_kind=ScopeKind.AUTHORITY, available=False)
                     .values_list("indicator", flat=True))
        snapshot._unavailable = cached
    return cached


def scorecard(scope: Scope, snapshot: Snapshot | None) -> list[dict]:
    """One line per indicator: the figure, target, rating, national figure, trend and latest commentary."""
    if snapshot is None:
        return []
    figures = {f.indicator: f for f in Figure.objects.filter(snapshot=snapshot, scope_kind=scope.kind,
                                                            scope_key=scope.key)}
    targets = targets_in_force(scope)
    all_points = trends(scope, snapshot.as_at)
    commentary = latest_commentary(scope, snapshot.as_at)
    return [_line(ind, figures.get(ind.key), targets[ind.key], all_points[ind.key], commentary.get(ind.key),
                  snapshot) for ind in INDICATORS]


def scorecard_line(indicator: Indicator, scope: Scope, snapshot: Snapshot | None) -> dict | None:
    if snapshot is None:
        return None
    figure = Figure.objects.filter(snapshot=snapshot, indicator=indicator.key, scope_kind=scope.kind,
                                   scope_key=scope.key).first()
    points = trends(scope, snapshot.as_at, indicator)[indicator.key]
    commentary = latest_commentary(scope, snapshot.as_at).get(indicator.key)
    return _line(indicator, figure, targets_in_force(scope)[indicator.key], points, commentary, snapshot)


def drilldown_rows(*, indicator: Indicator, scope: Scope, snapshot: Snapshot, met: str = "") -> QuerySet:
    """The rows behind the figure for this scope, as stored with the snapshot."""
    qs = FigureRow.objects.filter(snapshot=snapshot, indicator=indicator.key)
    if scope.kind == ScopeKind.SERVICE:
        qs = qs.filter(service=scope.key)
    elif scope.kind == ScopeKind.TEAM:
        qs = qs.filter(team_id__isnull=True) if scope.key == UNALLOCATED else qs.filter(team_id=int(scope.key))
    if met == "met":
        qs = qs.filter(met=True)
    elif met == "not_met":
        qs = qs.filter(met=False)
    elif met == "not_counted":
        qs = qs.filter(met__isnull=True)
    return qs.order_by("on", "id")


def drilldown_name(user, rows) -> None:
    """Give each row on the page `.child` (a child the user may see) or `.restricted` (one they may not)."""
    ids = {r.child_id for r in rows if r.child_id is not None}
    visible = {c.pk: c for c in children_for(user).filter(pk__in=ids)} if ids else {}
    for r in rows:
        r.child = visible.get(r.child_id)
        r.restricted = r.child_id is not None and r.child is None
