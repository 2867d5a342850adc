"""Children in care measures: reviews, visits, placement stability, health, education and missing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from opencsc.care import rules as care_rules
from opencsc.care.models import PeriodOfCare, Placement
from opencsc.care.selectors import (
    every_child,
    long_term_cohort_q,
    long_term_stability_q,
    looked_after_on,
    with_care_facts,
)
from opencsc.missing.models import MissingEpisode
from opencsc.people.models import Child
from opencsc.timescales.authority import timescale
from opencsc.timescales.core import RED
from opencsc.wellbeing import selectors as wellbeing_selectors
from opencsc.wellbeing.selectors import dental_checks_in_date, health_checks_in_date, oc2_cohort

from .base import Row
from .common import clocks_as_at, day_bounds, in_words, year_to

VISIT_RULES = ("cla_visit", "cla_visit_long_term", "cla_visit_placed_with_parent", "cla_visit_connected_person")


def _open_on(as_at: dt.date) -> Q:
    return Q(start_date__lte=as_at) & (Q(end_date__isnull=True) | Q(end_date__gt=as_at))


def _latest_open(model, as_at: dt.date) -> list[tuple[int, int, dt.date]]:
    """(pk, child id, start) of each child's latest period or placement open on the date."""
    seen, out = set(), []
    for pk, child_id, start in (model.objects.filter(_open_on(as_at)).values_list("pk", "child_id", "start_date")
                                .order_by("child_id", "-start_date", "-id")):
        if child_id not in seen:
            seen.add(child_id)
            out.append((pk, child_id, start))
    return out


def _clock_rows(model, scope: str, rules, as_at: dt.date, label: str, what: str) -> list[Row]:
    records = _latest_open(model, as_at)
    children = Child.objects.filter(pk__in=model.objects.filter(_open_on(as_at)).values("child_id"))
    clocks = clocks_as_at(children, list(rules), as_at)
    rows = []
    for pk, child_id, start in records:
        items = clocks.get((child_id, f"{scope}:{pk}"), [])
        if not items:
            rows.append(Row(child_id=child_id, met=None, ref=f"{label} {in_words(start)}", on=start))
            continue
        item = items[0]
        last = (f"none since {in_words(start)}" if item.step == 0 else f"last {in_words(item.measured_from)}")
        rows.append(Row(child_id=child_id, met=item.rag != RED, on=item.due_date,
                        ref=f"{label} {in_words(start)}: {what} {last}, next due {in_words(item.due_date)}"))
    return rows


def cla_reviews_in_time(as_at: dt.date) -> list[Row]:
    """Looked-after children's reviews up to date.

    Every child looked after on the date (a period of care started on or before it, not ended by it).
    Met when their next review is not overdue on the date, by the timescales engine's `cla_review`
    rule (Care Planning, Placement and Case Review (England) Regulations 2010 reg 33: first review
    within 20 working days of becoming looked after, the second within 3 months of the first, then
    not more than 6 months after the actual previous review). Source: periods of care and reviews
    in the care app, through the timescales engine.
    """
    return _clock_rows(PeriodOfCare, "period", ["cla_review"], as_at, "Looked after since", "reviews:")


def cla_visits_in_time(as_at: dt.date) -> list[Row]:
    """Statutory visits to looked-after children up to date.

    Every child looked after on the date, through their placement on the date. Met when their next
    statutory visit is not overdue on the date, by the timescales engine's regulation 28 rule for the
    placement's visiting pattern (CPPCR 2010 reg 28: within a week of any placement starting, then
    not more than 6 weeks apart; 3 months after the first year of a placement meant to last until 18;
    weekly until the first review, then 6 or 4 weeks, for a child placed with a parent or a connected
    person). Only visits where the child was seen count. Source: placements in the care app and
    casework visits, through the timescales engine.
    """
    return _clock_rows(Placement, "placement", VISIT_RULES, as_at, "Placed since", "visits:")


def _stability_facts(as_at: dt.date):
    return with_care_facts(looked_after_on(as_at, every_child()), as_at)


def stability_3_placements(as_at: dt.date) -> list[Row]:
    """Children looked after with 3 or more placements (short-term stability, ex-NI 62).

    Every child looked after on the date. Met (True) when they had 3 or more placements in the year to
    the date, counted as the care app's stability measure counts them (`care.selectors.
    with_care_facts`: placements open at any time from 1 April to the date, temporary placements
    T0 to T4 not counted, as in the DfE measure for children looked after at 31 March). Lower is
    better. Source: placements in the care app.
    """
    rows = []
    for child_id, count, since in _stability_facts(as_at).values_list("pk", "placements_this_year", "care_since"):
        rows.append(Row(child_id=child_id, met=count >= care_rules.MANY_PLACEMENTS, on=since,
                        ref=f"Looked after since {in_words(since)}: {count} placement{'' if count == 1 else 's'} "
                            f"since {in_words(care_rules.year_start(as_at))}"))
    return rows


def stability_long_term(as_at: dt.date) -> list[Row]:
    """Long-term placement stability (ex-NI 63).

    Every child looked after on the date who is under 16 and has been looked after for 2.5 years or
    more. Met when they have lived in the same placement for 2 years or more (DfE "long-term
    stability"; `care.selectors.long_term_cohort_q` and `long_term_stability_q`). Source:
    periods of care and placements in the care app.
    """
    cohort = _stability_facts(as_at).filter(long_term_cohort_q(as_at))
    stable = set(cohort.filter(long_term_stability_q(as_at)).values_list("pk", flat=True))
    rows = []
    for child_id, since, placed in cohort.values_list("pk", "care_since", "placed_since"):
        rows.append(Row(child_id=child_id, met=child_id in stable, on=since,
                        ref=f"Looked after since {in_words(since)}, in this placement since {in_words(placed)}"))
    return rows


def _checks(as_at: dt.date, cohort, in_date, what: str) -> list[Row]:
    done = set(in_date.values_list("pk", flat=True))
    rows = []
    for child_id, in cohort.values_list("pk"):
        met = child_id in done
        rows.append(Row(child_id=child_id, met=met, on=as_at,
                        ref=f"{what} {'in date' if met else 'not in date'} on {in_words(as_at)}"))
    return rows


def health_assessments(as_at: dt.date) -> list[Row]:
    """Health assessments in date for children looked after for 12 months or more.

    The OC2 cohort on the date: children looked after continuously for at least 12 months
    (`wellbeing.selectors.oc2_cohort`). Met when their latest health assessment is in date on the
    date: within 6 months if it was done before their fifth birthday, within 12 months after
    (`wellbeing.selectors.health_checks_in_date`; CPPCR 2010 reg 7, "Promoting the health and
    wellbeing of looked-after children"). Source: health assessments in the wellbeing app.
    """
    cohort = oc2_cohort(year_end=as_at, children=every_child())
    return _checks(as_at, cohort, health_checks_in_date(on=as_at, children=cohort), "Health assessment")


def dental_checks(as_at: dt.date) -> list[Row]:
    """Dental checks in date for children looked after for 12 months or more.

    The OC2 cohort on the date (`wellbeing.selectors.oc2_cohort`). Met when they had a dental check in
    the 12 months to the date (`wellbeing.selectors.dental_checks_in_date`; SSDA903 OC2
    TEETH_CHECK). Source: dental checks in the wellbeing app.
    """
    cohort = oc2_cohort(year_end=as_at, children=every_child())
    return _checks(as_at, cohort, dental_checks_in_date(on=as_at, children=cohort), "Dental check")


def peps_in_date(as_at: dt.date) -> list[Row]:
    """Personal education plans in date.

    The PEP cohort on the date: children looked after aged 3 to 17 (`wellbeing.selectors.
    pep_cohort`). Met when they had a PEP meeting within the last term, taken as 4 months (the
    `pep_review` rule; `wellbeing.selectors.peps_in_date`; "Promoting the education of looked-after
    and previously looked-after children", DfE 2018). Source: PEPs in the wellbeing app.
    """
    cohort = wellbeing_selectors.pep_cohort(on=as_at, children=every_child())
    return _checks(as_at, cohort, wellbeing_selectors.peps_in_date(on=as_at, children=cohort), "Personal education plan")


def rhi_72_hours(as_at: dt.date) -> list[Row]:
    """Return home interviews offered within 72 hours.

    Every missing or away episode that ended (the child returned or was found) in the 12 months to
    the date. Met when a return home interview was offered within 72 hours of the return (the
    `return_home_interview` rule; statutory guidance on children who run away or go missing from
    home or care, DfE 2014; `missing.selectors.rhi_due`, as the missing report's "offered within
    72 hours"; 72 hours of elapsed time, from ``timescales.authority.timescale``). An episode with no interview offered by the end of the date is left out of the
    figure (met None) while the 72 hours are still running, then counts as not met; an interview
    offered after the date counts as not yet offered. Source: the missing app.
    """
    first, last = year_to(as_at)
    start, end = day_bounds(first, last)
    rhi = timescale("return_home_interview")
    rows = []
    for child_id, ended_at, offered_at in (
        MissingEpisode.objects.filter(ended_at__gte=start, ended_at__lt=end)
        .values_list("child_id", "ended_at", "return_interview__offered_at").order_by("ended_at", "id")
    ):
        returned = timezone.localtime(ended_at)
        due = rhi.due(ended_at)
        if offered_at is not None and offered_at >= end:
            offered_at = None
        if offered_at is not None:
            met = not rhi.is_late(ended_at, offered_at)
            ref = f"Returned {in_words(returned.date())}, interview offered {in_words(timezone.localdate(offered_at))}"
        else:
            met = None if end <= due else False
            ref = f"Returned {in_words(returned.date())}, no interview offered"
        rows.append(Row(child_id=child_id, met=met, ref=ref, on=returned.date()))
    return rows
