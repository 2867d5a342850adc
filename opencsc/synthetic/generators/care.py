"""Children in care: periods of care, SSDA903 episodes, placements, care plans, IROs, reviews,
statutory visits and IRO escalations, for the synthetic authority.

- Every child the children step put in care ("in_care", about 305 at the default size) has an
  open period from the day it decided they came into care, with legal statuses as nationally
  (most on a care order, C2, often after an interim order, C1, or accommodation under section 20,
  V2; youth justice J codes rare; placement orders, E1, for some young children) and placements
  mostly in foster care (U1-U6), some in children's homes (K2), with parents (P1), in supported
  accommodation (H5) or residential schools (S1). Placements last 18 months on average (long-term
  foster placements much longer) and about 10% of children have had 3 or more this year.
- About 52% are placed out of the borough (none of those at home with parents), about two in five of those
  more than 20 miles away: the postcode is a real one inside or outside the borough as the flag says, and
  the distance is the one between the home and placement postcodes (`places.py`). A new placement always
  has another postcode than the last (otherwise the DfE tool sees no move, rule 435).
- Every child in care has a social worker allocated every day of their care.
- Care leavers (18 to 24) have a history that ended between 16 and 18: at 18 mostly staying on
  with carers (E17) or moving to independent living (E5, E6); before 18, independent living or
  home (E4A).
- About 15 young children a year (in each of the last 3 collection years) left care by adoption (E11, E12) after a
  placement order and an adoptive placement (A5 or A6), and about 10 a year by special
  guardianship (E45-E48). The adoptions are handed to the adoption step in
  `ctx.extra["care_adopted"]` as (child pk, period start, placed for adoption on, adopted on).
- Every period has a care plan (a permanence plan agreed by the second review for most), an IRO,
  and reviews at 20 working days, 3 months, then every 6 months; each current placement has its
  statutory visits. Some of each are late, as in real life.

Every child's run of episodes is checked against the service's own SSDA903 rules; a history
that breaks one is replaced by a plain one (one foster placement on a care order).
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps

from opencsc.care import rules
from opencsc.care.models import (
    CareEpisode,
    CarePlan,
    IROAppointment,
    IROEscalation,
    LookedAfterReview,
    PeriodOfCare,
    PermanenceOption,
    Placement,
)
from opencsc.casework.models import Allocation, Meeting, Plan, Visit

from .. import identifiers, places
from ..context import ChildPlan, GenerationContext, bulk_create, historical_timestamps
from .staff import SERVICE_TEAMS, case_holders

# Placement types for which the DfE asks for no Ofsted URN (rules 218 and 222).
NO_URN = {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1"}
# Out of the borough, as the 2014 Hounslow report: 52% of children in care lived outside the authority area
# (none of those placed with parents), and about 23% of all more than 20 miles from home.
OUT_OF_BOROUGH = {"PR0": 0.0, "PR1": 0.45, "other": 0.66}
FAR_SHARE = 0.42  # of those placed out of the borough
# In the borough always: the council's own provision other than foster and adoptive homes (its own children's
# homes and hostels: DfE rule 1015), and supported accommodation, whose Ofsted URN the DfE's tool takes to be in
# the authority (rule 241).
FOSTER_OR_ADOPTION = {"A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6", "K3"}
SUPPORTED_ACCOMMODATION = {"H5", "K3"}


def _always_in_borough(place: str, provider: str) -> bool:
    return place in SUPPORTED_ACCOMMODATION or (provider == "PR1" and place not in FOSTER_OR_ADOPTION)
_real_postcode = places.real_postcode


def _service_urn(provider: str, place: str) -> str:
    """The Ofsted URN of the fostering or adoption service that provides the placement (stable)."""
    return str(100000 + zlib.crc32(f"{provider}:{place}".encode()) % 900000)


def _urn(drawn: str, provider: str, place: str) -> str:
    if place in NO_URN:
        return ""
    return drawn or _service_urn(provider, place)


ADOPTED_PER_YEAR = 15
SGO_PER_YEAR = 10
MEAN_PLACEMENT_DAYS = 540
LONG_TERM_PLACEMENT_DAYS = 2200  # long-term foster placements (U1, U4) last much longer
MANY_MOVES_RATE = 0.10
FOSTER_TYPES = {"U6": 36, "U4": 22, "U3": 9, "U1": 5, "U5": 1}
OTHER_TYPES = {"K2": 11, "P1": 5, "H5": 5, "R1": 2, "S1": 1, "Z1": 1}
PROVIDERS = {
    "U1": {"PR1": 1}, "U2": {"PR1": 1}, "U3": {"PR1": 1},
    "U4": {"PR1": 6, "PR4": 4}, "U5": {"PR1": 1}, "U6": {"PR1": 6, "PR4": 4},
    "K2": {"PR1": 3, "PR4": 7}, "P1": {"PR0": 1}, "H5": {"PR4": 3, "PR1": 1}, "R1": {"PR4": 1},
    "S1": {"PR4": 1, "PR5": 1}, "Z1": {"PR4": 1}, "A5": {"PR1": 1}, "A6": {"PR1": 3, "PR2": 1, "PR5": 1},
}
MOVE_REASONS = {"CARPL": 22, "LAREQ": 20, "PLACE": 15, "CHILD": 14, "STAND": 8, "ALLEG": 4, "CREQB": 3,
                "CLOSE": 4, "OTHER": 10}
PARTICIPATION = {"PN1": 45, "PN2": 8, "PN3": 12, "PN4": 10, "PN5": 10, "PN6": 8, "PN7": 7}
CARER_HOMES = ("Willow Lodge", "Maple House", "Cedar View", "Oak Tree House", "Riverside Children's Home",
               "Beechwood House", "The Limes")
CONCERNS = (
    "The care plan has not been updated since the placement changed.",
    "The child's request to see their brother has not been acted on since the last review.",
    "The health assessment recommended at the last review has not been arranged.",
    "No personal education plan has been held this term.",
    "Delay in filing the application for a placement order.",
)


@dataclass
class Spell:
    """One placement in a history being built."""

    start: dt.date
    place: str
    reason_ended: str = ""


@dataclass
class History:
    child: ChildPlan
    start: dt.date
    end: dt.date | None
    rec: str = ""
    statuses: list[tuple[dt.date, str]] = field(default_factory=list)  # (from, LS)
    spells: list[Spell] = field(default_factory=list)
    need: str = "N1"
    kind: str = "in_care"  # in_care, leaver, adopted, sgo
    placed_for_adoption: dt.date | None = None


def _pick(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _birthday(dob: dt.date, years: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # born on 29 February
        return dt.date(dob.year + years, 3, 1)


def _need(rng: random.Random) -> str:
    return _pick(rng, {"N1": 64, "N2": 3, "N3": 4, "N4": 14, "N5": 4, "N6": 2, "N7": 1, "N8": 8})


def _placement_type(rng: random.Random, age: int) -> str:
    types = dict(FOSTER_TYPES)
    if age >= 11:
        types.update({"K2": OTHER_TYPES["K2"] * 2, "R1": OTHER_TYPES["R1"], "S1": OTHER_TYPES["S1"],
                      "Z1": OTHER_TYPES["Z1"]})
    if age >= 16:
        types["H5"] = OTHER_TYPES["H5"] * 4
    if age < 16:
        types["P1"] = OTHER_TYPES["P1"]
    return _pick(rng, types)


def _statuses(rng: random.Random, start: dt.date, end: dt.date, age: int) -> list[tuple[dt.date, str]]:
    """Legal statuses over a period: often an interim order or section 20 first, then a care order."""
    if age >= 10 and rng.random() < 0.02:
        # Remanded or sentenced for the whole period. Not J2 (police protection under PACE), which lasts a
        # few days at most (SSDA903 rule 364: no more than 21 days).
        return [(start, rng.choice(("J1", "J1", "J3")))]
    first = _pick(rng, {"C1": 42, "V2": 40, "C2": 18})
    out = [(start, first)]
    if first == "C1" or (first == "V2" and rng.random() < 0.45):
        day = start + _days(rng.randint(60, 330))
        if first == "V2" and rng.random() < 0.5:
            out.append((day, "C1"))
            day = day + _days(rng.randint(90, 300))
        if day < end:
            out.append((day, "C2"))
    return [(d, ls) for d, ls in out if d < end or d == start]


def _next_place(rng: random.Random, before: str, age: int) -> str:
    """The next placement's type: home to parents twice in a row would be the same household (rule 435)."""
    place = _placement_type(rng, age)
    return "U6" if place == before == "P1" else place


def _spells(rng: random.Random, start: dt.date, end: dt.date, dob: dt.date, today: dt.date,
            many_moves: bool) -> list[Spell]:
    spells = [Spell(start, _placement_type(rng, rules.age_on(dob, start) or 0))]
    day = start
    while True:
        mean = LONG_TERM_PLACEMENT_DAYS if spells[-1].place in ("U1", "U4") else MEAN_PLACEMENT_DAYS
        day = day + _days(max(20, int(rng.expovariate(1 / mean))))
        if day >= end:
            break
        spells[-1].reason_ended = _pick(rng, MOVE_REASONS)
        spells.append(Spell(day, _next_place(rng, spells[-1].place, rules.age_on(dob, day) or 0)))
    if many_moves:
        year_start = max(rules.year_start(today), start + _days(1))
        span = (min(end, today) - year_start).days
        if span > 30:
            spells = [s for s in spells if s.start < year_start]
            moves = sorted(rng.sample(range(1, span), 2 if spells else 3))
            if spells:
                spells[-1].reason_ended = _pick(rng, MOVE_REASONS)
            else:
                spells = [Spell(start, _placement_type(rng, rules.age_on(dob, start) or 0))]
            for offset in moves:
                spells[-1].reason_ended = _pick(rng, MOVE_REASONS)
                day = year_start + _days(offset)
                spells.append(Spell(day, _next_place(rng, spells[-1].place, rules.age_on(dob, day) or 0)))
            spells[-1].reason_ended = ""
    return spells


def _rows(history: History, home: str, keys: list[int] | None = None) -> list[rules.Row]:
    """The 903 rows of a history: a new row at every change of placement or legal status."""
    changes = sorted({s.start for s in history.spells} | {d for d, _ in history.statuses})
    out: list[rules.Row] = []
    for i, day in enumerate(changes):
        spell_index = max(j for j, s in enumerate(history.spells) if s.start <= day)
        spell = history.spells[spell_index]
        status = [ls for d, ls in history.statuses if d <= day][-1]
        end = changes[i + 1] if i + 1 < len(changes) else history.end
        last = i + 1 == len(changes)
        if i == 0:
            rne = "S"
        else:
            moved = spell.start == day
            changed = any(d == day for d, _ in history.statuses)
            rne = rules.reason_new_episode(legal_status_changed=changed, placement_type=spell.place) if moved else "L"
        next_moves = not last and any(s.start == changes[i + 1] for s in history.spells)
        out.append(rules.Row(
            start_date=day, end_date=end, reason_new_episode=rne, legal_status=status,
            category_of_need=history.need, placement_type=spell.place,
            provider="", reason_ceased="" if end is None else (
                history.rec if last else "X1"),
            placement_key=keys[spell_index] if keys else spell_index, home_postcode=home,
            reason_place_change=spell.reason_ended if next_moves else "",
        ))
    return out


def _valid(history: History, home: str, providers: list[str]) -> bool:
    rows = _rows(history, home)
    for row in rows:
        row.provider = providers[row.placement_key]
    return not rules.episode_errors(rows, history.child.date_of_birth)


def _plain(history: History, rng: random.Random) -> History:
    history.statuses = [(history.start, "C2")]
    history.spells = [Spell(history.start, "U6")]
    if history.kind == "adopted" and history.end:
        placed = history.placed_for_adoption or history.start + _days(max(1, (history.end - history.start).days // 2))
        history.statuses.append((placed, "E1"))
        history.spells.append(Spell(placed, "A6"))
        history.spells[0].reason_ended = "PLACE"
        history.placed_for_adoption = placed
    elif history.kind == "sgo":
        history.rec = "E45"
    elif history.kind == "leaver":
        history.rec = "E8"  # ceased for any other reason: no age rule applies
    return history


def _in_care_histories(ctx: GenerationContext, rng: random.Random) -> list[History]:
    out = []
    for child in ctx.children:
        if child.service != "in_care" or not child.pk or not child.date_of_birth or not child.known_from:
            continue
        start = max(child.known_from, child.date_of_birth)
        if start > ctx.today - _days(7):
            start = ctx.today - _days(30)
        age = rules.age_on(child.date_of_birth, start) or 0
        history = History(child=child, start=start, end=None, need=_need(rng))
        history.statuses = _statuses(rng, start, ctx.today, age)
        if age < 5 and rng.random() < 0.12 and history.statuses[-1][1] == "C2":
            order_on = history.statuses[-1][0] + _days(rng.randint(120, 360))
            if order_on < ctx.today - _days(20):
                history.statuses.append((order_on, "E1"))
        history.spells = _spells(rng, start, ctx.today + _days(1), child.date_of_birth, ctx.today,
                                 rng.random() < MANY_MOVES_RATE)
        out.append(history)
    return out


def _leaver_histories(ctx: GenerationContext, rng: random.Random) -> list[History]:
    out = []
    for child in ctx.children:
        if not child.is_care_leaver or not child.pk or not child.date_of_birth:
            continue
        dob = child.date_of_birth
        eighteen = _birthday(dob, 18)
        if rng.random() < 0.7:
            end, rec = eighteen, _pick(rng, {"E17": 30, "E5": 40, "E6": 20, "E8": 10})
        else:
            end = _birthday(dob, 16) + _days(rng.randint(30, 700))
            end = min(end, eighteen - _days(1))
            rec = _pick(rng, {"E5": 50, "E6": 20, "E4A": 30})
        if end > ctx.today:
            continue
        start = child.known_from or _birthday(dob, 14)
        start = min(max(start, _birthday(dob, 11)), _birthday(dob, 15))
        history = History(child=child, start=start, end=end, rec=rec, need=_need(rng), kind="leaver")
        history.statuses = _statuses(rng, start, end, rules.age_on(dob, start) or 0)
        history.spells = _spells(rng, start, end, dob, ctx.today, False)
        out.append(history)
    return out


def _left_histories(ctx: GenerationContext, rng: random.Random) -> list[History]:
    """Young closed cases who left care by adoption or special guardianship in the last 3 years."""
    since = ctx.today - _days(3 * 365)
    pool = [c for c in ctx.children if c.pk and c.service == "closed" and c.closed_on and c.date_of_birth
            and since < c.closed_on <= ctx.today - _days(7) and 500 < (c.closed_on - c.date_of_birth).days < 9 * 365]
    rng.shuffle(pool)
    sgo_n = ctx.scaled(SGO_PER_YEAR * 3)
    out = []
    # About ADOPTED_PER_YEAR in each collection year (April to March) of the last three, so that every year's
    # return has its adoptions; this year's so far in proportion.
    this_year = rules.year_start(ctx.today)
    starts = [this_year.replace(year=this_year.year - n) for n in range(3)]
    so_far = ((ctx.today - this_year).days + 1) / 365
    wanted = {0: round(ADOPTED_PER_YEAR * ctx.size * so_far), 1: ctx.scaled(ADOPTED_PER_YEAR),
              2: ctx.scaled(ADOPTED_PER_YEAR)}
    adopted_ids = set()
    for child in pool:
        year = next((n for n, start in enumerate(starts) if child.closed_on >= start), None)
        if year is None or not wanted[year]:
            continue
        dob, adopted_on = child.date_of_birth, child.closed_on
        placed = adopted_on - _days(rng.randint(120, 260))
        start = max(dob + _days(rng.randint(2, 30)), placed - _days(max(200, int(rng.gauss(440, 150)))))
        if placed - start < _days(150):
            continue
        wanted[year] -= 1
        adopted_ids.add(child.pk)
        order_on = placed - _days(rng.randint(20, 120))
        order_on = max(order_on, start + _days(90))
        history = History(child=child, start=start, end=adopted_on, rec=_pick(rng, {"E11": 8, "E12": 2}),
                          need=_pick(rng, {"N1": 8, "N4": 1, "N8": 1}), kind="adopted", placed_for_adoption=placed)
        history.statuses = [(start, "C1"), (start + _days(rng.randint(60, 80)), "C2"), (order_on, "E1")]
        by_foster_carers = rng.random() < 0.12
        if by_foster_carers:  # the placement order and the placement with the current carers, the same day
            history.statuses[-1] = (placed, "E1")
        first = "U6" if not by_foster_carers else rng.choice(("U5", "U6"))
        history.spells = [Spell(start, first, "PLACE"), Spell(placed, "A5" if by_foster_carers else "A6")]
        if by_foster_carers:  # placed with the current foster carers: the same carers, a new placement code
            history.spells[0].reason_ended = "CARPL"
        out.append(history)
    for child in [c for c in pool if c.pk not in adopted_ids][:sgo_n]:
        dob, end = child.date_of_birth, child.closed_on
        start = max(dob + _days(rng.randint(2, 30)), end - _days(rng.randint(240, 720)))
        rec = _pick(rng, {"E45": 4, "E46": 3, "E47": 2, "E48": 1})
        history = History(child=child, start=start, end=end, rec=rec, need=_need(rng), kind="sgo")
        history.statuses = [(start, rng.choice(("C1", "V2"))), (start + _days(rng.randint(60, 120)), "C2")]
        history.statuses = [(d, ls) for d, ls in history.statuses if d < end]
        history.spells = [Spell(start, rng.choice(("U3", "U6") if rec in ("E45", "E46") else ("U3", "U6", "K2")))]
        out.append(history)
    return out


def _users():
    user_model = apps.get_model("accounts", "User")
    workers = list(user_model.objects.filter(role__in=("social_worker", "senior_practitioner"), is_active=True)
                   .order_by("pk"))
    iros = list(user_model.objects.filter(role="iro", is_active=True).order_by("pk"))
    everyone = workers or list(user_model.objects.order_by("pk")[:50])
    return everyone, iros or everyone


def _home(child: ChildPlan) -> str:
    return child.postcode or ""


def _plan_reviews(rng: random.Random, start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    due = start + _days(28)
    while due <= end:
        held = due - _days(rng.randint(0, 10)) if rng.random() < 0.88 else due + _days(rng.randint(3, 40))
        held = max(held, start + _days(1))
        if held > end:
            break
        out.append(held)
        due = held + _days(91 if len(out) == 1 else 182)
    return out


def _visits(rng: random.Random, placement: Placement, today: dt.date, age: int, first_review: dt.date | None):
    out = []
    start = placement.start_date
    day = start + _days(rng.randint(1, 7) if rng.random() < 0.9 else rng.randint(8, 14))
    while day <= today:
        out.append(day)
        weeks = 6
        if placement.visit_regime == Placement.VisitRegime.UNTIL_18 and (day - start).days > 365:
            weeks = 13
        elif placement.visit_regime in (Placement.VisitRegime.WITH_PARENT, Placement.VisitRegime.CONNECTED_PERSON) \
                and (first_review is None or day < first_review):
            weeks = 1
        gap = weeks * 7 - rng.randint(0, min(10, weeks * 7 - 3))
        if rng.random() < 0.08:
            gap += rng.randint(5, 25)
        day = day + _days(gap)
    return out


def _school_age_upns(ctx: GenerationContext, histories: list[History]) -> None:
    """A child looked after at school age has a UPN (the 903 Header: UN4, "not yet obtained", is queried
    for children looked after at 31 March, DfE rule 210). Those the people step left without one are given
    one here, from a generator of its own, so that the rest of the data stay the same."""
    child_model = apps.get_model("people", "Child")
    school_age = {h.child.pk: h.child.date_of_birth for h in histories
                  if (rules.age_on(h.child.date_of_birth, min(h.end or ctx.today, ctx.today)) or 0) >= 4}
    missing = sorted(child_model.objects.filter(pk__in=list(school_age), upn__isnull=True).values_list("pk", flat=True)
                     ) + sorted(child_model.objects.filter(pk__in=list(school_age), upn="").values_list("pk", flat=True))
    if not missing:
        return
    used = set(child_model.objects.exclude(upn__isnull=True).exclude(upn="").values_list("upn", flat=True))
    rng = random.Random(f"opencsc:{ctx.seed}:care:upn")
    # The establishment number comes from the child's place in the plan, not the database id: ids differ between runs on
    # PostgreSQL, and the same seed must give the same authority.
    serials = {h.child.pk: h.child.index for h in histories}
    rows = []
    for pk in missing:
        dob = school_age[pk]
        serial = serials[pk]
        rows.append(child_model(pk=pk, upn=identifiers.upn(rng, used, establishment=str(2000 + serial % 999),
                                                           year_of_issue=dob.year + 4)))
    child_model.objects.bulk_update(rows, ["upn"], batch_size=500)


def generate_care(ctx: GenerationContext) -> None:
    rng = ctx.rng("care")
    fake = ctx.faker("care")
    workers, iros = _users()
    if not workers:
        return
    postcodes = list(ctx.extra.get("postcodes") or ["TW3 1ES"])
    histories = _in_care_histories(ctx, rng) + _leaver_histories(ctx, rng) + _left_histories(ctx, rng)
    siblings_in_care: dict[int, int] = {}
    for h in histories:
        if h.kind == "in_care":
            siblings_in_care[h.child.household] = siblings_in_care.get(h.child.household, 0) + 1

    # Providers and validity, per history (in memory).
    providers_of: list[list[str]] = []
    for h in histories:
        providers = [_pick(rng, PROVIDERS.get(s.place, {"PR1": 1})) for s in h.spells]
        if not _valid(h, _home(h.child), providers):
            _plain(h, rng)
            providers = [_pick(rng, PROVIDERS.get(s.place, {"PR1": 1})) for s in h.spells]
            assert _valid(h, _home(h.child), providers), f"No valid history for child {h.child.pk}"
        providers_of.append(providers)

    # A looked-after child's sex is known and recorded (the 903 Header; DfE rule 232 queries "unknown").
    # Chosen by the child's number, not drawn, so that the rest of the data stay the same.
    unknown = sorted({h.child.pk for h in histories if h.child.sex == "U"})
    for h in histories:
        if h.child.sex == "U":
            h.child.sex = "F" if h.child.pk % 2 else "M"
    if unknown:
        apps.get_model("people", "Child").objects.filter(pk__in=unknown).update(sex="M")
        apps.get_model("people", "Child").objects.filter(pk__in=[pk for pk in unknown if pk % 2]).update(sex="F")

    _school_age_upns(ctx, histories)

    with historical_timestamps(PeriodOfCare, "created_at"):
        periods = bulk_create(PeriodOfCare, [
            PeriodOfCare(child_id=h.child.pk, start_date=h.start, end_date=h.end, created_by=rng.choice(workers),
                         created_at=ctx.at(h.start, 11))
            for h in histories], ctx, key="periods of care")

    placements: list[Placement] = []
    owners: list[tuple[int, int]] = []  # (history index, spell index)
    for index, (h, period) in enumerate(zip(histories, periods, strict=True)):
        many_siblings = siblings_in_care.get(h.child.household, 0) > 1
        for j, spell in enumerate(h.spells):
            end = h.spells[j + 1].start if j + 1 < len(h.spells) else h.end
            age = rules.age_on(h.child.date_of_birth, spell.start) or 0
            provider = providers_of[index][j]
            # The postcode agrees with the in-borough flag, the distance with both (the DfE tool checks them).
            home = _real_postcode(_home(h.child))
            before = placements[-1].postcode if j > 0 else ""  # a new placement is a new household (rule 435)
            in_authority = (rng.random() >= OUT_OF_BOROUGH.get(provider, OUT_OF_BOROUGH["other"])
                            or _always_in_borough(spell.place, provider))
            if spell.place == "P1":
                postcode, in_authority = home, True
            elif in_authority:
                postcode = _real_postcode(rng.choice(postcodes), avoid=home)
                if postcode == before:
                    postcode = _real_postcode(rng.choice(postcodes), avoid=before)
            else:
                postcode = places.outside(rng, far=rng.random() < FAR_SHARE, avoid=before)
            distance = Decimal("0.0") if spell.place == "P1" else places.km(home, postcode)
            regime = Placement.VisitRegime.STANDARD
            if spell.place in ("U1", "U4") and age < 17:
                regime = Placement.VisitRegime.UNTIL_18
            elif spell.place == "P1" and rng.random() < 0.5:
                regime = Placement.VisitRegime.WITH_PARENT
            elif spell.place == "U3" and rng.random() < 0.3:
                regime = Placement.VisitRegime.CONNECTED_PERSON
            carer = (rng.choice(CARER_HOMES) if spell.place in ("K2", "R1", "S1", "H5")
                     else f"{fake.first_name()} and {fake.first_name()} {fake.last_name()}")
            plan_late = rng.random() < 0.07
            placements.append(Placement(
                child_id=h.child.pk, period=period, start_date=spell.start, end_date=end,
                placement_type=spell.place, provider=provider, carer_name=carer,
                urn=_urn(str(rng.randint(100000, 999999)) if spell.place in ("K2", "R1", "S1", "H5") else "",
                         provider, spell.place),
                postcode=postcode, in_authority=in_authority, distance_km=distance,
                siblings_placed_together=(rng.choice(("yes", "yes", "no")) if many_siblings else "none"),
                visit_regime=regime, reason_for_change=spell.reason_ended if end and j + 1 < len(h.spells) else "",
                placement_plan_on=spell.start + _days(rng.randint(9, 25) if plan_late else rng.randint(0, 4)),
                notified_on=spell.start + _days(rng.randint(8, 20) if rng.random() < 0.05 else rng.randint(0, 4)),
                created_by=period.created_by, created_at=ctx.at(spell.start, 12),
            ))
            owners.append((index, j))
    for p in placements:  # dates after today move to today (a plan is never dated in the future)
        p.placement_plan_on = min(p.placement_plan_on, ctx.today)
        p.notified_on = min(p.notified_on, ctx.today)
    with historical_timestamps(Placement, "created_at"):
        placements = bulk_create(Placement, placements, ctx, key="placements")
    keys: dict[int, list[int]] = {}
    for (index, _), placement in zip(owners, placements, strict=True):
        keys.setdefault(index, []).append(placement.pk)

    episodes = []
    for index, (h, period) in enumerate(zip(histories, periods, strict=True)):
        for row in _rows(h, _home(h.child), keys[index]):
            episodes.append(CareEpisode(
                child_id=h.child.pk, period=period, placement_id=row.placement_key, start_date=row.start_date,
                end_date=row.end_date, reason_new_episode=row.reason_new_episode, legal_status=row.legal_status,
                category_of_need=row.category_of_need, home_postcode=_real_postcode(row.home_postcode),
                reason_ceased=row.reason_ceased, created_by=period.created_by, created_at=ctx.at(row.start_date, 12),
            ))
    with historical_timestamps(CareEpisode, "created_at"):
        bulk_create(CareEpisode, episodes, ctx, key="episodes of care")

    _plans_reviews_visits(ctx, rng, histories, periods, placements, owners, workers, iros)
    _allocated_throughout(ctx, histories)
    ctx.extra["care_adopted"] = [(h.child.pk, h.start, h.placed_for_adoption, h.end) for h in histories
                                 if h.kind == "adopted" and h.end and h.placed_for_adoption]


def _permanence(h: History, last_place: str, age: int) -> str:
    if h.kind == "adopted" or h.statuses[-1][1] == "E1":
        return PermanenceOption.ADOPTION
    if h.kind == "sgo":
        return PermanenceOption.SGO
    if last_place in ("U1", "U4"):
        return PermanenceOption.LONG_TERM_FOSTERING
    if last_place in ("K2", "R1", "S1"):
        return PermanenceOption.RESIDENTIAL
    if age >= 16:
        return PermanenceOption.INDEPENDENCE
    if last_place == "P1" or h.rec == "E4A":
        return PermanenceOption.RETURN_HOME
    return PermanenceOption.LONG_TERM_FOSTERING if last_place.startswith("U") else PermanenceOption.OTHER


def _plans_reviews_visits(ctx, rng, histories, periods, placements, owners, workers, iros) -> None:
    today = ctx.today
    plans, care_plans, appointments, meetings, reviews, escalations = [], [], [], [], [], []
    first_review: dict[int, dt.date] = {}
    for h, period in zip(histories, periods, strict=True):
        end = h.end or today
        worker = period.created_by
        iro = rng.choice(iros)
        appointed = h.start + _days(rng.randint(1, 6) if rng.random() < 0.9 else rng.randint(8, 20))
        appointments.append(IROAppointment(child_id=h.child.pk, period=period, iro=iro, appointed_on=min(appointed, end),
                                           ended_on=h.end, created_by=worker))
        held = _plan_reviews(rng, h.start, end)
        if held:
            first_review[period.pk] = held[0]
        age_now = rules.age_on(h.child.date_of_birth, end) or 0
        for day in held:
            age = rules.age_on(h.child.date_of_birth, day) or 0
            meetings.append(Meeting(child_id=h.child.pk, kind=Meeting.Kind.CLA_REVIEW, held_on=day,
                                    chair=iro.get_full_name() or iro.username, child_attended=age >= 8 and rng.random() < 0.6,
                                    child_contributed=age >= 4, summary="Looked-after review", recorded_by=iro))
            reviews.append(LookedAfterReview(
                child_id=h.child.pk, period=period, participation="PN0" if age < 4 else _pick(rng, PARTICIPATION),
                iro=iro, decisions=rng.choice((
                    "The placement meets the child's needs and should continue.",
                    "Life story work to start before the next review.",
                    "Contact with birth family to continue as agreed; review in three months.",
                    "Health assessment to be booked; personal education plan reviewed.",
                )), recorded_by=iro))
        plan_start = h.start + _days(rng.randint(1, 12) if rng.random() < 0.9 else rng.randint(15, 40))
        plan_start = min(plan_start, end)
        plans.append(Plan(child_id=h.child.pk, kind=Plan.Kind.CARE, start_date=plan_start, end_date=h.end,
                          summary="Care plan: where the child lives, contact, health and education.",
                          contingency="If the placement cannot continue, a new placement with a foster carer.",
                          created_by=worker))
        last_place = h.spells[-1].place
        decided = None
        if len(held) >= 2 and rng.random() < 0.85:
            decided = held[1] - _days(rng.randint(0, 30))
        elif len(held) >= 2:
            decided = held[1] + _days(rng.randint(10, 90)) if rng.random() < 0.5 else None
        if decided is not None:
            decided = min(max(decided, plan_start), end, today)
        care_plans.append((period, decided, _permanence(h, last_place, age_now) if decided else ""))
        if h.kind == "in_care" and rng.random() < 0.08 and held:
            raised = held[-1] + _days(rng.randint(1, 20))
            if raised <= today:
                resolved = raised + _days(rng.randint(10, 60)) if rng.random() < 0.6 else None
                responded = raised + _days(rng.randint(5, 20))
                escalations.append(IROEscalation(
                    child_id=h.child.pk, period=period, stage=rng.choice(("informal", "informal", "stage_1", "stage_2")),
                    concern=rng.choice(CONCERNS), raised_on=raised, raised_by=iro, response_due_on=raised + _days(10),
                    responded_on=responded if responded <= today else None,
                    response="A revised plan will be presented at the next review." if responded <= today else "",
                    resolved_on=resolved if resolved and resolved <= today else None,
                    outcome="resolved" if resolved and resolved <= today else ""))
    with historical_timestamps(Plan, "created_at"):
        for p in plans:
            p.created_at = ctx.at(p.start_date, 14)
        plans = bulk_create(Plan, plans, ctx, key="care plans (casework)")
    bulk_create(CarePlan, [CarePlan(child_id=plan.child_id, period=period, plan=plan, permanence_option=option,
                                    permanence_decided_on=decided)
                           for plan, (period, decided, option) in zip(plans, care_plans, strict=True)], ctx,
                key="care plans")
    bulk_create(IROAppointment, appointments, ctx, key="IRO appointments")
    with historical_timestamps(Meeting, "created_at"):
        for m in meetings:
            m.created_at = ctx.at(m.held_on, 15)
        meetings = bulk_create(Meeting, meetings, ctx, key="looked-after review meetings")
    for review, meeting in zip(reviews, meetings, strict=True):
        review.meeting = meeting
    bulk_create(LookedAfterReview, reviews, ctx, key="looked-after reviews")
    bulk_create(IROEscalation, escalations, ctx, key="IRO escalations")

    visits = []
    by_pk = {p.pk: i for i, p in enumerate(placements)}
    for placement in placements:
        if placement.end_date is not None:
            continue
        h = histories[owners[by_pk[placement.pk]][0]]
        age = rules.age_on(h.child.date_of_birth, today) or 0
        for day in _visits(rng, placement, today, age, first_review.get(placement.period_id)):
            seen = rng.random() < 0.96
            visits.append(Visit(child_id=h.child.pk, kind=Visit.Kind.CLA, visited_on=day, child_seen=seen,
                                child_seen_alone=seen and age >= 4 and rng.random() < 0.7,
                                bedroom_seen=seen and rng.random() < 0.6, summary="Statutory visit.",
                                visitor=placement.created_by))
    with historical_timestamps(Visit, "created_at"):
        for v in visits:
            v.created_at = ctx.at(v.visited_on, 16)
        bulk_create(Visit, visits, ctx, key="statutory visits (children in care)")


def _allocated_throughout(ctx: GenerationContext, histories: list[History]) -> None:
    """A child in care has a social worker every day of their care (the 903's social worker episodes cover the
    year of every child looked after on 31 March, DfE rule SW12STG2). Where the casework step left a gap (care
    that began before the case came to the front door, a case awaiting allocation), the worker who held the
    case next (or last) fills it. From a generator of its own, so that the rest of the data stay the same."""
    rng = random.Random(f"opencsc:{ctx.seed}:care:allocations")
    today = ctx.today
    ids = sorted({h.child.pk for h in histories})
    by_child: dict[int, list] = {}
    for allocation in Allocation.objects.filter(child_id__in=ids).order_by("child_id", "start_date", "id"):
        by_child.setdefault(allocation.child_id, []).append(allocation)
    teams = [name for name in SERVICE_TEAMS["in_care"] if name in ctx.teams]
    given, added = [], []
    for h in histories:
        first, last = h.start, min(h.end or today, today)
        mine = by_child.get(h.child.pk, [])
        team_name = teams[h.child.household % len(teams)] if teams else None
        holders = case_holders(ctx, team_name) if team_name else []
        for allocation in mine:  # awaiting allocation while in care: a worker is named
            if allocation.worker_id is None and (allocation.end_date or today) >= first \
                    and allocation.start_date <= last:
                allocation.worker = rng.choice(holders) if holders else None
                if allocation.worker is not None:
                    given.append(allocation)
        spans = sorted((a.start_date, a.end_date or today, a) for a in mine if a.worker_id is not None
                       or a.worker is not None)
        covered, gaps = first, []
        for start, end, _ in spans:
            if start > covered and covered <= last:
                gaps.append((covered, min(start - _days(1), last)))
            covered = max(covered, end + _days(1))
        if covered <= last:
            gaps.append((covered, None if h.end is None else last))
        for gap_start, gap_end in gaps:
            after = next((a for start, _, a in spans if start > gap_start), None)
            before = next((a for start, _, a in reversed(spans) if start < gap_start), None)
            source = after or before
            worker = source.worker if source is not None else (rng.choice(holders) if holders else None)
            team = source.team if source is not None else (ctx.teams[team_name] if team_name else None)
            if worker is None or team is None:
                continue
            added.append(Allocation(child_id=h.child.pk, worker=worker, team=team, start_date=gap_start,
                                    end_date=gap_end, reason="Came into care"))
    Allocation.objects.bulk_update(given, ["worker"], batch_size=ctx.batch_size)
    bulk_create(Allocation, added, ctx, key="allocations (children in care)")
