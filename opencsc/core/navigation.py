"""Service navigation: each app adds its items here, each with the permission that shows it; and the
sections of the child's record (`add_record_section`).

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


# The sections of the record, in order: (label, url name, access action needed to open it).
# Other apps add theirs with `add_record_section` from their AppConfig.ready(); the record's
# navigation (casework_tags.record_sections) shows those the user may open.
RECORD_SECTIONS = [
    ("Summary", "casework:child_record", "view"),
    ("Chronology", "casework:chronology", "view_casework"),
    ("Case notes", "casework:notes", "view_casework"),
    ("Documents", "casework:documents", "view_casework"),
    ("Need and assessment", "assessment:episodes", "view_casework"),
    ("Child protection", "protection:overview", "view_casework"),
    ("Plans", "casework:plans", "view_casework"),
    ("Visits", "casework:visits", "view_casework"),
    ("Oversight", "casework:oversight", "view_casework"),
    ("Family network", "people:family", "edit"),
    ("Addresses", "people:addresses", "edit"),
    ("History", "casework:history", "view_casework"),
]


def add_record_section(label: str, url_name: str, action: str = "view_casework", *, before: str = "Plans") -> None:
    """Add a section to the child's record navigation, before the section labelled `before`."""
    if any(name == url_name for _, name, _ in RECORD_SECTIONS):
        return
    labels = [existing for existing, _, _ in RECORD_SECTIONS]
    position = labels.index(before) if before in labels else len(RECORD_SECTIONS) - 1
    RECORD_SECTIONS.insert(position, (label, url_name, action))
