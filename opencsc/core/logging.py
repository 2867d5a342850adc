"""Structured logs: one JSON object a line, with the request each line was written for.

`JsonFormatter` (the console handler's formatter in config/settings/base.py) writes `time`, `level`,
`logger`, `message`, any exception, and for every line written while a request is served its `request_id`,
`user_id` (the number only) and `route` (the URL's name, `people:child`; never the path, which holds ids, nor
the query string, which may hold a name searched for). `RequestLogMiddleware` (first in MIDDLEWARE) gives
each request its id (the proxy's `X-Request-ID` when it is well formed, else a new one; sent back in the
response), logs one line per request with `method`, `status` and `duration_ms` (a warning, `slow request`,
over OPENCSC_SLOW_REQUEST_MS), and, while the request runs, logs every query slower than
OPENCSC_SLOW_QUERY_MS as `slow query` with its SQL with `%s` in place of each parameter: parameters and
string literals (names, dates of birth, notes) are never logged. Form bodies are never read here.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid
from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.urls import Resolver404, resolve
from django.utils.functional import empty

# The request being served on this thread: {"request_id", "user_id", "route"}; None outside a request.
_current: contextvars.ContextVar[dict | None] = contextvars.ContextVar("opencsc_request", default=None)

# Fields a log call may pass with `extra=`; nothing else from a record is written.
EXTRA_FIELDS = ("method", "status", "duration_ms", "database", "sql")
CONTEXT_FIELDS = ("request_id", "user_id", "route")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")
SQL_MAX_CHARS = 2000
_QUOTED = re.compile(r"'(?:[^']|'')*'")
_SPACE = re.compile(r"\s+")

requests_log = logging.getLogger("opencsc.requests")
queries_log = logging.getLogger("opencsc.queries")


def current_request() -> dict:
    """The request id, user id and route of the request being served here (empty outside a request)."""
    return dict(_current.get() or {})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = _current.get()
        if context:
            entry.update((name, context.get(name)) for name in CONTEXT_FIELDS)
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def sql_shape(sql) -> str:
    """The statement without its values: parameters are already `%s`; quoted literals become `'?'`."""
    return _QUOTED.sub("'?'", _SPACE.sub(" ", str(sql)).strip())[:SQL_MAX_CHARS]


class _SlowQueries:
    """A connection.execute_wrapper: logs the queries slower than the threshold, shape only."""

    def __init__(self, alias: str, threshold_ms: float):
        self.alias = alias
        self.threshold_ms = threshold_ms

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            if elapsed > self.threshold_ms:
                queries_log.warning("slow query", extra={"duration_ms": round(elapsed, 1), "database": self.alias,
                                                         "sql": sql_shape(sql)})


def _route(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match.view_name or match.route or None


def _user_id(request):
    """The signed-in user's pk, without loading the user when nothing in the request has (no extra query)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped.pk


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex
        request.request_id = request_id
        static = bool(settings.STATIC_URL) and request.path_info.startswith(settings.STATIC_URL)
        context = {"request_id": request_id, "user_id": None, "route": None if static else _route(request)}
        token = _current.set(context)
        try:
            with ExitStack() as stack:
                threshold = settings.OPENCSC_SLOW_QUERY_MS
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(_SlowQueries(connection.alias, threshold)))
                response = self.get_response(request)
            response["X-Request-ID"] = request_id
            context["user_id"] = _user_id(request) or context["user_id"]
            context["route"] = context["route"] or (None if static else _route(request))
            elapsed = (time.perf_counter() - started) * 1000
            slow = elapsed > settings.OPENCSC_SLOW_REQUEST_MS
            level = logging.WARNING if slow else logging.DEBUG if static else logging.INFO
            requests_log.log(level, "slow request" if slow else "request", extra={
                "method": (request.method or "")[:16], "status": response.status_code, "duration_ms": round(elapsed, 1)})
            return response
        finally:
            _current.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        context = _current.get()
        if context is not None:
            context["user_id"] = _user_id(request)
            if request.resolver_match is not None:
                context["route"] = request.resolver_match.view_name or request.resolver_match.route or None
        return None
