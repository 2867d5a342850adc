"""For tests: a synthetic authority that lives for a module's tests and is rolled back after them."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def rolled_back_authority(django_db_blocker, **options):
    """Generate an authority (``authority_generate(**options)``) in a transaction, give its
    context, and roll everything back at the end. For a module-scoped fixture: the module's tests
    each run inside their own transaction, on top of this one."""
    from django.db import transaction

    from opencsc.synthetic.services import authority_generate

    with django_db_blocker.unblock(), transaction.atomic():
        yield authority_generate(**options)
        transaction.set_rollback(True)
