"""Service navigation: each app adds its items here, each with the permission that shows it.

    register(NavItem("My work", "timescales:my_work", permission=policy.may_view_my_work, order=10))

An item shows to a user who has its permission (a policy ``Permission``, or any ``perm(user) -> bool``);
an item with neither a permission nor roles shows to everyone signed in. ``roles`` is kept only for the
apps whose items are not yet on their ``policy`` module: give new items a permission.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # the old way (a set of roles): use `permission`
    order: int = 50
    permission: Callable[[object], bool] | None = None

    def shows_to(self, user) -> bool:
        if self.permission is not None:
            return bool(self.permission(user))
        if self.roles is not None:
            return user.role in self.roles
        return True


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)


def items_for(user, current_path: str) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    out = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.label)):
        if not item.shows_to(user):
            continue
        url = reverse(item.url_name)
        active = current_path == url or (url != "/" and current_path.startswith(url))
        out.append({"label": item.label, "url": url, "active": active})
    return out
