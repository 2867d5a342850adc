"""The eleven Annex A lists, each as one set-based query (plus a few grouped look-ups) over the records.

Each function takes the period and returns the rows of its list, in the order of the headers in
/work/shared/specs/annex_a_columns.json. Every child is included, restricted records too (the lists go
to Ofsted); merged duplicates are left out. Values are already in the schema's words (`codes.py`); dates
are `datetime.date` (the workbook formats them as the schema's dd/mm/yyyy).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from opencsc.adoption.models import AdopterHousehold, AdoptionPlan
from opencsc.assessment.models import Assessment, CINEpisode
from opencsc.care.models import CareEpisode, CarePlan, LookedAfterReview, PeriodOfCare, Placement
from opencsc.careleavers.models import AdviserAllocation, EligibilityDecision, PathwayPlan, PathwayPlanReview
from opencsc.careleavers.models import Contact as LeavingCareContact
from opencsc.careleavers.selectors import care_leavers
from opencsc.casework.models import Allocation, Visit
from opencsc.earlyhelp.models import EarlyHelpAssessment, TeamMember
from opencsc.frontdoor.models import ContactChild
from opencsc.missing.models import MissingEpisode, ReturnInterview
from opencsc.people.models import Child
from opencsc.protection.models import (
    Conference,
    CPPlan,
    EmergencyProtectionOrder,
    PoliceProtection,
    Section47,
)
from opencsc.wellbeing.models import DentalCheck, HealthAssessment

from . import codes

NOT_ALLOCATED = "Not allocated"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def year_before_end(self) -> dt.date:
        return self.end - relativedelta(months=12) + dt.timedelta(days=1)


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _person(child: Child, on: dt.date) -> list:
    """Gender, ethnicity, date of birth and age (the four columns after the child's ID)."""
    return [codes.GENDER.get(child.sex, codes.GENDER["U"]), codes.ethnicity(child.ethnicity), child.date_of_birth,
            _age(child.date_of_birth, on)]


def _allocated(child_ref: str, on: dt.date) -> dict:
    """Annotations for the team and worker holding the child on `on` (one subquery each)."""
    open_on = (Allocation.objects.filter(child=OuterRef(child_ref), start_date__lte=on)
               .filter(Q(end_date__isnull=True) | Q(end_date__gte=on)).order_by("-start_date", "-id"))
    return {
        "aa_team": Subquery(open_on.values("team__name")[:1]),
        "aa_first": Subquery(open_on.values("worker__first_name")[:1]),
        "aa_last": Subquery(open_on.values("worker__last_name")[:1]),
    }


def _team_worker(row) -> list:
    worker = f"{row.aa_first or ''} {row.aa_last or ''}".strip()
    return [row.aa_team or NOT_ALLOCATED, worker or NOT_ALLOCATED]


def _by_child(qs) -> dict[int, list]:
    """Group (child id, value) rows by child: {child_id: [values...]}, in one query."""
    out: dict[int, list] = defaultdict(list)
    for child_id, day in qs:
        out[child_id].append(day)
    return out


def _last_on_or_before(days: list, on: dt.date):
    days = [d for d in days if d is not None and d <= on]
    return max(days) if days else None


# The child's fields the lists use: loading only these keeps a row cheap (a Child has many more).
CHILD_FIELDS = ("la_child_id", "sex", "ethnicity", "date_of_birth", "disabilities", "is_uasc", "uasc_ceased")


def _child_only(path: str = "child", *more: str) -> list[str]:
    """For .only(): the relation itself (needed by select_related), the child's fields, and `more`."""
    return [path, *(f"{path}__{f}" for f in CHILD_FIELDS), *more]


def _day_range(field: str, start: dt.date, end: dt.date) -> Q:
    """A datetime field within the local days start..end, as a range the database can index."""
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


def _live(prefix: str = "child__") -> Q:
    return Q(**{f"{prefix}merged_into__isnull": True})


# --- List 1: contacts ---------------------------------------------------------------------------


def list_1(period: Period) -> list[list]:
    # The longest list (every contact), so read as plain values rather than model instances.
    links = (ContactChild.objects.filter(_live(), _day_range("contact__received_at", period.start, period.end))
             .order_by("contact__received_at", "id")
             .values_list("child__la_child_id", "child__sex", "child__ethnicity", "child__date_of_birth",
                          "contact__received_at", "contact__referral_source"))
    tz = timezone.get_current_timezone()
    rows = []
    for la_child_id, sex, ethnicity, born, received_at, source in links:
        received = received_at.astimezone(tz).date()
        rows.append([la_child_id, codes.GENDER.get(sex, codes.GENDER["U"]), codes.ethnicity(ethnicity), born,
                     _age(born, received), received, codes.SOURCE.get(source, codes.SOURCE["10"])])
    return rows


# --- List 2: early help assessments -------------------------------------------------------------


def list_2(period: Period) -> list[list]:
    lead = (TeamMember.objects.filter(family=OuterRef("episode__family_id"), is_lead=True, joined_on__lte=period.end)
            .order_by("-joined_on"))
    assessments = (EarlyHelpAssessment.objects
                   .filter(_live("episode__child__"), start_date__lte=period.end)
                   .filter(Q(completed_date__isnull=True) | Q(completed_date__gte=period.start))
                   .select_related("episode__child", "episode__team")
                   .only(*_child_only("episode__child", "episode", "episode__team__name", "start_date",
                                      "completed_date"))
                   .annotate(lead_agency=Subquery(lead.values("agency")[:1]))
                   .order_by("start_date", "id"))
    rows = []
    for a in assessments:
        child = a.episode.child
        organisation = a.lead_agency or (a.episode.team.name if a.episode.team else settings.OPENCSC_AUTHORITY_NAME)
        completed = a.completed_date if a.completed_date and a.completed_date <= period.end else None
        rows.append([child.la_child_id, *_person(child, a.start_date), a.start_date, completed, organisation])
    return rows


# --- List 3: referrals --------------------------------------------------------------------------


def list_3(period: Period) -> list[list]:
    episodes = (CINEpisode.objects.filter(_live(), referral_date__gte=period.start, referral_date__lte=period.end)
                .select_related("child").only(*_child_only("child", "referral_date", "referral_source", "referral_nfa")).annotate(**_allocated("child_id", period.end))
                .order_by("referral_date", "id"))
    episodes = list(episodes)
    earliest = min((e.referral_date for e in episodes), default=period.start) - relativedelta(months=12)
    referrals = _by_child(CINEpisode.objects.filter(child__in={e.child_id for e in episodes},
                                                  referral_date__gte=earliest, referral_date__lte=period.end)
                        .values_list("child_id", "referral_date"))
    rows = []
    for e in episodes:
        since = e.referral_date - relativedelta(months=12)
        count = sum(1 for d in referrals[e.child_id] if since < d <= e.referral_date)
        rows.append([e.child.la_child_id, *_person(e.child, e.referral_date), e.referral_date,
                     codes.SOURCE.get(e.referral_source, codes.SOURCE["10"]), codes.yes_no(e.referral_nfa), count,
                     *_team_worker(e)])
    return rows


# --- List 4: assessments ------------------------------------------------------------------------


def list_4(period: Period) -> list[list]:
    assessments = (Assessment.objects.filter(_live("episode__child__"), start_date__lte=period.end)
                   .filter(Q(completed_date__isnull=True) | Q(completed_date__gte=period.start))
                   .select_related("episode__child")
                   .only(*_child_only("episode__child", "episode", "start_date", "child_seen_date", "completed_date",
                                      "outcome"))
                   .annotate(**_allocated("episode__child_id", period.end))
                   .order_by("start_date", "id"))
    rows = []
    for a in assessments:
        child = a.episode.child
        seen = a.child_seen_date is not None and a.child_seen_date <= period.end
        completed = a.completed_date if a.completed_date and a.completed_date <= period.end else None
        needs_support = ""
        if completed and a.outcome:
            needs_support = codes.yes_no(a.outcome not in (Assessment.Outcome.NFA, Assessment.Outcome.EARLY_HELP))
        rows.append([child.la_child_id, *_person(child, a.start_date), codes.disability(child.disabilities),
                     a.start_date, codes.yes_no(seen), completed, needs_support, *_team_worker(a)])
    return rows


# --- List 5: section 47 enquiries and ICPCs -----------------------------------------------------


def list_5(period: Period) -> list[list]:
    started = "strategy_discussion__meeting__held_on"
    icpc = Conference.objects.filter(section47=OuterRef("pk"), kind=Conference.Kind.INITIAL).order_by("meeting__held_on")
    enquiries = list(Section47.objects.filter(_live(), **{f"{started}__gte": period.start, f"{started}__lte": period.end})
                     .select_related("child")
                     .only(*_child_only("child", "outcome", "icpc_not_required", "completed_on"))
                     .annotate(
                         started_on=F(started),
                         icpc_on=Subquery(icpc.values("meeting__held_on")[:1]),
                         icpc_decision=Subquery(icpc.values("decision")[:1]),
                         **_allocated("child_id", period.end))
                     .order_by(started, "id"))
    ids = {e.child_id for e in enquiries}
    earliest = period.start - relativedelta(months=12)
    s47s = _by_child(Section47.objects.filter(child__in=ids, **{f"{started}__gte": earliest})
                   .values_list("child_id", started))
    icpcs = _by_child(Conference.objects.filter(child__in=ids, kind=Conference.Kind.INITIAL,
                                              meeting__held_on__gte=earliest).values_list("child_id", "meeting__held_on"))
    rows = []
    for e in enquiries:
        since = e.started_on - relativedelta(months=12)

        def in_year(days, since=since, on=e.started_on):
            return sum(1 for d in days if since < d <= on)

        icpc_on = e.icpc_on if e.icpc_on and e.icpc_on <= period.end else None
        result = ""
        if icpc_on:
            result = codes.yes_no(e.icpc_decision == Conference.Decision.PLAN)
        decided = (e.outcome or e.icpc_not_required) and (e.completed_on is None or e.completed_on <= period.end)
        unnecessary = codes.yes_no(e.icpc_not_required) if decided else ""
        rows.append([e.child.la_child_id, *_person(e.child, e.started_on), codes.disability(e.child.disabilities),
                     e.started_on, unnecessary, icpc_on, result, in_year(s47s[e.child_id]), in_year(icpcs[e.child_id]),
                     *_team_worker(e)])
    return rows


# --- List 6: children in need -------------------------------------------------------------------


def _open_during(period: Period, start: str, end: str) -> Q:
    return Q(**{f"{start}__lte": period.end}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": period.start}))


def _open_on(day: dt.date, start: str = "start_date", end: str = "end_date") -> Q:
    return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": day}))


def _seen_dates(ids, on: dt.date, kinds=None) -> dict[int, list]:
    visits = Visit.objects.filter(child__in=ids, child_seen=True, visited_on__lte=on)
    if kinds:
        visits = visits.filter(kind__in=kinds)
    return _by_child(visits.values_list("child_id", "visited_on"))


def list_6(period: Period) -> list[list]:
    episodes = list(CINEpisode.objects.filter(_live()).filter(_open_during(period, "referral_date", "closure_date"))
                    .exclude(referral_nfa=True).select_related("child")
                    .only(*_child_only("child", "referral_date", "primary_need", "closure_date", "reason_for_closure"))
                    .annotate(**_allocated("child_id", period.end)).order_by("referral_date", "id"))
    ids = {e.child_id for e in episodes}
    seen = _seen_dates(ids, period.end)
    in_care = set(PeriodOfCare.objects.filter(_open_on(period.end), child__in=ids).values_list("child_id", flat=True))
    on_cp = set(CPPlan.objects.filter(_open_on(period.end, "plan__start_date", "plan__end_date"), child__in=ids)
                .values_list("child_id", flat=True))
    cin_plan = set(CINEpisode.objects.filter(pk__in=[e.pk for e in episodes])
                   .filter(_open_on(period.end, "cin_plans__plan__start_date", "cin_plans__plan__end_date"))
                   .values_list("pk", flat=True))
    assessed = set(Assessment.objects.filter(episode__in=[e.pk for e in episodes], completed_date__lte=period.end)
                   .values_list("episode_id", flat=True))
    rows = []
    for e in episodes:
        closed = e.closure_date if e.closure_date and e.closure_date <= period.end else None
        if closed:
            status = "closed"
        elif e.child_id in in_care:
            status = "cla"
        elif e.child_id in on_cp:
            status = "cp"
        elif e.pk in cin_plan or e.pk in assessed:
            status = "cin"  # assessed, and still open: receiving services as a child in need
        else:
            status = "assessment"
        rows.append([e.child.la_child_id, *_person(e.child, period.end), codes.disability(e.child.disabilities),
                     e.referral_date, codes.PRIMARY_NEED.get(e.primary_need, codes.PRIMARY_NEED["N0"]),
                     _last_on_or_before(seen[e.child_id], period.end), closed,
                     codes.REASON_FOR_CLOSURE.get(e.reason_for_closure, "") if closed else "",
                     codes.CASE_STATUS[status], *_team_worker(e)])
    return rows


# --- List 7: child protection plans -------------------------------------------------------------


def list_7(period: Period) -> list[list]:
    review = (Conference.objects.filter(cp_plan=OuterRef("pk"), kind=Conference.Kind.REVIEW,
                                        meeting__held_on__lte=period.end).order_by("-meeting__held_on"))
    plans = list(CPPlan.objects.filter(_live()).filter(_open_during(period, "plan__start_date", "plan__end_date"))
                 .select_related("child", "plan")
                 .only(*_child_only("child", "plan", "plan__start_date", "plan__end_date", "initial_category",
                                    "latest_category"))
                 .annotate(latest_review=Subquery(review.values("meeting__held_on")[:1]),
                           **_allocated("child_id", period.end))
                 .order_by("plan__start_date", "id"))
    ids = {p.child_id for p in plans}
    visits: dict[int, list] = defaultdict(list)
    for child_id, day, alone in (Visit.objects.filter(child__in=ids, kind=Visit.Kind.CP, child_seen=True,
                                                      visited_on__lte=period.end)
                                 .values_list("child_id", "visited_on", "child_seen_alone")):
        visits[child_id].append((day, alone))
    six_months = period.end - relativedelta(months=6)
    protected = set(EmergencyProtectionOrder.objects.filter(child__in=ids, made_on__gt=six_months,
                                                            made_on__lte=period.end).values_list("child_id", flat=True))
    protected |= set(PoliceProtection.objects.filter(child__in=ids, started_at__date__gt=six_months,
                                                     started_at__date__lte=period.end)
                     .values_list("child_id", flat=True))
    starts = _by_child(CPPlan.objects.filter(child__in=ids).values_list("child_id", "plan__start_date"))
    rows = []
    for p in plans:
        last = max(visits[p.child_id], default=None)
        ended = p.plan.end_date if p.plan.end_date and p.plan.end_date <= period.end else None
        rows.append([p.child.la_child_id, *_person(p.child, period.end), codes.disability(p.child.disabilities),
                     p.plan.start_date, codes.CATEGORY_OF_ABUSE.get(p.initial_category, ""),
                     codes.CATEGORY_OF_ABUSE.get(p.latest_category, ""), last[0] if last else None,
                     codes.yes_no(last[1]) if last else "", p.latest_review, ended,
                     codes.yes_no(p.child_id in protected),
                     sum(1 for d in starts[p.child_id] if d < p.plan.start_date), *_team_worker(p)])
    return rows


# --- List 8: children looked after --------------------------------------------------------------


def list_8(period: Period) -> list[list]:
    year_ago = period.year_before_end
    periods = (PeriodOfCare.objects.filter(_live()).filter(_open_during(period, "start_date", "end_date"))
               .select_related("child").only(*_child_only("child", "start_date", "end_date"))
               .annotate(**_allocated("child_id", period.end))
               .order_by("child_id", "-start_date", "-id"))
    latest: dict[int, PeriodOfCare] = {}
    for p in periods:
        latest.setdefault(p.child_id, p)  # a child with two periods in the window is listed once, for the latest
    ids = set(latest)
    episodes: dict[int, list[CareEpisode]] = defaultdict(list)
    for ep in (CareEpisode.objects.filter(period__in=[p.pk for p in latest.values()], start_date__lte=period.end)
               .select_related("placement").order_by("start_date", "id")):
        episodes[ep.period_id].append(ep)
    earlier_ends = _by_child(PeriodOfCare.objects.filter(child__in=ids, end_date__isnull=False)
                           .values_list("child_id", "end_date"))
    reviews = _by_child(LookedAfterReview.objects.filter(child__in=ids).values_list("child_id", "meeting__held_on"))
    iro_reviews = _by_child(LookedAfterReview.objects.filter(child__in=ids, iro__isnull=False)
                          .values_list("child_id", "meeting__held_on"))
    sw_visits = _seen_dates(ids, period.end, kinds=[Visit.Kind.CLA])
    health = _by_child(HealthAssessment.objects.filter(child__in=ids).values_list("child_id", "assessment_date"))
    dental = _by_child(DentalCheck.objects.filter(child__in=ids).values_list("child_id", "check_date"))
    permanence = {}
    for child_id, option in (CarePlan.objects.filter(child__in=ids, plan__start_date__lte=period.end)
                             .exclude(permanence_option="").order_by("plan__start_date", "id")
                             .values_list("child_id", "permanence_option")):
        permanence[child_id] = option
    placements = dict(Placement.objects.filter(child__in=ids, start_date__lte=period.end)
                      .filter(Q(end_date__isnull=True) | Q(end_date__gte=year_ago))
                      .order_by().values("child_id").annotate(n=Count("pk")).values_list("child_id", "n"))
    missing: dict[int, list] = defaultdict(list)
    for child_id, kind, ep_id in (MissingEpisode.objects.filter(child__in=ids, started_at__date__gte=year_ago,
                                                                         started_at__date__lte=period.end)
                                           .order_by("started_at").values_list("child_id", "kind", "pk")):
        missing[child_id].append((kind, ep_id))
    last_missing = {}
    for child_id, eps in missing.items():
        missing_only = [ep_id for kind, ep_id in eps if kind == MissingEpisode.Kind.MISSING]
        if missing_only:
            last_missing[missing_only[-1]] = child_id
    interviews = {last_missing[ep]: response for ep, response in
                  ReturnInterview.objects.filter(episode__in=list(last_missing), offered_at__date__lte=period.end)
                  .values_list("episode_id", "response")}
    rows = []
    for child_id, p in latest.items():
        child = p.child
        eps = episodes[p.pk]
        current = eps[-1] if eps else None
        status_start = None
        for ep in reversed(eps):
            if current and ep.legal_status != current.legal_status:
                break
            status_start = ep.start_date
        ended = p.end_date if p.end_date and p.end_date <= period.end else None
        placement = current.placement if current else None
        second = any(p.start_date - relativedelta(months=12) <= d <= p.start_date for d in earlier_ends[child_id])
        kinds = [k for k, _ in missing[child_id]]
        has_missing = MissingEpisode.Kind.MISSING in kinds
        response = interviews.get(child_id)
        rows.append([
            child.la_child_id, *_person(child, period.end),
            codes.yes_no(child.is_uasc and (child.uasc_ceased is None or child.uasc_ceased >= year_ago)),
            codes.disability(child.disabilities), p.start_date,
            codes.PRIMARY_NEED.get(current.category_of_need, "") if current else "",
            codes.yes_no(second), status_start,
            codes.LEGAL_STATUS.get(current.legal_status, "") if current else "",
            _last_on_or_before(reviews[child_id], period.end), _last_on_or_before(sw_visits[child_id], period.end),
            codes.PERMANENCE.get(permanence.get(child_id, ""), ""),
            _last_on_or_before(iro_reviews[child_id], period.end),
            _last_on_or_before(health[child_id], period.end), _last_on_or_before(dental[child_id], period.end),
            placements.get(child_id, 0), ended,
            codes.REASON_CEASED.get(current.reason_ceased, "") if ended and current else "",
            placement.start_date if placement else None,
            codes.placement_type(placement.placement_type) if placement else "",
            codes.PROVIDER.get(placement.provider, codes.PROVIDER[""]) if placement else "",
            placement.postcode if placement else "", placement.urn if placement else "",
            ("a) In" if placement.in_authority else "b) Out") if placement else "",
            # Out of the authority's area, the placement's LA is not recorded (only its postcode): left blank.
            codes.la_name(settings.OPENCSC_LA_CODE) if placement and placement.in_authority else "",
            kinds.count(MissingEpisode.Kind.MISSING), kinds.count(MissingEpisode.Kind.AWAY),
            codes.yes_no(response is not None) if has_missing else "",
            codes.yes_no(response == ReturnInterview.Response.ACCEPTED) if has_missing else "",
            *_team_worker(p),
        ])
    return rows


# --- List 9: care leavers -----------------------------------------------------------------------


def _latest_by(period: Period) -> dict:
    """Each young person's latest contact and eligibility decision as they stood at the period's end."""
    latest = (LeavingCareContact.objects.filter(child=OuterRef("pk"), contact_date__lte=period.end)
              .order_by("-contact_date", "-id"))
    decision = (EligibilityDecision.objects.filter(child=OuterRef("pk"), decided_on__lte=period.end)
                .order_by("-decided_on", "-id"))
    return {"last_contact_date": Subquery(latest.values("contact_date")[:1]),
            "last_in_touch": Subquery(latest.values("in_touch")[:1]),
            "last_activity": Subquery(latest.values("activity")[:1]),
            "last_accommodation": Subquery(latest.values("accommodation")[:1]),
            "category": Subquery(decision.values("category")[:1])}


def list_9(period: Period) -> list[list]:
    adviser = (AdviserAllocation.objects.filter(child=OuterRef("pk"), start_date__lte=period.end)
               .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.end)).order_by("-start_date"))
    # A care leaver at the period's end: their leaving care status decided by then (not only since).
    decided = EligibilityDecision.objects.filter(decided_on__lte=period.end).values("child_id")
    young_people = list(care_leavers(Child.objects.filter(merged_into__isnull=True, pk__in=decided), on=period.end)
                        .annotate(**_latest_by(period),
                                  pa_first=Subquery(adviser.values("adviser__first_name")[:1]),
                                  pa_last=Subquery(adviser.values("adviser__last_name")[:1]),
                                  **_allocated("pk", period.end))
                        .order_by("la_child_id"))
    ids = {c.pk for c in young_people}
    reviewed = _by_child(PathwayPlanReview.objects.filter(plan__child__in=ids)
                         .values_list("plan__child_id", "reviewed_on"))
    for child_id, day in PathwayPlan.objects.filter(child__in=ids).values_list("child_id", "start_date"):
        reviewed[child_id].append(day)
    rows = []
    for c in young_people:
        accommodation = c.last_accommodation or ""
        pa = f"{c.pa_first or ''} {c.pa_last or ''}".strip() or NOT_ALLOCATED
        rows.append([
            c.la_child_id, *_person(c, period.end),
            codes.yes_no(c.is_uasc), codes.disability(c.disabilities), *_team_worker(c), pa,
            codes.ELIGIBILITY.get(c.category or "", "e) Other"),
            _last_on_or_before(reviewed[c.pk], period.end),
            codes.IN_TOUCH.get(c.last_in_touch or "", codes.IN_TOUCH_NOT_RECORDED), c.last_contact_date,
            codes.ACCOMMODATION.get(accommodation[:1], ""),
            codes.SUITABILITY.get(accommodation[1:2], codes.SUITABILITY_NOT_RECORDED),
            codes.ACTIVITY.get(c.last_activity or "0", ""),
        ])
    return rows


# --- List 10: children with a plan for adoption -------------------------------------------------


def list_10(period: Period) -> list[list]:
    plans = (AdoptionPlan.objects.filter(_live(), should_be_placed_on__lte=period.end)
             .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
             .filter(Q(adoption_order_on__isnull=True) | Q(adoption_order_on__gte=period.start))
             .select_related("child").order_by("should_be_placed_on", "id"))
    plans = plans.only(*_child_only("child", "adopters", "entered_care_on", "should_be_placed_on",
                                    "placement_order_on", "matched_on", "placed_on", "adoption_order_on", "ended_on",
                                    "end_reason", "ffa_placed_on"))

    def by_end(day):
        return day if day and day <= period.end else None

    def after_end(day):
        return day is not None and day > period.end

    rows = []
    for p in plans:
        ended = by_end(p.ended_on)
        rows.append([
            p.child.la_child_id, f"H{p.adopters_id}" if p.adopters_id and not after_end(p.matched_on) else "",
            *_person(p.child, period.end),
            codes.disability(p.child.disabilities), p.entered_care_on, p.should_be_placed_on,
            by_end(p.placement_order_on), by_end(p.matched_on), by_end(p.placed_on), by_end(p.adoption_order_on),
            ended, codes.ADOPTION_ENDED.get(p.end_reason, "") if ended else "", by_end(p.ffa_placed_on),
        ])
    return rows


# --- List 11: adopters --------------------------------------------------------------------------


def list_11(period: Period) -> list[list]:
    households = (AdopterHousehold.objects.filter(enquiry_on__lte=period.end)
                  .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=period.start))
                  .annotate(matched=Min("plans__matched_on"), placed=Min("plans__placed_on"),
                            placed_count=Count("plans__placed_on", filter=Q(plans__placed_on__lte=period.end)),
                            ordered=Max("plans__adoption_order_on", filter=Q(plans__adoption_order_on__lte=period.end)),
                            ffa=Count("plans", filter=Q(plans__ffa_placed_on__lte=period.end)))
                  .order_by("enquiry_on", "id"))

    def by_end(day):
        return day if day and day <= period.end else None

    rows = []
    for h in households:
        left = by_end(h.withdrawn_on)
        reason = ""
        if left:
            refused = "refus" in h.withdrawal_reason.lower() or "not approved" in h.withdrawal_reason.lower()
            reason = codes.ADOPTER_REFUSED if refused else codes.ADOPTER_WITHDREW
        stage_two = by_end(h.stage_two_on)
        rows.append([
            f"H{h.pk}", f"H{h.pk}", codes.GENDER["U"], codes.ETHNICITY_NOT_STATED, codes.UNKNOWN,
            codes.yes_no(h.ffa > 0), h.enquiry_on, by_end(h.stage_one_on), stage_two, stage_two, by_end(h.approved_on),
            None, by_end(h.approved_on), by_end(h.matched), by_end(h.placed), h.placed_count or None, by_end(h.ordered),
            left, reason,
        ])
    return rows


LISTS = {
    "list_1": ("List 1: contacts", list_1),
    "list_2": ("List 2: early help assessments", list_2),
    "list_3": ("List 3: referrals", list_3),
    "list_4": ("List 4: assessments", list_4),
    "list_5": ("List 5: section 47 enquiries and ICPCs", list_5),
    "list_6": ("List 6: children in need", list_6),
    "list_7": ("List 7: child protection", list_7),
    "list_8": ("List 8: children in care", list_8),
    "list_9": ("List 9: care leavers", list_9),
    "list_10": ("List 10: adoption", list_10),
    "list_11": ("List 11: adopters", list_11),
}
