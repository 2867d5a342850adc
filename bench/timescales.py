"""Due lists and RAG for a whole authority with 10,000 open cases, and a worker's "My work" page.

Builds, inside a transaction that is rolled back at the end (the shared benchmark database
is left as it was), child in need and child protection plans for 10,000 children with their
visits, core groups and reviews (some late, as in real life), then times:

- ``timescales.selectors.due_items`` over every child the service manager may see
  (target < 2 s), and checks that its query count is the same for 1,000 children as for
  the whole authority (set-based: no query per child);
- the "My work" page for a worker with 20 cases (target < 150 ms).

Run alone with: python -m bench.timescales
"""

from __future__ import annotations

import datetime as dt
import random

from bench import common

OPEN_CASES = 10_000
WORKER_CASES = 20
REPEAT_AUTHORITY = 5
REPEAT_PAGE = 30
TARGET_AUTHORITY_MS = 1000  # issue 17 (was 2,000 in issue 3)
TARGET_PAGE_MS = 60  # My work on PostgreSQL, issue 17 (was 150)


class _Rollback(Exception):
    pass


def _build(today: dt.date) -> dict:
    from opencsc.accounts.models import Team, User
    from opencsc.accounts.roles import Role
    from opencsc.casework.models import Allocation, Meeting, Plan, Visit
    from opencsc.people.models import Child

    rng = random.Random(common.SEED)
    team = Team.objects.create(name="Benchmark timescales team", kind="child_protection")
    worker = User.objects.create(username="bench.timescales.worker", role=Role.SOCIAL_WORKER, team=team,
                                 first_name="Bench", last_name="Worker")
    manager = User.objects.create(username="bench.timescales.manager", role=Role.SERVICE_MANAGER, team=team)
    ids = list(Child.objects.filter(merged_into__isnull=True, is_restricted=False)
               .order_by("pk").values_list("pk", flat=True)[:OPEN_CASES])
    plans, visits, meetings = [], [], []
    for child_id in ids:
        cp = rng.random() < 0.15
        kind = "cp" if cp else "cin"
        start = today - dt.timedelta(days=rng.randint(5, 540 if cp else 365))
        plans.append(Plan(child_id=child_id, kind=kind, start_date=start, created_by=worker))
        gap, meeting_gap = (14, 28) if cp else (28, 28)
        day = start
        while True:  # visits, mostly on time, some late
            day += dt.timedelta(days=max(3, int(rng.gauss(gap * 0.9, gap * 0.25))))
            if day >= today:
                break
            visits.append(Visit(child_id=child_id, kind=kind, visited_on=day, visitor=worker))
        day = start
        while True:
            day += dt.timedelta(days=max(7, int(rng.gauss(meeting_gap, 6))))
            if day >= today:
                break
            meetings.append(Meeting(child_id=child_id, kind="core_group" if cp else "cin_meeting", held_on=day,
                                    recorded_by=worker))
    Plan.objects.bulk_create(plans, batch_size=2000)
    Visit.objects.bulk_create(visits, batch_size=2000)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    Allocation.objects.bulk_create(
        [Allocation(child_id=child_id, worker=worker, team=team, start_date=today - dt.timedelta(days=30))
         for child_id in ids[:WORKER_CASES]])
    from opencsc.core import events, statistics
    from opencsc.core.models import Event

    events.rebuild(kinds=["plan", "meeting", "visit", "allocation"], child_ids=ids)  # written in bulk: into the log
    statistics.refresh(Event)  # as a bulk load is followed (core/statistics.py)
    return {"worker": worker, "manager": manager, "ids": ids,
            "events": Event.objects.filter(child_id__in=ids).exclude(clock="").count()}


def run() -> dict:
    common.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from opencsc.people.access import children_for
    from opencsc.timescales import selectors

    sources = "the event log"
    today = timezone.localdate()
    results: dict = {}
    try:
        with transaction.atomic():
            built = _build(today)
            manager, worker = built["manager"], built["worker"]
            everyone = children_for(manager)

            def authority():
                return selectors.due_items(children=everyone)

            items = authority()
            with CaptureQueriesContext(connection) as whole:
                authority()
            with CaptureQueriesContext(connection) as part:
                selectors.due_items(children=everyone.filter(pk__in=built["ids"][:1000]))
            whole_queries, part_queries = len(common.statements(whole)), len(common.statements(part))
            figures = common.summary(common.timings(authority, repeat=REPEAT_AUTHORITY, warmup=1))
            counts = {rag: sum(1 for i in items if i.rag == rag) for rag in ("red", "amber", "green")}
            results["authority"] = {
                "open_cases": len(built["ids"]), "clock_events": built["events"], "due_items": len(items),
                **counts, "queries": whole_queries, "queries_for_1000_children": part_queries, **figures,
            }

            client = Client()
            client.force_login(worker)
            url = reverse("timescales:my_work")
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            with CaptureQueriesContext(connection) as page:
                client.get(url)
            page_queries = len(common.statements(page))
            page_figures = common.summary(common.timings(lambda: client.get(url), repeat=REPEAT_PAGE))
            results["my_work"] = {"cases": WORKER_CASES, "queries": page_queries, **page_figures}
            raise _Rollback
    except _Rollback:
        pass

    a, p = results["authority"], results["my_work"]
    common.table(
        f"Statutory timescales (clock events from {sources})",
        ("What", "SQL queries", "median ms", "p95 ms", "Target"),
        [
            (f"Due list and RAG, whole authority ({a['open_cases']} open cases, {a['clock_events']} events, "
             f"{a['due_items']} items: {a['red']} red, {a['amber']} amber, {a['green']} green)",
             a["queries"], a["median_ms"], a["p95_ms"],
             f"< {TARGET_AUTHORITY_MS} ms: {common.verdict(a['p95_ms'], TARGET_AUTHORITY_MS)}"),
            (f"My work page, {p['cases']} cases", p["queries"], p["median_ms"], p["p95_ms"],
             f"< {TARGET_PAGE_MS} ms: {common.verdict(p['p95_ms'], TARGET_PAGE_MS)}"),
        ],
    )
    same = a["queries"] == a["queries_for_1000_children"]
    print(f"  Query count {'is the same' if same else 'DIFFERS'} for 1,000 children and the whole authority "
          f"({a['queries_for_1000_children']} and {a['queries']})")
    return {"timescales": {"queries_equal": same, "target_authority_ms": TARGET_AUTHORITY_MS,
                           "target_page_ms": TARGET_PAGE_MS, **results}}


if __name__ == "__main__":
    common.write_results(run())
