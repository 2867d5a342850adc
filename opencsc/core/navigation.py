"""Service navigation: each app adds its items here, with the roles that see them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user
    order: int = 50


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)


def items_for(user, current_path: str) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    out = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.label)):
        if item.roles is not None and user.role not in item.roles:
            continue
        url = reverse(item.url_name)
        active = current_path == url or (url != "/" and current_path.startswith(url))
        out.append({"label": item.label, "url": url, "active": active})
    return out
