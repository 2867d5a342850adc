"""How long a child's records are kept: the periods as data, and pure functions over them.

No Django here. A period is a record class (adoption case record, child looked after, any other
child's record), the event it runs from (the child's birth or the adoption order), a length in years and,
for children looked after, a shorter period after the death of a child who died before 18. The rows
live in the RetentionRule table (loaded with the defaults below by a data migration; the authority may
lengthen any period and shorten a local one, never below its floor).

A child's records are kept until the LATEST date of every period that applies to them: every child's
record is an "other" record; a child ever looked after is also a care record; a child adopted is also an
adoption case record. On a tie the rule shown is the stronger class (adoption, then care, then other).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ADOPTION = "adoption"
LOOKED_AFTER = "looked_after"
OTHER = "other"
# Strongest first: the rule shown when two give the same date.
PRECEDENCE = (ADOPTION, LOOKED_AFTER, OTHER)

BIRTH = "birth"
ADOPTION_ORDER = "adoption_order"

ADULT_AGE = 18  # "a child who dies before attaining the age of 18"


@dataclass(frozen=True)
class Period:
    record_class: str
    name: str
    runs_from: str
    years: int
    minimum_years: int
    after_death_years: int | None = None
    minimum_after_death_years: int | None = None
    is_statutory: bool = False
    source: str = ""

    def describe(self) -> str:
        start = "the child's date of birth" if self.runs_from == BIRTH else "the date of the adoption order"
        if self.runs_from == BIRTH:
            text = f"until the child's {ordinal(self.years)} birthday"
        else:
            text = f"{self.years} years from {start}"
        if self.after_death_years is not None:
            text += (f", or {self.after_death_years} years from the date of death if the child died "
                     f"before they were {ADULT_AGE}")
        return text


DEFAULTS: tuple[Period, ...] = (
    Period(
        ADOPTION, "Adoption case records", ADOPTION_ORDER, 100, 100, is_statutory=True,
        source=("An adoption agency must keep a child's adoption case record for at least 100 years from the "
                "date of the adoption order (the Disclosure of Adoption Information (Post-Commencement "
                "Adoptions) Regulations 2005, regulation 6, with the Adoption Agencies Regulations 2005; "
                "IRMS retention guidelines for local authorities)."),
    ),
    Period(
        LOOKED_AFTER, "Records of children looked after", BIRTH, 75, 75, after_death_years=15,
        minimum_after_death_years=15, is_statutory=True,
        source=("A child's case record while looked after must be kept until their 75th birthday or, if the "
                "child dies before they are 18, for 15 years from the date of death (the Care Planning, "
                "Placement and Case Review (England) Regulations 2010, regulation 50; the Children's Homes "
                "(England) Regulations 2015 for children's homes' records; IRMS retention guidelines for "
                "local authorities)."),
    ),
    Period(
        OTHER, "Other children's records", BIRTH, 25, ADULT_AGE,
        source=("Local policy: there is no statutory period for the records of children in need, on child "
                "protection plans or helped early who were never looked after or adopted. The sector's common "
                "practice (IRMS retention guidelines for local authorities) is to keep them until the child's "
                "25th birthday. The authority may change this period, but never below the 18th birthday."),
    ),
)
DEFAULTS_BY_CLASS = {p.record_class: p for p in DEFAULTS}


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 1 March in a year that has none (a day later,
    never earlier: a record is never destroyed early because of a leap year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def latest_start_passed(today: dt.date, years: int) -> dt.date:
    """The latest start date whose period of `years` has ended before `today`: a period that ran from any
    date up to and including it is over (add_years(start, years) < today)."""
    guess = dt.date(today.year - years, today.month, 1) + dt.timedelta(days=today.day + 3)
    while add_years(guess, years) >= today:
        guess -= dt.timedelta(days=1)
    return guess


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about one child."""

    born: dt.date | None  # the date of birth, or for an unborn child the expected date
    died: dt.date | None = None
    looked_after: bool = False  # ever looked after (a period of care, or a care leaver)
    adoption_order: dt.date | None = None


@dataclass(frozen=True)
class Decision:
    keep_until: dt.date | None  # None: a date the rules need is not known, so the records are kept
    record_class: str

    def is_past(self, today: dt.date) -> bool:
        return self.keep_until is not None and self.keep_until < today


def applies(period: Period, facts: Facts) -> bool:
    if period.record_class == ADOPTION:
        return facts.adoption_order is not None
    if period.record_class == LOOKED_AFTER:
        return facts.looked_after
    return True


def keep_until_under(period: Period, facts: Facts) -> dt.date | None:
    """The last day the records must be kept under this period (None: unknown)."""
    if period.runs_from == ADOPTION_ORDER:
        start = facts.adoption_order
    else:
        start = facts.born
    if period.after_death_years is not None and facts.died is not None and facts.born is not None \
            and facts.died < add_years(facts.born, ADULT_AGE):
        return add_years(facts.died, period.after_death_years)
    if start is None:
        return None
    return add_years(start, period.years)


def decide(periods: dict[str, Period], facts: Facts) -> Decision:
    """The longest of the periods that apply to the child (an unknown date wins: the records are kept)."""
    best: Decision | None = None
    for record_class in PRECEDENCE:
        period = periods.get(record_class)
        if period is None or not applies(period, facts):
            continue
        until = keep_until_under(period, facts)
        if until is None:
            return Decision(None, record_class)
        if best is None or until > best.keep_until:
            best = Decision(until, record_class)
    return best or Decision(None, OTHER)


def floor_errors(*, years: int | None, after_death_years: int | None, period: Period) -> dict[str, str]:
    """Why these values would shorten the period below its floor ({} when they do not)."""
    errors = {}
    kind = "the law's minimum" if period.is_statutory else "the lowest the authority may set"
    if years is None or years < period.minimum_years:
        errors["years"] = (f"{period.name} must be kept for at least {period.minimum_years} years: "
                           f"that is {kind}")
    if after_death_years is not None and period.minimum_after_death_years is not None \
            and after_death_years < period.minimum_after_death_years:
        errors["after_death_years"] = (
            f"After a child's death, {period.name.lower()} must be kept for at least "
            f"{period.minimum_after_death_years} years: that is {kind}")
    if years is not None and years > 200:
        errors["years"] = "Enter a number of years of 200 or fewer"
    if after_death_years is not None and after_death_years > 200:
        errors["after_death_years"] = "Enter a number of years of 200 or fewer"
    return errors
