"""Generating a synthetic local authority."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from opencsc.accounts.models import Team, User
from opencsc.core import events, statistics
from opencsc.core.audit import audit
from opencsc.core.models import AuditEvent
from opencsc.people.models import Child

from .constants import DEMO_LOGINS
from .context import GenerationContext
from .pipeline import STEPS, Step


class AuthorityNotEmptyError(Exception):
    """The database already holds children or the synthetic staff: generating again would mix two authorities."""


def database_is_empty() -> bool:
    """True when there is nothing a synthetic authority would clash with."""
    return not (
        Child.objects.exists()
        or User.objects.filter(username__in=[d.username for d in DEMO_LOGINS]).exists()
        or Team.objects.filter(name="MASH").exists()
    )


def authority_generate(
    *,
    seed: int,
    size: float = 1.0,
    today: dt.date | None = None,
    actor=None,
    on_step: Callable[[Step], None] | None = None,
    until: str | None = None,
) -> GenerationContext:
    """Fill an empty database with a synthetic local authority, reproducibly from `seed`.

    `size` scales the numbers of children and staff (1.0 is about the 2014 Hounslow
    figures). Refuses (AuthorityNotEmptyError) on a database that already has
    children or synthetic staff, and changes nothing then. Everything is written
    in one transaction, so a failure leaves the database as it was.
    `until` names the last step to run (tests of one step need only those before it).
    """
    if size <= 0:
        raise ValueError("Size must be more than 0")
    keys = [step.key for step in STEPS]
    if until is not None and until not in keys:
        raise ValueError(f"There is no generation step called {until!r}")
    steps = STEPS if until is None else STEPS[: keys.index(until) + 1]
    ctx = GenerationContext(seed=seed, size=size, today=today or timezone.localdate())
    with transaction.atomic():
        if not database_is_empty():
            raise AuthorityNotEmptyError(
                "The database already has children or synthetic staff in it. "
                "Generate a synthetic authority only into an empty database."
            )
        for step in steps:
            if on_step is not None:
                on_step(step)
            step.run(ctx)
        # The steps write in bulk, as an import would: the event log is filled from the records once.
        ctx.counts["events"] = sum(events.rebuild().values())
        statistics.refresh()  # every table was loaded in bulk: the planner's statistics (core/statistics.py)
        audit(
            actor=actor,
            action=AuditEvent.Action.CREATED,
            summary=f"Synthetic local authority generated (seed {seed}, size {size:g}, "
            f"as at {ctx.today.isoformat()}): {ctx.counts.get('children', 0)} children",
        )
    return ctx
