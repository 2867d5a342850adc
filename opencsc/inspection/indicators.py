"""The performance indicators an area for improvement can be linked to, by key.

Reads `opencsc.performance.indicators` when it exists (the indicators are defined there, as data);
this app never imports performance models. Until that module exists any key of lower-case letters,
digits and underscores is accepted, and the link to an indicator's page appears only once the
`performance:indicator` URL exists.
"""

from __future__ import annotations

import importlib
import re
from functools import cache

from django.urls import NoReverseMatch, reverse

KEY_PATTERN = re.compile(r"^[a-z0-9_]{2,60}$")
_COLLECTIONS = ("INDICATORS", "INDICATORS_BY_KEY", "BY_KEY", "ALL_INDICATORS", "ALL")


def _title(item, key: str) -> str:
    if isinstance(item, dict):
        return str(item.get("title") or key)
    return str(getattr(item, "title", None) or key)


def _key(item) -> str | None:
    key = item.get("key") if isinstance(item, dict) else getattr(item, "key", None)
    return key if isinstance(key, str) else None


@cache
def known_indicators() -> dict[str, str] | None:
    """{key: title} from the performance app's definitions, or None when they do not exist yet."""
    try:
        module = importlib.import_module("opencsc.performance.indicators")
    except ModuleNotFoundError as error:
        if error.name == "opencsc.performance.indicators":
            return None
        raise
    for name in _COLLECTIONS:
        collection = getattr(module, name, None)
        if isinstance(collection, dict) and collection:
            return {str(k): _title(v, str(k)) for k, v in collection.items()}
        if isinstance(collection, list | tuple | frozenset | set) and collection:
            found = {_key(item): _title(item, _key(item) or "") for item in collection if _key(item)}
            if found:
                return found
    return None


def unknown_keys(keys: list[str]) -> list[str]:
    known = known_indicators()
    if known is None:
        return [k for k in keys if not KEY_PATTERN.match(k)]
    return [k for k in keys if k not in known]


def indicator_url(key: str) -> str | None:
    try:
        return reverse("performance:indicator", args=[key])
    except NoReverseMatch:
        return None


def describe(keys: list[str]) -> list[dict]:
    """[{key, title, url}] for showing the links on a page."""
    known = known_indicators() or {}
    return [{"key": k, "title": known.get(k, k), "url": indicator_url(k)} for k in keys]
