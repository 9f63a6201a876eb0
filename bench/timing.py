"""What the page benchmarks share: time a URL through Django's test Client, with the SQL its queries took.

The SQL figures sum the queries' own times from DEBUG's query log (run with the default DEBUG=true).
"""

import statistics
import time

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def measure(client: Client, url: str, runs: int, cold: bool = False) -> dict:
    """p50 / p95 of the whole request and of its SQL, and the queries of the last run; cold clears the cache first."""
    timings, sql_timings = [], []
    for _ in range(runs):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        sql_timings.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
    return _figures(timings, sql_timings, len(captured.captured_queries))


def measure_call(function, runs: int) -> dict:
    """The same figures for a function called without arguments (a selector, outside any request)."""
    timings, sql_timings = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            function()
            timings.append((time.perf_counter() - start) * 1000)
        sql_timings.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
    return _figures(timings, sql_timings, len(captured.captured_queries))


def _figures(timings: list[float], sql_timings: list[float], queries: int) -> dict:
    def p95(values):
        return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]

    return {
        "p50": statistics.median(timings),
        "p95": p95(timings),
        "sql_p50": statistics.median(sql_timings),
        "sql_p95": p95(sql_timings),
        "queries": queries,
    }


def explain(client: Client, url: str) -> None:
    """Print EXPLAIN (ANALYZE, BUFFERS) of every query of one cold request."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    for query in captured.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print(query["sql"][:300], "\n".join(row[0] for row in cursor.fetchall()), sep="\n", end="\n\n")
