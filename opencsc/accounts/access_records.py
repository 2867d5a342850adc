"""Writing the access log: the one writer of AccessLog rows (a hash chain, see core/chain.py).

Every view of a child's record and every refused attempt comes through here: `people.access` for
children, `accounts.policy` for refusals, and the areas that show other protected records.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps

from opencsc.core import chain

from .roles import AccessOutcome

VIEWED = AccessOutcome.VIEWED
REFUSED = AccessOutcome.REFUSED


def _access_log():
    """The AccessLog model, from Django's registry: the permissions that log refusals through this module
    are declared while the apps are loaded, before their models are."""
    return apps.get_model("accounts", "AccessLog")


def _row(user, *, child, reference, path: str, outcome: str):
    return _access_log()(
        user=user, child=child, child_identifier=(getattr(child, "la_child_id", "") or "")[:64],
        child_reference=str(reference)[:64], path=(path or "")[:500], outcome=outcome,
    )


def log_access(user, *, child=None, reference="", path: str = "", outcome: str = VIEWED):
    """One row: `user` viewed (or was refused) `child`, or what `reference` names, at `path`."""
    return chain.append(_access_log(), [_row(user, child=child, reference=reference, path=path, outcome=outcome)])[0]


def log_accesses(user, *, children: Iterable, path: str = "", outcome: str = VIEWED) -> list:
    """One row per child (a page naming several children), written together."""
    return chain.append(_access_log(), [
        _row(user, child=child, reference=child.pk, path=path, outcome=outcome) for child in children
    ])
