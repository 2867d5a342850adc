"""Reading record-keeping periods and finding the children's records past their period, set-based.

`past_period` runs a fixed number of queries whatever the size of the authority: one query narrows the
children to those old enough for even the shortest period to be over (every child's record is at least
an "other" record, so nobody younger can be past), with what the rules need as annotations (ever looked
after, the adoption order, open work, holds, waiting approvals); the dates are then worked out in Python
by the pure rules (rules.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from opencsc.adoption.models import AdoptionPlan
from opencsc.assessment.models import CINEpisode
from opencsc.care.models import PeriodOfCare
from opencsc.careleavers.models import CareLeaver
from opencsc.casework.models import Allocation
from opencsc.earlyhelp.models import EarlyHelpEpisode
from opencsc.otherduties.models import CareProceedings, PrivateFostering
from opencsc.people.access import children_for
from opencsc.people.models import Child

from . import rules
from .models import DestructionRecord, DestructionRequest, DestructionRequestItem, LegalHold, RetentionRule

# Why a child past their period is not offered for destruction.
KEPT_RESTRICTED = "restricted"
KEPT_OPEN = "open"
KEPT_HOLD = "hold"
KEPT_WAITING = "waiting"
KEPT_REASONS = {
    KEPT_RESTRICTED: "Restricted records (never offered: review them by hand)",
    KEPT_OPEN: "Work still open (an allocation, episode, period of care, plan or proceedings)",
    KEPT_HOLD: "On legal hold",
    KEPT_WAITING: "Already approved, waiting for a second person to confirm",
}


def periods() -> dict[str, rules.Period]:
    """The authority's periods, by record class (the defaults for any class missing from the table)."""
    stored = {r.record_class: r.as_period() for r in RetentionRule.objects.all()}
    return {**rules.DEFAULTS_BY_CLASS, **stored}


def rule_list() -> QuerySet[RetentionRule]:
    return RetentionRule.objects.select_related("updated_by").order_by("id")


def _open_work() -> Q:
    """The child has work still open: any of these makes their records not to be destroyed."""
    child = OuterRef("pk")
    return (Exists(Allocation.objects.filter(child=child, end_date__isnull=True))
            | Exists(CINEpisode.objects.filter(child=child, closure_date__isnull=True))
            | Exists(PeriodOfCare.objects.filter(child=child, end_date__isnull=True))
            | Exists(EarlyHelpEpisode.objects.filter(child=child, closure_date__isnull=True))
            | Exists(AdoptionPlan.objects.filter(child=child, ended_on__isnull=True, adoption_order_on__isnull=True))
            | Exists(CareLeaver.objects.filter(child=child, support_ended_on__isnull=True))
            | Exists(CareProceedings.objects.filter(child=child, final_order_on__isnull=True))
            | Exists(PrivateFostering.objects.filter(child=child, ended_on__isnull=True)))


def _annotated(children: QuerySet[Child]) -> QuerySet:
    child = OuterRef("pk")
    adoption_order = (AdoptionPlan.objects.filter(child=child, adoption_order_on__isnull=False)
                      .values("child").annotate(latest=Max("adoption_order_on")).values("latest"))
    return children.annotate(
        born=Coalesce("date_of_birth", "expected_date_of_birth"),
        looked_after=Exists(PeriodOfCare.objects.filter(child=child)) | Exists(CareLeaver.objects.filter(child=child)),
        adoption_order=Subquery(adoption_order[:1]),
        open_work=_open_work(),
        held=Exists(LegalHold.objects.filter(child=child, released_at__isnull=True)),
        waiting=Exists(DestructionRequestItem.objects.filter(
            child=child, outcome=DestructionRequestItem.Outcome.WAITING,
            request__status=DestructionRequest.Status.PENDING)),
    )


@dataclass(frozen=True)
class Past:
    """One child whose records are past their period."""

    child_id: int
    la_child_id: str
    keep_until: dt.date
    record_class: str
    kept_because: str = ""  # "" when they may be offered for destruction


@dataclass
class Report:
    offered: list[Past] = field(default_factory=list)
    kept: dict[str, int] = field(default_factory=dict)  # reason: how many

    @property
    def kept_total(self) -> int:
        return sum(self.kept.values())


def past_period(*, today: dt.date, children: QuerySet[Child] | None = None,
                table: dict[str, rules.Period] | None = None) -> list[Past]:
    """Every child (of `children`, default all) whose records are past their period on `today`, the
    earliest first, each with the reason it is kept anyway ("" when it may be offered for destruction).
    Merged duplicate records are never listed: they go with the record they were merged into."""
    table = table or periods()
    qs = (Child.objects.all() if children is None else children).filter(merged_into__isnull=True)
    other = table[rules.OTHER]
    narrow = Q(born__lte=rules.latest_start_passed(today, other.years))
    if other.after_death_years is not None:
        narrow |= Q(date_of_death__isnull=False)
    rows = _annotated(qs).filter(narrow).values_list(
        "pk", "la_child_id", "born", "date_of_death", "looked_after", "adoption_order", "is_restricted",
        "open_work", "held", "waiting")
    out = []
    for pk, la_id, born, died, looked_after, order, restricted, open_work, held, waiting in rows.iterator():
        decision = rules.decide(table, rules.Facts(born=born, died=died, looked_after=looked_after,
                                                   adoption_order=order))
        if not decision.is_past(today):
            continue
        kept = (KEPT_RESTRICTED if restricted else KEPT_HOLD if held else KEPT_OPEN if open_work
                else KEPT_WAITING if waiting else "")
        out.append(Past(pk, la_id, decision.keep_until, decision.record_class, kept))
    out.sort(key=lambda p: (p.keep_until, p.la_child_id))
    return out


def report_for(user, *, today: dt.date) -> Report:
    """The report a manager sees: the records they may offer for destruction, and how many more are past
    their period but kept (restricted ones are counted, never listed)."""
    report = Report()
    for past in past_period(today=today):
        if past.kept_because:
            report.kept[past.kept_because] = report.kept.get(past.kept_because, 0) + 1
        else:
            report.offered.append(past)
    allowed = set(children_for(user).filter(pk__in=[p.child_id for p in report.offered])
                  .values_list("pk", flat=True))
    report.offered = [p for p in report.offered if p.child_id in allowed]
    return report


def children_by_id(ids) -> dict[int, Child]:
    return {c.pk: c for c in Child.objects.filter(pk__in=list(ids))}


def summary(*, today: dt.date) -> dict[str, int]:
    """How many children's records are past their period on `today`: in all, offered for destruction,
    and kept for each reason. For the nightly job (services.refresh_report) and the report page."""
    counts = {"past": 0, "offered": 0, **{reason: 0 for reason in KEPT_REASONS}}
    for past in past_period(today=today):
        counts["past"] += 1
        counts[past.kept_because or "offered"] += 1
    return counts


def holds(*, in_force: bool = True) -> QuerySet[LegalHold]:
    qs = LegalHold.objects.select_related("child", "placed_by", "released_by")
    return qs.filter(released_at__isnull=True) if in_force else qs.filter(released_at__isnull=False)


def requests_pending() -> QuerySet[DestructionRequest]:
    return DestructionRequest.objects.filter(status=DestructionRequest.Status.PENDING).select_related(
        "requested_by")


def requests_decided() -> QuerySet[DestructionRequest]:
    return DestructionRequest.objects.exclude(status=DestructionRequest.Status.PENDING).select_related(
        "requested_by", "decided_by")


def destruction_records() -> QuerySet[DestructionRecord]:
    return DestructionRecord.objects.select_related("approved_by", "confirmed_by")
