"""The child's record page: a child with ten years of history (500+ events) against one with five.

Queries must be the same for both (a page has a bounded number of queries whatever the
length of the child's history); render time is measured through the test client signed
in as a social worker. Run alone with: python -m bench.record_page
"""

from __future__ import annotations

from bench import common

URL_NAME = "casework:child_record"
REPEAT = 30
TARGET_MS = 50  # issue 17 (was 150)
TARGET_QUERIES = 10
CHRONOLOGY_URL = "casework:chronology"
CHRONOLOGY_TARGET_MS = 50


def run() -> dict:
    common.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from bench import data
    from opencsc.accounts.models import User

    info = data.load()
    try:
        urls = {
            "long": reverse(URL_NAME, args=[info["long_child"]]),
            "short": reverse(URL_NAME, args=[info["short_child"]]),
        }
    except NoReverseMatch:
        print(f"\nChild's record page: not available (the URL {URL_NAME!r} does not resolve yet)")
        return {"record_page": {"available": False}}

    client = Client()
    client.force_login(User.objects.get(username=info["worker"]))
    results, rows = {}, []
    for key, label, events in (
        ("long", "10 years of history", info["long_events"]),
        ("short", "short history", info["short_events"]),
    ):
        url = urls[key]
        response = client.get(url)
        if response.status_code != 200:
            print(f"\nChild's record page: not available ({url} answered {response.status_code})")
            return {"record_page": {"available": False, "status": response.status_code}}
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = common.statements(captured)  # read now: later requests reset the log
        figures = common.summary(common.timings(lambda url=url: client.get(url), repeat=REPEAT))
        results[key] = {"events": events, "queries": len(queries), **figures}
        rows.append(
            (
                f"{label} ({events} events)",
                len(queries),
                figures["median_ms"],
                figures["p95_ms"],
                f"target < {TARGET_MS} ms: {common.verdict(figures['p95_ms'], TARGET_MS)}; "
                f"<= {TARGET_QUERIES} queries: {'met' if len(queries) <= TARGET_QUERIES else 'NOT met'}",
            )
        )
    url = reverse(CHRONOLOGY_URL, args=[info["long_child"]])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    chronology_queries = len(common.statements(captured))
    figures = common.summary(common.timings(lambda: client.get(url), repeat=REPEAT))
    results["chronology_page_1"] = {"queries": chronology_queries, **figures}
    rows.append((f"Chronology page 1 ({info['long_events']} events)", chronology_queries, figures["median_ms"],
                 figures["p95_ms"],
                 f"target < {CHRONOLOGY_TARGET_MS} ms: {common.verdict(figures['p95_ms'], CHRONOLOGY_TARGET_MS)}"))
    same = results["long"]["queries"] == results["short"]["queries"]
    common.table(
        f"Child's record page ({URL_NAME}), {REPEAT} requests each, signed in as a social worker",
        ("Child", "SQL queries", "median ms", "p95 ms", "Target"),
        rows,
    )
    print(
        f"  Query count {'is the same' if same else 'DIFFERS'} for both children "
        f"(must be equal: {'yes' if same else 'NO'})"
    )
    return {"record_page": {"available": True, "queries_equal": same, "target_ms": TARGET_MS, **results}}


if __name__ == "__main__":
    common.write_results(run())
