"""Who may do what: every permission in OpenCSC, named after the action it allows.

Each area of the service declares its permissions in its own ``policy.py``::

    from opencsc.accounts.policy import permission
    from opencsc.accounts.roles import MANAGER_ROLES

    may_authorise_assessment = permission(
        "authorise_assessment", MANAGER_ROLES, "Authorise a child and family assessment.", area="Assessment")

and everything else asks that one object:

- views: ``@allowed(policy.may_authorise_assessment)`` refuses anyone else with 403 (the page exists,
  they may not use it); a record they may not see is 404, from the access selectors;
- services: ``policy.may_authorise_assessment.require(actor)`` (PermissionDenied with a plain message);
- templates: ``{% if may.authorise_assessment %}`` (the ``may`` context processor);
- the permission matrix and ``docs/access.md``, which is generated from this registry
  (``manage.py access_doc``; a test fails when they differ).

Every refusal, of a page or of a record, is written to the access log (see ``refusals``).
A permission is by role only; what a role may do to one record (allocation, restriction, sharing)
is decided by the access selectors of that record, which use these permissions for the role part.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.apps import apps
from django.core.exceptions import PermissionDenied

from .access_records import REFUSED, log_access
from .roles import Role

__all__ = ["Permission", "allowed", "permission", "permissions", "refuse"]


@dataclass(frozen=True)
class Permission:
    """One thing a user may do, and the roles that may do it."""

    name: str
    roles: frozenset[str]
    description: str
    area: str
    refusal: str = field(default="You do not have permission to do this", compare=False)

    def __call__(self, user) -> bool:
        """May this user do it? Nobody signed out, and no deactivated account, ever may."""
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return False
        return user.role in self.roles

    def require(self, user, *, request=None) -> None:
        """Refuse (PermissionDenied, logged) unless the user may do it."""
        if not self(user):
            refuse(self.refusal, permission=self, user=user, request=request)


class Refused(PermissionDenied):
    """PermissionDenied that names the permission refused, for the access log."""

    def __init__(self, message: str, *, permission: Permission | None = None, reference: str = ""):
        super().__init__(message)
        self.permission = permission
        self.reference = reference or (permission.name if permission else "")


def refuse(message: str, *, permission: Permission | None = None, user=None, request=None, reference: str = "",
           child=None):
    """Raise a refusal (403), written to the access log here, with the page asked for when there is a
    request and the child when there is one (the refusals middleware then leaves it alone)."""
    error = Refused(message, permission=permission, reference=reference)
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        log_refusal(user, reference=error.reference, path=request.get_full_path() if request is not None else "",
                    child=child)
        error.logged = True
    raise error


def log_refusal(user, *, reference: str, path: str, child=None) -> None:
    log_access(user, child=child, reference=reference, path=path, outcome=REFUSED)


_REGISTRY: dict[str, Permission] = {}


def permission(name: str, roles: Iterable[str], description: str, *, area: str, refusal: str = "") -> Permission:
    """Declare a permission (once: a second declaration under the same name is an error)."""
    if name in _REGISTRY:
        raise ValueError(f"The permission {name!r} is declared twice")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"{name}: unknown roles {sorted(unknown)}")
    perm = Permission(name=name, roles=frozenset(roles), description=description, area=area,
                      **({"refusal": refusal} if refusal else {}))
    _REGISTRY[name] = perm
    return perm


def permissions() -> dict[str, Permission]:
    """Every declared permission, by name (each app's ``policy`` module loaded first)."""
    load_policies()
    return dict(_REGISTRY)


def load_policies() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("opencsc."):
            try:
                importlib.import_module(f"{config.name}.policy")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.policy":
                    raise


def allowed(perm: Permission) -> Callable:
    """View decorator: only users with ``perm`` get the page; everyone else 403 (logged)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            perm.require(request.user, request=request)
            return view(request, *args, **kwargs)

        wrapped.permission = perm
        return wrapped

    return decorator


class May:
    """``may.<name>`` in templates: whether the signed-in user has the permission."""

    def __init__(self, user):
        self._user = user

    def __getitem__(self, name: str) -> bool:
        perm = _REGISTRY.get(name)
        if perm is None:
            load_policies()
            perm = _REGISTRY.get(name)
        if perm is None:
            raise KeyError(f"No permission called {name!r}")
        return perm(self._user)

    def __contains__(self, name: str) -> bool:
        return name in _REGISTRY


def may(request) -> dict:
    """Context processor: ``{% if may.authorise_assessment %}``."""
    return {"may": May(getattr(request, "user", None))}


class RefusalLogMiddleware:
    """Every refusal (403) during a request is written to the access log, with the page asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied) and not getattr(exception, "logged", False):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                reference = getattr(exception, "reference", "") or "page"
                log_refusal(user, reference=reference, path=request.get_full_path())
                exception.logged = True
        return None
