"""Adoption, special guardianship and adopters.

- Children adopted in the last 3 years (about 15 a year at the default size): from the care
  step's `ctx.extra["care_adopted"]` [(child pk, period start, placed for adoption on, adopted
  on)...]; without it, from periods of care whose last episode ended with an adoption (E11,
  E12); without those, from young closed cases. Milestones are built backwards from those dates:
  the decision, the placement order, the match, the placement, the adoption order. Times follow
  the scorecard: A1 averages about 15 months (a little over the 426-day threshold, as in many
  authorities), A2 about 4-5 months; about 12% are adopted by their foster carers and 10% were in
  fostering for adoption placements.
- Children in care now with a plan for adoption (about 25 at the default size), at each stage,
  some with a placement order waiting long for a match; reviews every 3 then 6 months and, once
  placed, weekly visits to the first review at 4 weeks (some late).
- Special guardianship and child arrangements orders (about 25 and 10 a year) for young closed cases.
- About 40 adopter households across the stages (enquiry, stage one, stage two, approved, matched,
  placed, adopted, withdrawn); the households matched and placed now are the adopters of the
  children matched and placed now, and every adopted child's adopters are recorded (the 903 of any year needs them).
"""

from __future__ import annotations

import datetime as dt
import random

from django.apps import apps
from django.core.exceptions import FieldError

from opencsc.adoption.models import (
    AdopterHousehold,
    AdoptionPlan,
    AdoptionReview,
    AdoptionVisit,
    PermanenceOrder,
)

from ..context import GenerationContext, bulk_create, historical_timestamps

ADOPTED_PER_YEAR = 15
CURRENT_PLANS = 25
# Stage of the current plans: (weight, placement order, matched, placed)
CURRENT_STAGES = ((6, False, False, False), (9, True, False, False), (4, True, True, False), (6, True, True, True))
SGO_PER_YEAR, CAO_PER_YEAR = 25, 10
HOUSEHOLDS = {"enquiry": 6, "stage_one": 6, "stage_two": 7, "approved": 5, "withdrawn": 6}
FOSTER_CARER_SHARE = 0.12
FFA_SHARE = 0.10
CONCURRENT_SHARE = 0.06
ON_TIME = 0.85
DECISION_MAKERS = ("Helen Marsh", "David Okoro", "Fiona Clarke")
RELATIONSHIPS = ("Maternal grandmother", "Maternal grandparents", "Paternal grandparents", "Maternal aunt",
                 "Paternal aunt and uncle", "Older sibling", "Family friend", "Former foster carers")
WITHDRAWALS = ("A change in their circumstances: a new job abroad", "They decided adoption is not right for them now",
               "Not approved: the panel's concerns about their support network", "A health issue in the family",
               "They chose to adopt through another agency")
END_REASONS = (("RD1", "Long-term fostering with her current carers"), ("RD2", "Rehabilitation home to mother"),
               ("RD3", "Long-term fostering: no adopters found for the sibling group"),
               ("RD4", "Special guardianship with a relative assessed late in proceedings"))


def _days(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(low, high))


def _adopted_rows(ctx: GenerationContext, rng: random.Random) -> list[tuple[int, dt.date, dt.date, dt.date]]:
    rows = ctx.extra.get("care_adopted")
    if rows:
        return [tuple(r) for r in rows]
    rows = _adopted_from_care(ctx)
    if rows:
        return rows
    # No care records: young children whose case closed in the last 3 years were adopted.
    start = ctx.today - dt.timedelta(days=3 * 365)
    candidates = [c for c in ctx.children if c.pk and c.service == "closed" and c.closed_on and c.date_of_birth
                  and start < c.closed_on <= ctx.today and (c.closed_on - c.date_of_birth).days < 7 * 365
                  and (c.closed_on - c.date_of_birth).days > 400]
    chosen = rng.sample(candidates, min(len(candidates), ctx.scaled(ADOPTED_PER_YEAR * 3)))
    out = []
    for c in chosen:
        adopted = c.closed_on
        placed = adopted - _days(rng, 120, 300)
        entered = placed - dt.timedelta(days=max(200, int(rng.gauss(440, 150))))
        entered = max(entered, c.date_of_birth + dt.timedelta(days=3))
        if placed - entered < dt.timedelta(days=150):
            placed = entered + dt.timedelta(days=150)
            adopted = max(adopted, placed + dt.timedelta(days=100))
        if adopted > ctx.today:
            continue
        out.append((c.pk, entered, placed, adopted))
    return out


def _adopted_from_care(ctx: GenerationContext) -> list:
    """Periods of care ending in adoption (E11, E12), if the care app records them."""
    try:
        period = apps.get_model("care", "PeriodOfCare")
        episode = apps.get_model("care", "CareEpisode")
        start = ctx.today - dt.timedelta(days=3 * 365)
        ended = period.objects.filter(end_date__gt=start, end_date__lte=ctx.today)
        adopted = set(episode.objects.filter(period__in=ended, reason_ceased__in=("E11", "E12"))
                      .values_list("period_id", flat=True))
        placements = apps.get_model("care", "Placement")
        placed = dict(placements.objects.filter(period_id__in=adopted, placement_type__startswith="A")
                      .values_list("period_id", "start_date"))
        return [(child_id, begun, placed.get(pk) or end - dt.timedelta(days=200), end)
                for pk, child_id, begun, end in ended.filter(pk__in=adopted)
                .values_list("pk", "child_id", "start_date", "end_date")]
    except (LookupError, FieldError, ValueError):
        return []


def _care_facts() -> tuple[dict[int, dt.date], dict[int, str]]:
    """From the care records: each child's first placement order (legal status E1) of their latest period
    of care, and the type of their latest placement for adoption (A3 to A6)."""
    try:
        episode = apps.get_model("care", "CareEpisode")
        placement = apps.get_model("care", "Placement")
        orders: dict[int, dt.date] = {}
        for child_id, start in (episode.objects.filter(legal_status="E1").order_by("child_id", "-period__start_date",
                                                                                   "start_date")
                                .values_list("child_id", "start_date")):
            orders.setdefault(child_id, start)
        places = dict(placement.objects.filter(placement_type__in=("A3", "A4", "A5", "A6")).order_by("start_date")
                      .values_list("child_id", "placement_type"))
        return orders, places
    except (LookupError, FieldError):
        return {}, {}


def _on_placement_orders(exclude: set[int]) -> list[tuple[int, dt.date, dt.date]]:
    """Children whose current episode is on a placement order (E1): (child, came into care, order date)."""
    try:
        episode = apps.get_model("care", "CareEpisode")
        rows = (episode.objects.filter(period__end_date__isnull=True, legal_status="E1")
                .order_by("child_id", "start_date").values_list("child_id", "period__start_date", "start_date"))
    except (LookupError, FieldError):
        return []
    first: dict[int, tuple[int, dt.date, dt.date]] = {}
    for child_id, entered, order_on in rows:
        if child_id not in exclude and child_id not in first:
            first[child_id] = (child_id, entered, order_on)
    return sorted(first.values())


def _current_children(ctx: GenerationContext, rng: random.Random, exclude: set[int]) -> list[tuple[int, dt.date]]:
    """Young children in care now, with the date they came into care."""
    in_care = {}
    try:
        period = apps.get_model("care", "PeriodOfCare")
        in_care = dict(period.objects.filter(end_date__isnull=True).values_list("child_id", "start_date"))
    except (LookupError, FieldError):
        pass
    young = [c for c in ctx.children if c.pk and c.date_of_birth and c.pk not in exclude
             and (ctx.today - c.date_of_birth).days < 5 * 365]
    if in_care:
        pool = [(c.pk, in_care[c.pk]) for c in young if c.pk in in_care]
    else:
        pool = [(c.pk, c.known_from) for c in young if c.service == "in_care" and c.known_from]
    pool = [(pk, start) for pk, start in pool if start and (ctx.today - start).days > 150]
    rng.shuffle(pool)
    return sorted(pool[:ctx.scaled(CURRENT_PLANS)])


def _legal_status(kind: str, name: str) -> str:
    """The adopters' legal status (SSDA903 LS_ADOPTR), agreeing with who they are. Drawn from a
    generator of its own (seeded by the household's name) so that the other data stay the same."""
    if kind in ("M1", "F1"):
        return "L0"
    pick = random.Random(name).random()
    if kind == "MF":
        return "L11" if pick < 0.75 else "L3"
    return "L12" if pick < 0.4 else ("L2" if pick < 0.7 else "L4")


def _household(ctx, rng, fake, creator, stage: str, anchor: dt.date | None = None) -> AdopterHousehold:
    """A household at `stage` today (or approved before `anchor`, for matches)."""
    today = ctx.today
    kind = rng.choices(("MF", "FF", "MM", "F1", "M1"), weights=(70, 10, 8, 10, 2))[0]
    surname = fake.last_name()
    firsts = [fake.first_name_female() if s == "F" else fake.first_name_male() for s in kind.replace("1", "")]
    name = f"{' and '.join(firsts)} {surname}"
    if anchor is not None:
        approved = anchor - _days(rng, 20, 200)
        stage_two = approved - _days(rng, 110, 150)
    else:
        approved = today - _days(rng, 5, 240) if stage == "approved" else None
        stage_two = (approved - _days(rng, 110, 150)) if approved else (
            today - _days(rng, 5, 130) if stage in ("stage_two",) else None)
    stage_one = (stage_two - _days(rng, 45, 75)) if stage_two else (
        today - _days(rng, 3, 60) if stage == "stage_one" else None)
    enquiry = (stage_one - _days(rng, 10, 60)) if stage_one else today - _days(rng, 1, 40)
    withdrawn = reason = None
    if stage == "withdrawn":
        enquiry = today - _days(rng, 60, 500)
        stage_one = enquiry + _days(rng, 14, 40)
        withdrawn = min(today, stage_one + _days(rng, 20, 150))
        reason = rng.choice(WITHDRAWALS)
    return AdopterHousehold(
        name=name, adopters=kind, legal_status=_legal_status(kind, name), enquiry_on=enquiry, stage_one_on=stage_one, stage_two_on=stage_two,
        approved_on=approved, withdrawn_on=withdrawn, withdrawal_reason=reason or "", created_by=creator,
        created_at=ctx.at(enquiry),
    )


def generate_adoption(ctx: GenerationContext) -> None:
    rng = ctx.rng("adoption")
    fake = ctx.faker("adoption")
    today = ctx.today
    staff = list(ctx.staff_by_team.get("Adoption team") or []) or [
        u for team in ctx.staff_by_team.values() for u in team]
    if not staff:
        return

    def worker():
        return rng.choice(staff)

    households: list[AdopterHousehold] = []
    plans: list[AdoptionPlan] = []
    plan_households: list[AdopterHousehold | None] = []

    # The care records' placement orders and placements for adoption: the plan agrees with them (the
    # decision comes before the order, SSDA903 rule 554; adopted by the foster carers exactly when placed
    # for adoption with them, A3 or A5, rule 335).
    first_order, adoption_place = _care_facts()

    # Children adopted in the last 3 years.
    adopted = _adopted_rows(ctx, rng)
    for child_id, entered, placed, adopted_on in adopted:
        ffa = rng.random() < FFA_SHARE
        foster = not ffa and rng.random() < FOSTER_CARER_SHARE
        if child_id in adoption_place:
            foster = adoption_place[child_id] in ("A3", "A5")
            ffa = ffa and not foster
        span = max((placed - entered).days, 60)
        decision = min(placed, entered + dt.timedelta(days=int(span * rng.uniform(0.3, 0.55))))
        order = decision + dt.timedelta(days=int((placed - decision).days * rng.uniform(0.2, 0.5)))
        if entered <= first_order.get(child_id, dt.date.min) <= placed:
            order = first_order[child_id]
            decision = min(decision, order)
        match = min(placed, max(order, placed - _days(rng, 10, 45)))
        plans.append(AdoptionPlan(
            child_id=child_id, entered_care_on=entered, should_be_placed_on=decision, decision_maker=rng.choice(
                DECISION_MAKERS), concurrent_planning=rng.random() < CONCURRENT_SHARE,
            ffa_placed_on=(entered + _days(rng, 5, 60)) if ffa else None, placement_order_on=order,
            matched_on=match, adopted_by_foster_carers=foster,
            lived_with_adopters_from=(entered + _days(rng, 1, 40)) if foster else None,
            placed_on=placed, adoption_order_on=adopted_on, created_by=worker(), created_at=ctx.at(decision),
        ))
        # The adopters of every adopted child are recorded: the 903 (AD1) of the year of the adoption gives
        # who they are and their legal status, whichever year's return is made.
        plan_households.append(_household(ctx, rng, fake, worker(), "adopted", anchor=match))

    # Children in care now with a plan for adoption.
    current = _current_children(ctx, rng, {row[0] for row in adopted})
    weights = [s[0] for s in CURRENT_STAGES]
    for child_id, entered in current:
        _, ordered, matched, placed = rng.choices(CURRENT_STAGES, weights=weights)[0]
        available = (today - entered).days
        decision = entered + dt.timedelta(days=int(available * rng.uniform(0.25, 0.5)))
        order = decision + dt.timedelta(days=int((today - decision).days * rng.uniform(0.15, 0.5))) \
            if ordered else None
        if entered <= first_order.get(child_id, dt.date.min) <= today:  # the placement order on record
            order = first_order[child_id]
            decision = min(decision, order)
        match = order + dt.timedelta(days=int((today - order).days * rng.uniform(0.4, 0.85))) if matched else None
        placed_on = match + dt.timedelta(days=int((today - match).days * rng.uniform(0.2, 0.6))) \
            if placed else None
        if placed_on and placed_on <= match:
            placed_on = None
        plans.append(AdoptionPlan(
            child_id=child_id, entered_care_on=entered, should_be_placed_on=decision,
            decision_maker=rng.choice(DECISION_MAKERS), concurrent_planning=rng.random() < CONCURRENT_SHARE * 2,
            ffa_placed_on=(entered + _days(rng, 5, 30)) if rng.random() < FFA_SHARE else None,
            placement_order_on=order, matched_on=match, placed_on=placed_on, created_by=worker(),
            created_at=ctx.at(decision),
        ))
        plan_households.append(_household(ctx, rng, fake, worker(), "matched", anchor=match) if match else None)

    # A few plans that ended: the plan changed.
    ended_pool = [c for c in ctx.children if c.pk and c.date_of_birth and c.service in ("in_care", "closed")
                  and c.known_from and (today - c.known_from).days > 400
                  and (today - c.date_of_birth).days < 8 * 365
                  and c.pk not in {p.child_id for p in plans}]
    for c in rng.sample(ended_pool, min(len(ended_pool), ctx.scaled(6))):
        entered = max(c.known_from, c.date_of_birth + dt.timedelta(days=3))
        decision = entered + _days(rng, 90, 200)
        ended = min(today, decision + _days(rng, 60, 200))
        order = decision + _days(rng, 20, 50) if rng.random() < 0.6 and decision + dt.timedelta(days=50) < ended \
            else None
        code, details = rng.choice(END_REASONS)
        plans.append(AdoptionPlan(
            child_id=c.pk, entered_care_on=entered, should_be_placed_on=decision, decision_maker=rng.choice(
                DECISION_MAKERS), placement_order_on=order, ended_on=ended, end_reason=code, end_details=details,
            created_by=worker(), created_at=ctx.at(decision),
        ))
        plan_households.append(None)

    # Children on a placement order (legal status E1) now always have the decision that they should be
    # placed for adoption recorded (SSDA903 rule 553). Drawn from a generator of their own, so that the
    # rest of the data stay the same.
    extra = random.Random(f"{ctx.seed}:adoption:placement-orders")
    for child_id, entered, order_on in _on_placement_orders(exclude={p.child_id for p in plans}):
        decision = min(order_on, entered + dt.timedelta(days=int(max((order_on - entered).days, 1) * 0.5)))
        plans.append(AdoptionPlan(
            child_id=child_id, entered_care_on=entered, should_be_placed_on=decision,
            decision_maker=extra.choice(DECISION_MAKERS), placement_order_on=order_on,
            created_by=extra.choice(staff), created_at=ctx.at(decision),
        ))
        plan_households.append(None)

    # Households: those linked to plans, then the rest of the journey.
    linked = [h for h in plan_households if h is not None]
    for stage, number in HOUSEHOLDS.items():
        households.extend(_household(ctx, rng, fake, worker(), stage) for _ in range(ctx.scaled(number)))
    with historical_timestamps(AdopterHousehold, "created_at"):
        bulk_create(AdopterHousehold, linked + households, ctx, key="adopter households")
    for plan, household in zip(plans, plan_households, strict=True):
        plan.adopters = household
    with historical_timestamps(AdoptionPlan, "created_at"):
        saved = bulk_create(AdoptionPlan, plans, ctx, key="plans for adoption")

    # Reviews and visits for plans open now (and the history of the adopted ones' last months).
    reviews, visits = [], []
    for plan in saved:
        if plan.ended_on:
            continue
        stop = plan.adoption_order_on or today
        if plan.placement_order_on:
            day, step = plan.placement_order_on, dt.timedelta(days=91)
            limit = plan.placed_on or stop
            while day + step <= limit:
                day = day + step + (dt.timedelta(days=0) if rng.random() < ON_TIME else _days(rng, 5, 30))
                if day > limit:
                    break
                reviews.append(AdoptionReview(plan=plan, held_on=day, notes="Family finding continues.",
                                              created_by=plan.created_by))
                step = dt.timedelta(days=182)
        if plan.placed_on:
            day = plan.placed_on
            first_review = plan.placed_on + dt.timedelta(days=28)
            while day + dt.timedelta(days=7) <= min(first_review, stop):
                day += dt.timedelta(days=7) if rng.random() < ON_TIME else _days(rng, 8, 12)
                if day > min(first_review, stop):
                    break
                visits.append(AdoptionVisit(plan=plan, visited_on=day, seen_alone=rng.random() < 0.3,
                                            notes="Settling in well with the adopters.", created_by=plan.created_by))
            review = first_review - _days(rng, 0, 3) if rng.random() < ON_TIME else first_review + _days(rng, 3, 20)
            if review <= stop:
                reviews.append(AdoptionReview(plan=plan, held_on=review, notes="The placement continues.",
                                              created_by=plan.created_by))
                later = review + dt.timedelta(days=91)
                if later <= stop:
                    reviews.append(AdoptionReview(plan=plan, held_on=later, notes="Adoption application made.",
                                                  created_by=plan.created_by))
    with historical_timestamps(AdoptionReview, "created_at"), historical_timestamps(AdoptionVisit, "created_at"):
        for row in reviews:
            row.created_at = ctx.at(row.held_on)
        for row in visits:
            row.created_at = ctx.at(row.visited_on)
        bulk_create(AdoptionReview, reviews, ctx, key="adoption reviews")
        bulk_create(AdoptionVisit, visits, ctx, key="adoption visits")

    # Special guardianship and child arrangements orders for young children whose case closed.
    taken = {p.child_id for p in plans}
    start = today - dt.timedelta(days=3 * 365)
    pool = [c for c in ctx.children if c.pk and c.service == "closed" and c.closed_on and c.date_of_birth
            and start < c.closed_on <= today and c.closed_on > c.date_of_birth and c.pk not in taken
            and (c.closed_on - c.date_of_birth).days < 12 * 365]
    number = ctx.scaled((SGO_PER_YEAR + CAO_PER_YEAR) * 3)
    orders = []
    for c in rng.sample(pool, min(len(pool), number)):
        kind = PermanenceOrder.Kind.SGO if rng.random() < SGO_PER_YEAR / (SGO_PER_YEAR + CAO_PER_YEAR) \
            else PermanenceOrder.Kind.CAO
        relationship = rng.choice(RELATIONSHIPS)
        orders.append(PermanenceOrder(
            child_id=c.pk, kind=kind, made_on=c.closed_on, guardians=f"{fake.first_name()} {fake.last_name()}",
            relationship=relationship, support_plan=kind == PermanenceOrder.Kind.SGO and rng.random() < 0.8,
            created_by=worker(), created_at=ctx.at(c.closed_on),
        ))
    with historical_timestamps(PermanenceOrder, "created_at"):
        bulk_create(PermanenceOrder, orders, ctx, key="special guardianship and child arrangements orders")
