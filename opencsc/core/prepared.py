"""Querysets compiled to SQL once and then run again for other ids (SQLAlchemy's "baked queries").

Django builds a queryset and compiles it to SQL every time it runs. On most pages that costs little;
but the child's record reads some forty event sources, a query or two each, and building and
compiling those queries took most of the page's time, while the SQL itself ran in about a
millisecond in all. A prepared query is built and compiled once with stand-in ids; its SQL and its
compiler are kept (for each thread, as Django's connections are), and each later run only puts the
real ids into the SQL's parameters.

    @prepared
    def recent_visits(child_id, *, limit):
        return Visit.objects.filter(child_id=child_id).select_related("visitor")[:limit]

    recent_visits(child.pk, limit=10)  # a list of Visit, as list(queryset) would give

- Positional arguments are ids (int): they become parameters of the SQL.
- Keyword arguments shape the SQL (a LIMIT, say): each different set is prepared and kept on its
  own, so give them only values that take a few settings.
- The builder must read nothing but its arguments (not today's date, not a setting): what else it
  reads is fixed when it is prepared. To be safe with dates all the same, what is kept is dropped when
  the day changes.

When it is prepared, the query is built twice with different stand-ins (one odd, one even), and the
two must give the same SQL with the stand-ins, and nothing else, in the same parameter positions. A
builder whose SQL is seen to change with the ids is not prepared: it runs as a plain queryset every
time. Two samples cannot prove that a builder never looks at an id's value, so do not branch on one.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

# Stand-in ids: negative, so never a real primary key; far apart, one odd and one even.
_FIRST = -7_301_234_567
_SECOND = -7_301_734_568


class _Plan(NamedTuple):
    queryset: QuerySet | None  # None: the query can never return a row
    compiler: object
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (parameter position, index of the id that goes there)


_UNPREPARABLE = object()


class Prepared:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._local = threading.local()
        functools.update_wrapper(self, build)

    def __call__(self, *ids: int, **shape) -> list:
        for value in ids:
            if type(value) is not int:
                raise TypeError(f"{self.__name__} takes ids (int) as positional arguments, not {value!r}")
        plans = self._local.__dict__.setdefault("plans", {})
        key = (timezone.localdate(), tuple(sorted(shape.items())))
        plan = plans.get(key)
        if plan is not None and plan is not _UNPREPARABLE and plan.queryset is not None \
                and plan.compiler.connection is not connections[plan.queryset.db]:
            plan = None  # the thread's connection was replaced (tests that swap databases)
        if plan is None:
            if len(plans) > 32:
                plans.clear()
            plan = plans[key] = self._prepare(len(ids), shape)
        if plan is _UNPREPARABLE:
            return list(self.build(*ids, **shape))
        if plan.queryset is None:
            return []
        return _run(plan, ids)

    def _prepare(self, count: int, shape: dict):
        first = self.build(*(_FIRST - i for i in range(count)), **shape)
        second = self.build(*(_SECOND - i for i in range(count)), **shape)
        compiler = first.query.get_compiler(using=first.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()
        try:
            other_sql, other_params = second.query.get_compiler(using=second.db).as_sql()
        except EmptyResultSet:
            other_sql, other_params = None, ()
        if sql != other_sql or len(params) != len(other_params):
            return _UNPREPARABLE
        if sql is None:
            return _Plan(queryset=None, compiler=None, sql="", params=(), slots=())
        standins = {_FIRST - i for i in range(count)} | {_SECOND - i for i in range(count)}
        slots = []
        for position, (one, two) in enumerate(zip(params, other_params, strict=True)):
            if one == two and type(one) is type(two):
                if one in standins:
                    return _UNPREPARABLE
                continue
            index = _FIRST - one if type(one) is int else None
            if index is None or not 0 <= index < count or two != _SECOND - index:
                return _UNPREPARABLE
            slots.append((position, index))
        if not slots and count:
            return _UNPREPARABLE  # the ids never reach the SQL: run it plainly rather than guess why
        # How each column's value is read back depends only on the columns: work it out once too.
        converters = compiler.get_converters([column[0] for column in compiler.select[0:compiler.col_count]])
        compiler.get_converters = lambda expressions: converters
        return _Plan(queryset=first, compiler=compiler, sql=sql, params=tuple(params), slots=tuple(slots))


def _run(plan: _Plan, ids: tuple[int, ...]) -> list:
    params = list(plan.params)
    for position, index in plan.slots:
        params[position] = ids[index]
    sql, params = plan.sql, tuple(params)
    compiler = plan.compiler
    compiler.as_sql = lambda *args, **kwargs: (sql, params)
    queryset = plan.queryset._chain()
    queryset.query.get_compiler = lambda *args, **kwargs: compiler
    return list(queryset)


def prepared(build: Callable[..., QuerySet]) -> Prepared:
    """Decorate a function that builds a queryset from ids: see the module's notes."""
    return Prepared(build)
