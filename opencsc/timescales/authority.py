"""The authority's calendar and local rule values, read from the database.

``authority_calendar()`` is the working-day calendar with the authority's closure
days; ``authority_settings()`` the authority's values for rules in the shape
``core.effective_rule`` accepts. Both cost one small query.

``timescale(code)`` is one rule with the authority's values and the calendar that rule
counts in (``calendar_for_rule``): national rules count national working days, local
ones skip the closure days, unless the authority has said otherwise. Every page, list,
export and indicator takes its due dates and verdicts from there (the due lists through
``calendar_for_rule`` over ``authority_timescales()``; see docs/timescales.md).

The calendar object (with its bank-holiday cache) is reused while the closure days are unchanged, so
a change takes effect at once in every process; ``invalidate()`` drops it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import CharField, DateField, JSONField, Value

from .core import (
    HOURS,
    RULES_BY_CODE,
    Rule,
    Timescale,
    WorkingDayCalendar,
    effective_rule,
    rule_override_errors,
)
from .models import ClosureDay, LocalRuleSetting

_CACHE_LIMIT = 500_000


class AuthorityCalendar(WorkingDayCalendar):
    """The working-day calendar, remembering the answers it has worked out.

    A calendar never changes once built (a new closure day builds a new one), so
    "20 working days from 2 March" is worked out once for the whole authority's
    due list rather than once per child.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._answers: dict[tuple, dt.date] = {}

    def add(self, start, length: int, unit: str, *, count_start_day: bool | None = None):
        if unit == HOURS or type(start) is not dt.date:
            return super().add(start, length, unit, count_start_day=count_start_day)
        key = (start, length, unit, count_start_day)
        answer = self._answers.get(key)
        if answer is None:
            if len(self._answers) > _CACHE_LIMIT:
                self._answers.clear()
            answer = self._answers[key] = super().add(start, length, unit, count_start_day=count_start_day)
        return answer


_CALENDARS: dict[frozenset, AuthorityCalendar] = {}


def invalidate() -> None:
    _CALENDARS.clear()


def calendar_for(closures) -> AuthorityCalendar:
    key = frozenset(closures)
    calendar = _CALENDARS.get(key)
    if calendar is None:
        if len(_CALENDARS) > 16:
            _CALENDARS.clear()
        calendar = _CALENDARS[key] = AuthorityCalendar(extra_closures=key)
    return calendar


def national_calendar() -> AuthorityCalendar:
    """England and Wales bank holidays only: what national rules count in (unless the authority says not)."""
    return calendar_for(())


def calendar_for_rule(rule: Rule, calendar: WorkingDayCalendar | None = None) -> WorkingDayCalendar:
    """The calendar ``rule`` (the authority's values applied) counts in: ``calendar`` (the authority's, with its
    closure days; read if not given) when the rule applies closure days, else the national one."""
    if not rule.applies_closures:
        return national_calendar()
    return calendar if calendar is not None else authority_calendar()


def timescale_from(code: str, calendar: WorkingDayCalendar, settings) -> Timescale:
    """``timescale`` from the authority's calendar and settings already read (``authority_timescales``)."""
    rule = effective_rule(RULES_BY_CODE[code], settings)
    return Timescale(rule, calendar_for_rule(rule, calendar))


def timescale(code: str) -> Timescale:
    """The rule ``code`` with the authority's values, and the calendar it counts in (one query)."""
    return timescale_from(code, *authority_timescales())


def authority_calendar() -> AuthorityCalendar:
    return calendar_for(ClosureDay.objects.values_list("date", flat=True))


def authority_timescales() -> tuple[AuthorityCalendar, dict[str, dict[str, Any]]]:
    """``authority_calendar()`` and ``authority_settings()`` from ONE query (every due list needs both)."""
    days = ClosureDay.objects.order_by().values_list(
        "date", Value("", output_field=CharField()), Value(None, output_field=JSONField()))
    values = LocalRuleSetting.objects.order_by().values_list(
        Value(None, output_field=DateField()), "rule_code", "values")
    closures, settings = [], []
    for day, code, rule_values in days.union(values, all=True):
        if day is not None:
            closures.append(day)
        else:
            settings.append((code, rule_values))
    return calendar_for(closures), _settings_from(settings)


def _from_json(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if "then" in out:
        out["then"] = [tuple(p) for p in out["then"]]
    if "amber_within" in out:
        out["amber_within"] = tuple(out["amber_within"])
    return out


def authority_settings() -> dict[str, dict[str, Any]]:
    """The authority's values for local rules (rules it has not changed are left out)."""
    return _settings_from(LocalRuleSetting.objects.values_list("rule_code", "values"))


def _settings_from(rows) -> dict[str, dict[str, Any]]:
    out = {}
    for code, values in rows:
        rule = RULES_BY_CODE.get(code)
        if rule is None or not values:
            continue
        values = _from_json(values)
        if rule_override_errors(rule, values):
            continue  # a value the rules no longer accept: keep the default
        out[code] = values
    return out
