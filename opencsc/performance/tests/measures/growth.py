"""For the query-count tests: each measure's queries with 2 children, then with 20, built once."""

from contextlib import contextmanager


@contextmanager
def grown_counts(django_db_blocker, *, build, measures, as_at):
    """Build 2 children (``build(worker, n)``), count each measure's queries, build 18 more, and give
    ``{measure: (queries with 2, queries with 20, rows with 20)}``; everything rolled back at the end.
    For a module-scoped fixture in a module of its own (the children must not be seen by other tests)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from opencsc.accounts.tests.factories import UserFactory

    def run(measure):
        with CaptureQueriesContext(connection) as queries:
            rows = measure(as_at)
        return len(queries.captured_queries), len(rows)

    with django_db_blocker.unblock(), transaction.atomic():
        worker = UserFactory(role="social_worker")
        build(worker, 2)
        small = {measure: run(measure)[0] for measure in measures}
        build(worker, 18)
        yield {measure: (small[measure], *run(measure)) for measure in measures}
        transaction.set_rollback(True)
