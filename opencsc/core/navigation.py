"""Service navigation: each app adds its items here, each with the permission that shows it and the
group of the menu it belongs to; and the sections of the child's record (`add_record_section`).

    register(NavItem("My work", "timescales:my_work", permission=policy.may_view_my_work, order=10,
                     group="my-work", description="The children you work with and what is due for them."))

An item shows to a user who has its permission (a policy ``Permission``, or any ``perm(user) -> bool``);
an item with neither a permission nor roles shows to everyone signed in. ``roles`` is kept only for the
apps whose items are not yet on their ``policy`` module: give new items a permission.

The service menu (`menu_for`) shows one entry for each group (``GROUPS``) in which the user has an item:
a group with one item links straight to it, a group with several to the group's page (`group_page`,
``core:menu_group``), which lists them with their descriptions. An item without a group has an entry of
its own: give every item a group (a test keeps every role's menu to seven entries at most).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str
    order: int
    description: str


# The groups of the service menu, in the order they show.
GROUPS: dict[str, NavGroup] = {group.key: group for group in (
    NavGroup("my-work", "My work", 10, "What is due for the children and young people you work with."),
    NavGroup("team", "Team", 40, "Your team's work, workloads, supervision and out-of-hours handovers."),
    NavGroup("front-door", "Front door", 20, "Contacts about children and requests for information."),
    NavGroup("children", "Children", 30, "Find a child, and the children in each area of the service."),
    NavGroup("reports", "Reports", 50, "Performance, practice quality, statutory returns, inspections and timescales."),
    NavGroup("administration", "Administration", 60, "Users, approvals, the access log, records retention and jobs."),
)}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # the old way (a set of roles): use `permission`
    order: int = 50
    permission: Callable[[object], bool] | None = None
    group: str = ""  # a key of GROUPS
    description: str = ""  # one line, shown on the group's page
    search: tuple[str, str] | None = None  # a search page: (parameter, label) of a search box on the group's page

    def shows_to(self, user) -> bool:
        if self.permission is not None:
            return bool(self.permission(user))
        if self.roles is not None:
            return user.role in self.roles
        return True


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if item.group and item.group not in GROUPS:
        raise ValueError(f"NavItem {item.label!r}: no menu group {item.group!r} (one of {sorted(GROUPS)})")
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)


def _current_url(urls: Iterable[str], current_path: str) -> str | None:
    """The item URL the current page is under (the longest that matches), or None."""
    matches = [url for url in urls if current_path == url or (url != "/" and current_path.startswith(url))]
    return max(matches, key=len) if matches else None


def items_for(user, current_path: str) -> list[dict]:
    """Every menu item the user may open, in order: label, url, active, group (key), description, search."""
    if not getattr(user, "is_authenticated", False):
        return []
    out = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.label)):
        if not item.shows_to(user):
            continue
        url = reverse(item.url_name)
        active = current_path == url or (url != "/" and current_path.startswith(url))
        out.append({"label": item.label, "url": url, "active": active, "group": item.group,
                    "description": item.description, "search": item.search})
    return out


def group_url(key: str) -> str:
    return reverse("core:menu_group", args=[key])


def menu_for(user, current_path: str, items: list[dict] | None = None) -> list[dict]:
    """The service menu's top-level entries for the user: one for each group in which the user has an
    item (or for an item without a group). Each: label, url, group, items, and `current`: "page" when
    this is the page the entry links to, "true" when the page is one of its group's, else "".
    ``items`` is ``items_for(user, current_path)`` when the caller has it already."""
    items = items_for(user, current_path) if items is None else items
    here = _current_url([item["url"] for item in items], current_path)
    entries: dict[str, dict] = {}
    for item in items:
        key = item["group"] or f"item:{item['url']}"
        entry = entries.setdefault(key, {"group": GROUPS.get(item["group"]), "items": []})
        entry["items"].append(item)
    out = []
    for entry in entries.values():
        group, members = entry["group"], entry["items"]
        if len(members) == 1:
            label, url = members[0]["label"], members[0]["url"]
        else:
            label, url = group.label, group_url(group.key)
        if current_path == url:
            current = "page"
        elif current_path == (group_url(group.key) if group else None) or any(m["url"] == here for m in members):
            current = "true"
        else:
            current = ""
        out.append({"label": label, "url": url, "group": group, "items": members, "current": current,
                    "active": bool(current), "order": (group.order if group else 1000, members[0]["label"])})
    out.sort(key=lambda entry: entry["order"])
    return out


def group_page(user, key: str) -> tuple[NavGroup, list[dict]] | None:
    """The group and the items in it the user may open (None: no such group, or nothing in it for them)."""
    group = GROUPS.get(key)
    if group is None:
        return None
    members = [item for item in items_for(user, "") if item["group"] == key]
    return (group, members) if members else None


# The sections of the child's record. Other apps add theirs with `add_record_section` from their
# AppConfig.ready(); the record's navigation (casework_tags.record_sections) shows those the user may open:
# first the sections of the record and of the work with the child (`main`) and the services that apply
# to this child (`applies`: event kinds of core.events sources, any one of which in the child's event log
# means the section applies), then every section, by group, one step away.
@dataclass(frozen=True)
class RecordSection:
    label: str
    url_name: str
    action: str = "view_casework"  # people.access.can action needed to open it
    group: str = "services"  # a key of RECORD_GROUPS
    applies: tuple[str, ...] | None = None  # None: always applies
    main: bool = True  # False: always one step away (in "All sections")


RECORD_GROUPS: dict[str, str] = {
    "record": "Record",
    "work": "Work with the child",
    "services": "Services",
    "people": "People and places",
}

RECORD_SECTIONS: list[RecordSection] = [
    RecordSection("Summary", "casework:child_record", "view", group="record"),
    RecordSection("Chronology", "casework:chronology", group="record"),
    RecordSection("Case notes", "casework:notes", group="record"),
    RecordSection("Documents", "casework:documents", group="record"),
    RecordSection("Need and assessment", "assessment:episodes", group="work", applies=("cin_episode", "assessment")),
    RecordSection("Child protection", "protection:overview", group="services", applies=(
        "strategy_discussion", "section47", "cp_conference", "cp_plan", "police_protection", "epo")),
    RecordSection("Plans", "casework:plans", group="work"),
    RecordSection("Visits", "casework:visits", group="work"),
    RecordSection("Oversight", "casework:oversight", group="work", main=False),
    RecordSection("Family network", "people:family", "edit", group="people"),
    RecordSection("Addresses", "people:addresses", "edit", group="people", main=False),
    RecordSection("History", "casework:history", group="record", main=False),
]


def add_record_section(label: str, url_name: str, action: str = "view_casework", *, before: str = "Plans",
                       group: str = "services", applies: Iterable[str] | None = None, main: bool = True) -> None:
    """Add a section to the child's record navigation, before the section labelled `before`.

    ``group``: a key of RECORD_GROUPS; ``applies``: the event kinds that make it one of this child's
    areas (None: it always shows); ``main=False``: it is always one step away."""
    if group not in RECORD_GROUPS:
        raise ValueError(f"Record section {label!r}: no group {group!r} (one of {sorted(RECORD_GROUPS)})")
    if any(section.url_name == url_name for section in RECORD_SECTIONS):
        return
    labels = [section.label for section in RECORD_SECTIONS]
    position = labels.index(before) if before in labels else len(RECORD_SECTIONS) - 1
    RECORD_SECTIONS.insert(position, RecordSection(label, url_name, action, group=group,
                                                   applies=None if applies is None else tuple(applies), main=main))


def record_applies_kinds() -> frozenset[str]:
    """Every event kind that makes some section apply (the one query of the record's navigation)."""
    return frozenset(kind for section in RECORD_SECTIONS for kind in (section.applies or ()))
