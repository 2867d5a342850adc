"""The SSDA903 rules about one child's episodes of care, and the stability measures, as pure
functions (no Django imports).

`episode_errors(episodes, date_of_birth)` checks a child's whole run of episodes, oldest
first, the way the DfE validator checks the return, and gives (position, field, message) for
each broken rule. The services build the run as it would be after a change and refuse the
change if anything is wrong, so the return can be produced from the records as they stand.
Rule numbers are those of the 2025-26 SSDA903 validation rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from opencsc.codes import (
    CATEGORY_OF_NEED,
    LEGAL_STATUS,
    PLACEMENT_PROVIDER,
    PLACEMENT_TYPE,
    REASON_EPISODE_CEASED,
    REASON_NEW_EPISODE,
    REASON_PLACE_CHANGE,
)
from opencsc.core.templatetags.govuk import govuk_date

# Reason for new episode (RNE)
STARTED = "S"
# The DfE's reasons for a new episode (SSDA903 rules 434, 435 and 436 read them so):
LEGAL_STATUS_ONLY = {"L"}
PLACEMENT_ONLY = {"P", "T"}  # T: a change of placement with the same carers (placed for adoption with them)
BOTH = {"B", "U"}  # U: both changed, the carers the same (placed for adoption with the current foster carers)
SAME_CARERS_PLACEMENTS = {"A3", "A5"}  # placed for adoption with current foster carers: RNE S, T or U (rule 217)

# Reason episode ceased (REC)
CONTINUES = "X1"  # the episode ends and a new one begins the same day
ADOPTED = {"E11", "E12"}
SGO = {"E45", "E46", "E47", "E48"}
SGO_FORMER_FOSTER_CARERS = {"E45", "E46"}
INDEPENDENT_LIVING = {"E5", "E6"}
ADULT_SOCIAL_CARE = {"E7"}
STAYED_WITH_CARERS_AT_18 = {"E17"}
DIED = {"E2"}

# Placement types (PLACE)
TEMPORARY = {"T0", "T1", "T2", "T3", "T4"}
PLACED_WITH_PARENTS = "P1"
FOSTER = {"U1", "U2", "U3", "U4", "U5", "U6"}
LONG_TERM_FOSTER = {"U1", "U4"}
ADOPTION_WITH_PLACEMENT_ORDER = {"A5", "A6"}
ADOPTION = {"A3", "A4", "A5", "A6"}
SCHOOL = "S1"
MAX_DAYS = {"T3": 21, "T4": 7}  # rules 376 and 379

# Legal statuses (LS)
SINGLE_PERIOD_ACCOMMODATION = "V2"
RESPITE = {"V3", "V4"}
PLACEMENT_ORDER = "E1"
YOUTH_JUSTICE = {"J1", "J2", "J3"}

# Placement provider (PLACE_PROVIDER) combinations the rules forbid: provider -> placement types
PROVIDER_FORBIDS = {
    "PR1": {"P1", "R2", "R5"},  # rule 527
    "PR2": {"P1", "R2", "R5"},  # rule 528
    "PR3": {"P1", "A3", "A4", "A5", "A6", "K1", "K2", *FOSTER},  # rule 529
    "PR4": {"P1"},  # rule 530
    "PR5": {"P1"},  # rule 531
}
EARLIEST = dt.date(1991, 10, 14)  # rule 353


@dataclass
class Row:
    """One episode as the rules see it (a proposed one, or one already recorded)."""

    start_date: dt.date
    end_date: dt.date | None
    reason_new_episode: str
    legal_status: str
    category_of_need: str
    placement_type: str
    provider: str = ""
    reason_ceased: str = ""
    placement_key: object = None  # episodes in the same placement share it
    home_postcode: str = ""
    placement_postcode: str = ""
    reason_place_change: str = ""


def age_on(date_of_birth: dt.date | None, day: dt.date) -> int | None:
    if date_of_birth is None:
        return None
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _norm(postcode: str) -> str:
    return "".join((postcode or "").split()).upper()


def code_errors(row: Row) -> list[tuple[str, str]]:
    """Codes that the DfE lists do not contain (rules 143, 144, 146, 149, 178, 1009)."""
    out = []
    for field, value, code_list, blank_ok in (
        ("reason_new_episode", row.reason_new_episode, REASON_NEW_EPISODE, False),
        ("legal_status", row.legal_status, LEGAL_STATUS, False),
        ("category_of_need", row.category_of_need, CATEGORY_OF_NEED, False),
        ("placement_type", row.placement_type, PLACEMENT_TYPE, False),
        ("provider", row.provider, PLACEMENT_PROVIDER, True),
        ("reason_ceased", row.reason_ceased, REASON_EPISODE_CEASED, True),
        ("reason_for_change", row.reason_place_change, REASON_PLACE_CHANGE, True),
    ):
        if not value and blank_ok:
            continue
        if value not in code_list:
            out.append((field, f"Select a {code_list.name.lower()} from the DfE list"))
    return out


def row_errors(row: Row, date_of_birth: dt.date | None) -> list[tuple[str, str]]:
    """The rules about a single episode."""
    out = code_errors(row)
    if out:
        return out
    if row.start_date < EARLIEST:
        out.append(("start_date", "An episode cannot start before 14 October 1991"))
    if date_of_birth and row.start_date < date_of_birth:
        out.append(("start_date", "An episode cannot start before the child was born"))
    if row.end_date is not None and row.end_date < row.start_date:
        out.append(("end_date", f"The end date must be on or after the start date ({govuk_date(row.start_date)})"))
    if (row.end_date is None) != (not row.reason_ceased):
        field = "reason_ceased" if row.end_date is not None else "end_date"
        out.append((field, "The date an episode ceased and the reason it ceased must both be given, or neither"))
    place, ls, provider = row.placement_type, row.legal_status, row.provider
    if provider and place in PROVIDER_FORBIDS.get(provider, ()):
        out.append(("provider", f"Placement provider {provider} cannot provide a placement of type {place}"))
    if provider == "PR0" and place != PLACED_WITH_PARENTS:
        out.append(("provider", "Placement provider PR0 can only be used with placement type P1"))
    if place == PLACED_WITH_PARENTS and ls == SINGLE_PERIOD_ACCOMMODATION:
        out.append(("legal_status", "A child placed with parents cannot be looked after under V2 (single period of "
                                    "accommodation under section 20)"))
    if place in ADOPTION_WITH_PLACEMENT_ORDER and ls != PLACEMENT_ORDER:
        out.append(("legal_status", f"Placement type {place} (placed for adoption with a placement order) needs legal "
                                    "status E1 (placement order granted)"))
    if ls in RESPITE and place in LONG_TERM_FOSTER:
        out.append(("placement_type", "A child receiving short breaks (V3 or V4) cannot be in a long-term foster "
                                      "placement"))
    if ls in RESPITE and place in TEMPORARY:
        out.append(("placement_type", "A child receiving short breaks (V3 or V4) cannot be in a temporary placement"))
    age = age_on(date_of_birth, row.start_date)
    if ls in YOUTH_JUSTICE and age is not None and age < 10:
        out.append(("legal_status", f"Legal status {ls} cannot apply to a child under 10"))
    if place == SCHOOL and age is not None and age < 4:
        out.append(("placement_type", "A child placed in a school (S1) must be at least 4 years old"))
    if (row.home_postcode and row.placement_postcode and place != PLACED_WITH_PARENTS
            and _norm(row.home_postcode) == _norm(row.placement_postcode)):
        out.append(("postcode", "The placement postcode cannot be the same as the home postcode unless the child is "
                                "placed with parents (P1)"))
    if row.end_date is not None and place in MAX_DAYS and (row.end_date - row.start_date).days > MAX_DAYS[place]:
        out.append(("end_date", f"A temporary placement of type {place} cannot last more than {MAX_DAYS[place]} days"))
    if row.reason_ceased and row.end_date is not None:
        ceased_age = age_on(date_of_birth, row.end_date)
        rec = row.reason_ceased
        if ceased_age is not None:
            if rec in ADOPTED and ceased_age >= 18:
                out.append(("reason_ceased", "A young person aged 18 or over cannot leave care by adoption"))
            if rec in SGO and ceased_age >= 18:
                out.append(("reason_ceased", "A young person aged 18 or over cannot leave care by a special "
                                             "guardianship order"))
            if rec in INDEPENDENT_LIVING and ceased_age < 14:
                out.append(("reason_ceased", "A child under 14 cannot leave care to live independently"))
            if rec in ADULT_SOCIAL_CARE and ceased_age < 16:
                out.append(("reason_ceased", "A child under 16 cannot transfer to adult social care"))
            if rec in STAYED_WITH_CARERS_AT_18 and ceased_age < 18:
                out.append(("reason_ceased", "Only a young person aged 18 or over can stay on with their carers "
                                             "(E17)"))
        if rec in SGO_FORMER_FOSTER_CARERS and place not in FOSTER:
            out.append(("reason_ceased", f"{rec} is a special guardianship order to former foster carers: the "
                                         "placement must be a foster placement (U1 to U6)"))
    return out


def episode_errors(rows: Sequence[Row], date_of_birth: dt.date | None = None) -> list[tuple[int, str, str]]:
    """Every broken rule across a child's episodes (given oldest first): (position, field, message)."""
    out: list[tuple[int, str, str]] = []
    for i, row in enumerate(rows):
        out.extend((i, field, message) for field, message in row_errors(row, date_of_birth))
    for i, row in enumerate(rows):
        if i == 0:
            if row.reason_new_episode != STARTED:
                out.append((i, "reason_new_episode", "The child's first episode must start a period of care (S)"))
            if row.placement_type in TEMPORARY:
                out.append((i, "placement_type", "A period of care cannot start with a temporary placement"))
            continue
        before = rows[i - 1]
        if before.end_date is None or row.start_date < before.end_date:
            out.append((i, "start_date", "Episodes cannot overlap: a new episode must start on or after the day the "
                                         f"previous one ended (it started {govuk_date(before.start_date)})"))
            continue
        continues = before.reason_ceased == CONTINUES
        if continues:
            if row.start_date != before.end_date:
                out.append((i, "start_date", "There cannot be a gap inside a period of care: the new episode must start "
                                             f"on the day the previous one ended ({govuk_date(before.end_date)})"))
            if row.reason_new_episode == STARTED:
                out.append((i, "reason_new_episode", "S (started to be looked after) is only for the start of a period "
                                                     "of care"))
            same_place = row.placement_key is not None and row.placement_key == before.placement_key
            same_status = row.legal_status == before.legal_status
            rne = row.reason_new_episode
            if rne in LEGAL_STATUS_ONLY and (same_status or not same_place):
                out.append((i, "legal_status", "A legal status change (L) needs a different legal status in the same "
                                               "placement"))
            if rne in PLACEMENT_ONLY and (same_place or not same_status):
                out.append((i, "placement_type", "A placement change (P or T) needs a new placement with the same "
                                                 "legal status"))
            if rne in BOTH and (same_place or same_status):
                out.append((i, "reason_new_episode", "A change of both placement and legal status (B or U) needs both "
                                                     "to change"))
            if not same_place and not before.reason_place_change and before.placement_type not in TEMPORARY:
                out.append((i - 1, "reason_for_change", "Select the reason the placement changed"))
        else:
            if row.reason_new_episode != STARTED:
                out.append((i, "reason_new_episode", "The previous period of care ended, so this episode must start a "
                                                     "new one (S)"))
            if row.start_date == before.end_date:
                out.append((i, "start_date", "A new period of care cannot start on the day the previous one ended"))
            if before.reason_ceased in DIED:
                out.append((i, "start_date", "The previous episode records that the child died"))
            if before.placement_type in TEMPORARY:
                out.append((i - 1, "placement_type", "A period of care cannot end with a temporary placement"))
            if row.placement_type in TEMPORARY:
                out.append((i, "placement_type", "A period of care cannot start with a temporary placement"))
    last = rows[-1] if rows else None
    if last is not None and last.reason_ceased == CONTINUES:
        out.append((len(rows) - 1, "reason_ceased", "X1 (a new episode begins) needs a following episode"))
    if last is not None and last.end_date is not None and last.reason_ceased not in ("", CONTINUES) \
            and last.placement_type in TEMPORARY:
        out.append((len(rows) - 1, "placement_type", "A period of care cannot end with a temporary placement"))
    return out


# --- Stability --------------------------------------------------------------------------

LONG_TERM_UNDER_AGE = 16
LONG_TERM_LOOKED_AFTER_MONTHS = 30
LONG_TERM_SAME_PLACEMENT_MONTHS = 24
MANY_PLACEMENTS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [31, 29 if (year % 4 == 0 and (year % 100 or year % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30, 31,
            30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def year_start(day: dt.date) -> dt.date:
    """The start of the reporting year (1 April) that `day` falls in."""
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def long_term_stable(*, date_of_birth: dt.date | None, looked_after_since: dt.date, placed_since: dt.date,
                     today: dt.date) -> bool:
    """Under 16, looked after for 2.5 years or more, and in the same placement for 2 years or more."""
    age = age_on(date_of_birth, today)
    return (
        age is not None and age < LONG_TERM_UNDER_AGE
        and add_months(looked_after_since, LONG_TERM_LOOKED_AFTER_MONTHS) <= today
        and add_months(placed_since, LONG_TERM_SAME_PLACEMENT_MONTHS) <= today
    )


def reason_new_episode(*, legal_status_changed: bool, placement_type: str) -> str:
    """The RNE of an episode that starts with a move (the DfE's codes, SSDA903 rules 217, 435 and 436): B when
    the legal status changes too, else P; U and T instead when the child is placed for adoption with their
    current foster carers (the carers stay the same)."""
    same_carers = placement_type in SAME_CARERS_PLACEMENTS
    if legal_status_changed:
        return "U" if same_carers else "B"
    return "T" if same_carers else "P"
