"""p50 / p95 and SQL queries per page of the public list and an experience page, in-process and warm.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench .venv/bin/python bench/public_pages.py [runs]

Each case is requested twice to warm the caches, then `runs` times (default 50) through Django's
test Client; the time is the whole request (URL resolution, form, SQL, template), and the SQL
column sums the queries' own times (DEBUG's query log; run with the default DEBUG=true). With
--explain, prints EXPLAIN ANALYZE of each SQL query of each case once.
"""

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import timing  # noqa: E402
from experiences.models import Experience  # noqa: E402

COMMON_WORD = "dossier"  # in about 30 % of the experiences
RARE_WORD = "Yvetot"  # in a few dozen


def cases() -> list[tuple[str, str]]:
    year_ago = (timezone.localdate() - datetime.timedelta(days=365)).isoformat()
    newest = Experience.objects.published().order_by("-published_at", "-pk").values_list("public_id", flat=True)
    found = [
        ("list, no search", "/experiences/"),
        ("search, common word (relevance)", f"/experiences/?q={COMMON_WORD}"),
        ("search, common word (date)", f"/experiences/?q={COMMON_WORD}&tri=date"),
        ("search, rare word", f"/experiences/?q={RARE_WORD}"),
        (
            "search + department + feeling + 12 months",
            f"/experiences/?q={COMMON_WORD}&departement=13&ressenti=negatif&du={year_ago}",
        ),
        ("status filter, rare status (action réalisée)", "/experiences/?statut=action-realisee"),
        ("deep page (50, the last one)", "/experiences/?page=50"),
        ("search, common word, page 50", f"/experiences/?q={COMMON_WORD}&page=50"),
    ]
    public_id = newest[:1][0] if newest else None
    if public_id:
        found.append(("one experience page", f"/experiences/{public_id}/"))
    return found


def measure(client: Client, url: str, runs: int) -> dict:
    for _ in range(2):
        client.get(url)
    return timing.measure(client, url, runs)


def explain(client: Client, url: str) -> None:
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    for query in captured.captured_queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")


def main() -> None:
    # The test Client's host; not setup_test_environment(), whose template instrumentation costs time.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    runs = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), "50"))
    client = Client()
    print("| page | p50 ms | p95 ms | SQL p50 / p95 ms | SQL queries | status |\n|---|---|---|---|---|---|")
    for name, url in cases():
        if "--explain" in sys.argv:
            print(f"### {name}: {url}")
            explain(client, url)
            continue
        m = measure(client, url, runs)
        print(
            f"| {name} (`{url}`) | {m['p50']:.1f} | {m['p95']:.1f} | {m['sql_p50']:.1f} / {m['sql_p95']:.1f} "
            f"| {m['queries']} | 200 |",
            flush=True,
        )


if __name__ == "__main__":
    main()
