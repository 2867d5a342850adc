"""The query planner's statistics, refreshed after a bulk load.

A planner chooses indexes from what it knows of each table. After a bulk load (the synthetic authority,
`manage.py events rebuild`) it knows nothing of the new rows until statistics are gathered: SQLite never
gathers them itself, and PostgreSQL's autovacuum only some time later. Without them SQLite reads a worker's
caseload from the event log through the index on the kind of event (every visit in the authority) rather
than the index on the child: "My work" took 36 ms in one query instead of 1 ms.
"""

from __future__ import annotations

from django.db import connection, models


def refresh(*tables: type[models.Model]) -> None:
    """ANALYZE these models' tables (none given: every table). Both SQLite and PostgreSQL run it inside a
    transaction."""
    with connection.cursor() as cursor:
        if not tables:
            cursor.execute("ANALYZE")
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
