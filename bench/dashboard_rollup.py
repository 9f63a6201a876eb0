"""Time the dashboard's daily rollup: a full rebuild (nightly) and a refresh of the recent days (every 10 min).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench .venv/bin/python bench/dashboard_rollup.py [--full]

Without --full, only the recent-days refresh is timed (3 runs), on a rollup that must already exist.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from dashboards.models import DashboardDay, RollupKind  # noqa: E402
from dashboards.services.rollup import RECENT_DAYS, refresh_rollup  # noqa: E402


def main() -> None:
    if "--full" in sys.argv:
        started = time.perf_counter()
        rows = refresh_rollup(full=True)
        print(f"full rebuild: {rows:,} rows in {time.perf_counter() - started:.0f} s".replace(",", " "))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE dashboards_dashboardday")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        rows = refresh_rollup()
        timings.append(time.perf_counter() - started)
    print(f"recent {RECENT_DAYS} days: {rows:,} rows, median {statistics.median(timings):.1f} s of {timings}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('dashboards_dashboardday'))")
        size = cursor.fetchone()[0]
    for kind in RollupKind:
        print(f"  {kind.label}: {DashboardDay.objects.filter(kind=kind).count():,} rows".replace(",", " "))
    print(f"  table and indexes: {size}")


if __name__ == "__main__":
    main()
