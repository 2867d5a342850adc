"""Reads for other duties. Children come through `people.access`; LADO allegations only for
`policy.may_view_lado` (a refused role 403, a missing allegation 404, both in the access log).

Timeliness comes from the statutory rules (timescales/core): proceedings against `care_proceedings`
(26 weeks from issue, each extension adding 8), LADO referrals against `lado_referral`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from opencsc.accounts.policy import log_refusal
from opencsc.people.access import children_for
from opencsc.people.models import Child
from opencsc.timescales.authority import authority_calendar, calendar_for_rule
from opencsc.timescales.authority import timescale as authority_timescale
from opencsc.timescales.core import RED, Timescale
from opencsc.timescales.core.engine import clocks
from opencsc.timescales.core.rules import get_rule

from . import policy
from .models import CareProceedings, Extension, LadoAllegation, PrivateFostering, PrivateFosteringVisit

STATUTORY_WEEKS = 26


@dataclass(frozen=True)
class ProceedingsTimeliness:
    weeks: int  # completed weeks since issue, to today or to the final order
    due: dt.date  # 26 weeks from issue, plus 8 weeks for each extension
    extensions: int
    past_26_weeks: bool
    overdue: bool  # past the due date, extensions included


def proceedings_timeliness(proceedings: CareProceedings, extension_dates, today: dt.date,
                           calendar=None) -> ProceedingsTimeliness:
    calendar = calendar or authority_calendar()
    events = [("proceedings_issued", proceedings.issued_on)]
    events += [("proceedings_extended", day) for day in sorted(extension_dates)]
    if proceedings.final_order_on:
        events.append(("final_order", proceedings.final_order_on))
    clock = clocks(get_rule("care_proceedings"), events, calendar)[-1]
    end = proceedings.final_order_on or today
    weeks = (end - proceedings.issued_on).days // 7
    elapsed_days = (end - proceedings.issued_on).days
    return ProceedingsTimeliness(
        weeks=weeks, due=clock.due, extensions=clock.extensions,
        past_26_weeks=elapsed_days > STATUTORY_WEEKS * 7, overdue=end > clock.due,
    )


def overview(*, user, child: Child) -> dict:
    """The child's private fostering arrangements and care proceedings, in a bounded number of queries."""
    today = timezone.localdate()
    calendar = authority_calendar()
    arrangements = list(
        PrivateFostering.objects.filter(child=child)
        .prefetch_related(Prefetch("visits", queryset=PrivateFosteringVisit.objects.order_by("-visited_on", "-id")))
        .order_by("-notified_on", "-id")
    )
    proceedings = []
    for item in CareProceedings.objects.filter(child=child).prefetch_related("hearings", "extensions") \
            .order_by("-issued_on", "-id"):
        timeliness = proceedings_timeliness(item, [e.granted_on for e in item.extensions.all()], today, calendar)
        proceedings.append({"proceedings": item, "timeliness": timeliness})
    return {"arrangements": arrangements, "proceedings": proceedings}


def _one_or_404(queryset, pk, *, user, request, reference: str):
    """The row with this id, or "not found" (404) with the refusal in the access log."""
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        log_refusal(user, reference=reference, path=request.get_full_path() if request is not None else "")
        raise Http404("Not found") from None


def arrangement_for(*, user, child: Child, arrangement_id, request=None) -> PrivateFostering:
    return _one_or_404(PrivateFostering.objects.select_related("child").filter(child=child), arrangement_id,
                       user=user, request=request, reference=f"private_fostering:{arrangement_id}")


def proceedings_for(*, user, child: Child, proceedings_id, request=None) -> CareProceedings:
    return _one_or_404(CareProceedings.objects.select_related("child").filter(child=child), proceedings_id,
                       user=user, request=request, reference=f"proceedings:{proceedings_id}")


def proceedings_list(*, user, status: str = "open", today: dt.date | None = None) -> list[dict]:
    """The authority's proceedings with their week count, longest running first."""
    today = today or timezone.localdate()
    calendar = authority_calendar()
    qs = CareProceedings.objects.filter(child__in=children_for(user)).select_related("child").prefetch_related(
        Prefetch("extensions", queryset=Extension.objects.order_by("granted_on"))
    )
    if status == "open":
        qs = qs.filter(final_order_on__isnull=True)
    elif status == "closed":
        qs = qs.filter(final_order_on__isnull=False)
    rows = []
    for item in qs.order_by("issued_on", "id"):
        rows.append({"proceedings": item, "timeliness": proceedings_timeliness(
            item, [e.granted_on for e in item.extensions.all()], today, calendar)})
    return rows


def private_fostering_list(*, user) -> QuerySet[PrivateFostering]:
    """Open arrangements of the children this user may see, with their visit counts."""
    return (
        PrivateFostering.objects.filter(child__in=children_for(user), ended_on__isnull=True)
        .select_related("child")
        .annotate(visit_count=Count("visits"))
        .order_by("notified_on", "id")
    )


# --- LADO ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LadoTimeliness:
    due: dt.date
    informed_on: dt.date | None
    on_time: bool | None  # None while the LADO has not been told and it is not yet late
    late: bool


def lado_timescale(calendar=None) -> Timescale:
    """The LADO rule and the calendar it counts in (``timescales.authority.timescale``; with ``calendar``
    given as the authority's, the rule's choice of it or the national one)."""
    if calendar is None:
        return authority_timescale("lado_referral")
    rule = get_rule("lado_referral")
    return Timescale(rule, calendar_for_rule(rule, calendar))


def lado_timeliness(allegation: LadoAllegation, today: dt.date, calendar=None, *,
                    timescale: Timescale | None = None) -> LadoTimeliness:
    lado = timescale or lado_timescale(calendar)
    received, informed = allegation.received_on, allegation.lado_informed_on
    due = lado.due(received)
    if informed is not None:
        late = lado.is_late(received, informed)
        return LadoTimeliness(due, informed, not late, late)
    return LadoTimeliness(due, None, None, lado.verdict(received, today).rag == RED)


def lado_allegations(*, user, status: str = "open", search: str = ""):
    """Allegations, newest first (only for `policy.may_view_lado`)."""
    policy.may_view_lado.require(user)
    qs = LadoAllegation.objects.annotate(child_count=Count("children")).order_by("-received_on", "-id")
    if status == "open":
        qs = qs.filter(outcome="")
    elif status == "closed":
        qs = qs.exclude(outcome="")
    if search:
        qs = qs.filter(Q(person_name__icontains=search) | Q(employer__icontains=search))
    return qs


def lado_allegation_for(*, user, allegation_id, request=None) -> LadoAllegation:
    """The allegation, for a user who may see allegations (403 otherwise, before any look-up); one that
    does not exist is "not found" (404), and that refusal is written to the access log too."""
    policy.may_view_lado.require(user, request=request)
    return _one_or_404(LadoAllegation.objects.select_related("created_by"), allegation_id, user=user,
                       request=request, reference=f"lado:{allegation_id}")


def lado_detail(*, user, allegation: LadoAllegation) -> dict:
    """The allegation with its meetings and the children involved whom the user may see."""
    return {
        "allegation": allegation,
        "meetings": list(allegation.meetings.select_related("recorded_by").order_by("held_on", "id")),
        "children": list(children_for(user).filter(pk__in=allegation.children.values("pk"))
                         .order_by("last_name", "first_name")),
        "timeliness": lado_timeliness(allegation, timezone.localdate()),
    }
