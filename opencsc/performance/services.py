"""Taking the weekly snapshot, and writing targets and commentary.

`snapshot_take` runs every measure once for the date, attributes each row to a team (and so a
service), and stores the figures for the authority, every service and every team, with the rows
behind them for the drill-down. Keyword-only, in a transaction, audited.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from opencsc.accounts.models import Team, User
from opencsc.casework.models import Allocation
from opencsc.core.audit import StaleRecordError, audit, field_values
from opencsc.core.db_router import reading_from_replica
from opencsc.core.models import AuditEvent

from . import policy, rules, selectors
from .indicators import BY_KEY, INDICATORS, Indicator, measure_for
from .models import Commentary, Figure, FigureRow, ScopeKind, Snapshot, Target
from .scopes import SERVICE_FOR_KIND, UNALLOCATED, Scope

logger = logging.getLogger(__name__)

REF_LENGTH = FigureRow._meta.get_field("ref").max_length
BATCH = 2000


@dataclass
class SnapshotResult:
    snapshot: Snapshot
    rows: int = 0
    unavailable: list[str] = field(default_factory=list)


def rows_attribute(rows: list, *, as_at: dt.date) -> list[int | None]:
    """The team each row belongs to on `as_at` (None: unallocated), in two queries whatever the rows.

    A worker's row (caseloads) belongs to the worker's team. A child's row belongs to the team of the
    child's allocation open on `as_at`, else of the latest allocation that started before it.
    """
    child_ids = {r.child_id for r in rows if r.worker_id is None and r.child_id is not None}
    worker_ids = {r.worker_id for r in rows if r.worker_id is not None}
    child_team: dict[int, int] = {}
    if child_ids:
        best: dict[int, tuple] = {}
        allocations = Allocation.objects.filter(start_date__lte=as_at).values_list(
            "child_id", "team_id", "start_date", "end_date", "id")
        for child_id, team_id, start, end, pk in allocations.iterator(chunk_size=5000):
            if child_id not in child_ids:
                continue
            is_open = end is None or end >= as_at
            rank = (is_open, start, pk)
            if child_id not in best or rank > best[child_id][0]:
                best[child_id] = (rank, team_id)
        child_team = {c: team for c, (_, team) in best.items()}
    worker_team: dict[int, int | None] = {}
    if worker_ids:
        worker_team = dict(User.objects.filter(pk__in=worker_ids).values_list("pk", "team_id"))
    out = []
    for r in rows:
        if r.worker_id is not None:
            out.append(worker_team.get(r.worker_id))
        else:
            out.append(child_team.get(r.child_id) if r.child_id is not None else None)
    return out


def team_services() -> dict[int, str]:
    return {pk: SERVICE_FOR_KIND.get(kind, "") for pk, kind in Team.objects.values_list("pk", "kind")}


def _figure(snapshot, indicator: Indicator, kind: str, key: str, rows, *, available=True) -> Figure:
    result = rules.total(indicator.kind, rows)
    return Figure(snapshot=snapshot, indicator=indicator.key, scope_kind=kind, scope_key=key,
                  numerator=result.numerator, denominator=result.denominator, value=result.value,
                  available=available)


def _run(indicator: Indicator, as_at: dt.date) -> list | None:
    try:
        measure = measure_for(indicator)
    except ImportError:  # the measure's module is there but cannot be imported: report it, run the rest
        logger.exception("The measure module for %s cannot be imported", indicator.key)
        return None
    if measure is None:
        logger.warning("No measure for %s yet: shown as not available", indicator.key)
        return None
    try:
        with reading_from_replica():  # the measures read whole tables: the replica's work when there is one
            return list(measure(as_at))
    except Exception:  # one broken measure must not stop the week's scorecard
        logger.exception("The measure for %s failed as at %s", indicator.key, as_at)
        return None


def snapshot_take(*, as_at: dt.date, taken_by=None, progress: Callable[[Indicator], None] | None = None
                  ) -> SnapshotResult:
    """Run every measure once as at `as_at` and store the figures for every scope.

    Taking a snapshot again for the same date replaces its figures (commentary and targets, which
    are kept by date and scope, are untouched). An indicator whose measure is missing or fails is
    stored as not available rather than stopping the others.
    """
    services_of = team_services()
    with transaction.atomic():
        Snapshot.objects.filter(as_at=as_at).delete()
        snapshot = Snapshot.objects.create(as_at=as_at, taken_at=timezone.now(),
                                           taken_by=taken_by if getattr(taken_by, "pk", None) else None)
        result = SnapshotResult(snapshot=snapshot)
        figures: list[Figure] = []
        measured: list[tuple[Indicator, list]] = []
        for indicator in INDICATORS:
            rows = _run(indicator, as_at)
            if rows is None:
                result.unavailable.append(indicator.key)
                figures.append(_figure(snapshot, indicator, ScopeKind.AUTHORITY, "", [], available=False))
            else:
                measured.append((indicator, rows))
            if progress:
                progress(indicator)
        # Attribute every row of every measure at once: two queries for the whole snapshot.
        teams = iter(rows_attribute([row for _, rows in measured for row in rows], as_at=as_at))
        for indicator, rows in measured:
            by_team: dict[int | None, list] = defaultdict(list)
            by_service: dict[str, list] = defaultdict(list)
            stored = []
            for row in rows:
                team = next(teams)
                service = services_of.get(team, "") if team is not None else ""
                by_team[team].append(row)
                if service:
                    by_service[service].append(row)
                stored.append(FigureRow(
                    snapshot=snapshot, indicator=indicator.key, team_id=team, service=service,
                    child_id=row.child_id, worker_id=row.worker_id, met=row.met, ref=(row.ref or "")[:REF_LENGTH],
                    on=row.on, value=row.value,
                ))
            figures.append(_figure(snapshot, indicator, ScopeKind.AUTHORITY, "", rows))
            for service, service_rows in by_service.items():
                figures.append(_figure(snapshot, indicator, ScopeKind.SERVICE, service, service_rows))
            for team, team_rows in by_team.items():
                key = str(team) if team is not None else UNALLOCATED
                figures.append(_figure(snapshot, indicator, ScopeKind.TEAM, key, team_rows))
            FigureRow.objects.bulk_create(stored, batch_size=BATCH)
            result.rows += len(stored)
        Figure.objects.bulk_create(figures, batch_size=BATCH)
        audit(actor=taken_by, action=AuditEvent.Action.CREATED, instance=snapshot,
              summary=f"Scorecard snapshot as at {as_at.isoformat()}: {len(figures)} figures, {result.rows} rows")
    return result


def weeks_back(as_at: dt.date, weeks: int) -> list[dt.date]:
    """The dates of `weeks` weekly snapshots ending on `as_at`, oldest first."""
    return [as_at - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def target_current(indicator: Indicator, scope: Scope) -> Target | None:
    return Target.objects.filter(indicator=indicator.key, scope_kind=scope.kind, scope_key=scope.key).first()


def target_set(*, actor, indicator: Indicator, scope: Scope, target: float, amber_tolerance: float,
               expected_version: int | None = None) -> Target:
    """Set the authority's target for an indicator in a scope: a new version, the old ones kept.

    The targets page passes the scope's latest version its form was opened at (0 when none was set):
    the new row is that version + 1, and the unique (indicator, scope, version) constraint refuses it
    when someone saved a target meanwhile, even racing: StaleRecordError, nothing written. None (for
    commands and set-up) takes the next version whatever it is."""
    policy.may_set_targets.require(actor)
    errors = {}
    if indicator.kind == "percent" and not 0 <= target <= 100:
        errors["target"] = "Enter a target between 0 and 100"
    if target < 0:
        errors["target"] = "Enter a target of 0 or more"
    if amber_tolerance < 0:
        errors["amber_tolerance"] = "Enter an amber tolerance of 0 or more"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        latest = (Target.objects.select_for_update()
                  .filter(indicator=indicator.key, scope_kind=scope.kind, scope_key=scope.key)
                  .aggregate(v=Max("version"))["v"] or 0)
        if expected_version is not None and latest != expected_version:
            raise StaleRecordError()
        previous = target_current(indicator, scope)
        row = Target(indicator=indicator.key, scope_kind=scope.kind, scope_key=scope.key, target=target,
                     amber_tolerance=amber_tolerance, version=latest + 1, set_by=actor, set_at=timezone.now())
        row.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # a racing save took this version first
            raise StaleRecordError() from None
        before = field_values(previous, ["target", "amber_tolerance"]) if previous else {}
        after = field_values(row, ["target", "amber_tolerance"])
        audit(actor=actor, action=AuditEvent.Action.UPDATED if previous else AuditEvent.Action.CREATED,
              instance=row, changes={k: [before.get(k), v] for k, v in after.items()},
              summary=f"Target for {indicator.title} ({scope.name}) set to {indicator.format(target)}")
    return row


def _contradiction_message(text: str, indicator: Indicator, scope: Scope, as_at: dt.date) -> str:
    """Commentary that says the opposite of the figure's rating ("back above target" beside "Off target")
    is refused: the words about where a figure stands come from the same verdict as its status tag."""
    line = selectors.scorecard_line(indicator, scope, selectors.snapshot_for(as_at))
    verdict = line["verdict"] if line else None
    phrase = rules.contradiction(text, verdict) if verdict is not None else ""
    if not phrase:
        return ""
    sentence = line["verdict_sentence"]
    return (f'Your commentary says "{phrase}", but the figure is {sentence[0].lower()}{sentence[1:-1]}. '
            f"Change or remove those words")


def commentary_write(*, actor, indicator: Indicator, scope: Scope, as_at: dt.date, text: str) -> Commentary:
    """Add a manager's commentary to a figure. Earlier commentary stays, as history."""
    policy.may_write_commentary.require(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter your commentary"})
    if message := _contradiction_message(text, indicator, scope, as_at):
        raise ValidationError({"text": message})
    with transaction.atomic():
        row = Commentary(indicator=indicator.key, scope_kind=scope.kind, scope_key=scope.key, as_at=as_at,
                         text=text, author=actor, written_at=timezone.now())
        row.full_clean()
        row.save()
        audit(actor=actor, action=AuditEvent.Action.CREATED, instance=row, changes={"text": [None, text]},
              summary=f"Commentary on {indicator.title} ({scope.name}, {as_at.isoformat()})")
    return row


__all__ = ["BY_KEY", "commentary_write", "rows_attribute", "snapshot_take", "target_set", "weeks_back"]
