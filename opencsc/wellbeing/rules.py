"""The rules of this area as data and pure functions (no database).

How long a health assessment, dental check or PEP stays "in date" comes from the
statutory rules in timescales/core/rules.py, so there is one definition of each.
"""

from __future__ import annotations

import datetime as dt

from opencsc.timescales.core.calendar import WorkingDayCalendar
from opencsc.timescales.core.rules import get_rule

SDQ_MIN, SDQ_MAX = 0, 40
# The SDQ is for children aged 4 to 16 (SSDA903 OC2 guidance, rules 188 and 189).
SDQ_MIN_AGE, SDQ_MAX_AGE = 4, 16

# Personal education plans: early years to year 13 (the virtual school's cohort).
PEP_MIN_AGE, PEP_MAX_AGE = 3, 17

# DfE SSDA903 guidance wording for each reason there is no SDQ score (the codes are the DfE list's).
SDQ_REASON_DESCRIPTIONS = {
    "SDQ1": "No form returned as the child was aged under 4 or over 17 at the date of the latest assessment",
    "SDQ2": "Carer refused to complete and return the questionnaire",
    "SDQ3": "Not possible to complete the questionnaire because of the severity of the child's disability",
    "SDQ4": "Other",
    "SDQ5": "The child or young person refuses to allow an SDQ to be completed",
}

# Bands of the total difficulties score (Goodman's four-band categorisation, as the DfE reports it).
SDQ_BANDS = (
    ("normal", "Normal (0 to 13)", 0, 13),
    ("borderline", "Borderline (14 to 16)", 14, 16),
    ("concern", "A cause for concern (17 to 40)", 17, 40),
)

# A dental check stays in date for 12 months (the OC2 TEETH_CHECK question: checked in the last year).
DENTAL_MONTHS = 12


def _months(code: str, switched: bool = False) -> int:
    rule = get_rule(code)
    period = rule.switch.interval if switched and rule.switch else rule.first
    return period.length


def health_assessment_months(*, under_five: bool) -> int:
    """6 months before the fifth birthday, 12 after (the review_health_assessment rule)."""
    return _months("review_health_assessment", switched=not under_five)


def pep_months() -> int:
    """How long a PEP stays in date: one term (the pep_review rule)."""
    return _months("pep_review")


def months_before(day: dt.date, months: int) -> dt.date:
    return WorkingDayCalendar.add_months(day, -months)


def birthday(date_of_birth: dt.date, years: int) -> dt.date:
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:  # 29 February
        return date_of_birth.replace(year=date_of_birth.year + years, day=28)


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    years = day.year - date_of_birth.year
    return years - 1 if birthday(date_of_birth, years) > day else years


def sdq_band(score: int | None) -> str | None:
    if score is None:
        return None
    for code, _label, low, high in SDQ_BANDS:
        if low <= score <= high:
            return code
    return None


def term_of(day: dt.date) -> tuple[int, str]:
    """The academic year (its first calendar year) and term a date falls in.

    Autumn: September to December; spring: January to Easter (taken as March);
    summer: April to August.
    """
    if day.month >= 9:
        return day.year, "autumn"
    if day.month <= 3:
        return day.year - 1, "spring"
    return day.year - 1, "summer"
