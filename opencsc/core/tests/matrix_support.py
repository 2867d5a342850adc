"""What the permission matrix is made of, and how each area of the service adds to it.

Every app with URLs keeps its part of the matrix in `opencsc/<app>/tests/matrix.py`:

    from opencsc.core.tests.matrix_support import Entry, READ_ALL_ROLES, CASEWORK_ROLES

    MATRIX = {"care:overview": Entry(READ_ALL_ROLES, ("child",))}

    def extend_world(world, *, author, child, episode):
        world["placement"] = PlacementFactory(child=child).pk   # keys named in Entry.args

`test_permission_matrix` merges them all, so an app never edits another's list.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

from opencsc.accounts.policy import Permission
from opencsc.accounts.roles import CASEWORK_ROLES, MANAGER_ROLES, READ_ALL_ROLES, Role

__all__ = ["ADMIN", "ALL", "CASEWORK_ROLES", "CREATE", "EDIT_ANY", "MANAGER_ROLES", "PUBLIC",
           "READ_ALL_ROLES", "Entry", "Role", "app_matrices", "app_world_extenders"]

ALL = frozenset(Role.values)
ADMIN = frozenset({Role.ADMINISTRATOR})
EDIT_ANY = MANAGER_ROLES | {Role.MASH_PRACTITIONER}  # edit an unallocated child
CREATE = frozenset(
    {Role.SOCIAL_WORKER, Role.SENIOR_PRACTITIONER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER,
     Role.MASH_PRACTITIONER, Role.PERSONAL_ADVISER}
)
PUBLIC = object()  # reachable without signing in


@dataclass(frozen=True)
class Entry:
    """One URL: who may use it (a set of roles, a policy Permission, or PUBLIC), the world's keys for its
    arguments, the method its check uses, and `not_found`: roles that may use the page but cannot see
    the matrix world's record at all, so get 404 rather than 403."""

    allowed: frozenset | object
    args: tuple[str, ...] = ()
    method: str = "get"
    not_found: frozenset = frozenset()
    # The roles that may use the page at all, where more than `allowed` (which is who may use it on the
    # matrix world's record): e.g. editing a child is a social worker's page, but only for a child
    # allocated to them. Those roles get 404, not 403, for a record they cannot see.
    page: frozenset | None = None

    def __post_init__(self):
        for name in ("allowed", "page"):
            if isinstance(getattr(self, name), Permission):
                object.__setattr__(self, name, getattr(self, name).roles)

    @property
    def page_roles(self) -> frozenset:
        return self.allowed if self.page is None else self.page | self.allowed

    def expected_refusal(self, role) -> int:
        return 404 if role in self.not_found else 403


def _app_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("opencsc.") or config.label == "core":
            continue
        try:
            yield importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError as error:
            if error.name not in (f"{config.name}.tests", f"{config.name}.tests.matrix"):
                raise


def app_matrices() -> dict:
    merged: dict = {}
    for module in _app_modules():
        clash = set(merged) & set(module.MATRIX)
        if clash:
            raise ValueError(f"{module.__name__} repeats matrix entries: {sorted(clash)}")
        merged.update(module.MATRIX)
    return merged


def app_world_extenders() -> list[Callable]:
    return [m.extend_world for m in _app_modules() if hasattr(m, "extend_world")]
