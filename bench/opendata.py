"""The open-data export of every published experience (time, peak memory) and API pages deep in the table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench .venv/bin/python bench/opendata.py export
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench .venv/bin/python bench/opendata.py api [runs]
    DATABASE_URL=… .venv/bin/python bench/opendata.py api [runs] --default-gc

`export` writes the experiences file as the nightly task does (`opendata.services.generate_file`) into the
storage backend, and prints its wall time, rows, size and this process's peak resident memory (the
Django process included, so run it alone). `api` times, through Django's test Client, the first page of
/api/v1/experiences/ and the page 10,000 pages deep (row 500,000 at 50 a page): its cursor is built from
the position of that row, as following 10,000 `next` links would give it; then the same for results.
The API is timed under the garbage collector's settings of the production workers (`spplus/wsgi.py`:
everything loaded then frozen, raised thresholds), or Python's defaults with `--default-gc`.
"""

import base64
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from experiences.models import Experience  # noqa: E402

PAGE_SIZE = 50
DEPTH = 10_000


def export() -> None:
    from opendata.services import generate_file

    started = time.perf_counter()
    published = generate_file("experiences")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"experiences : {published.row_count:,} lignes ; {published.size / 1e6:,.0f} Mo ; {seconds:.0f} s ; "
        f"mémoire résidente maximale {peak_mb:.0f} Mo".replace(",", " ")
    )


def deep_cursor() -> str:
    """DRF's cursor for the page starting at row DEPTH × PAGE_SIZE of the API's order.

    A cursor is (p, o): the rows after position p (a publication date) in that order, skipping o of them;
    p is the date just before the target row's, o the rows between it and the target.
    """
    ordered = Experience.objects.published().order_by("-published_at", "-pk")
    target = DEPTH * PAGE_SIZE
    target_moment = ordered.values_list("published_at", flat=True)[target]
    rows_before = ordered.filter(published_at__gt=target_moment).count()
    position = ordered.values_list("published_at", flat=True)[rows_before - 1]
    query = urlencode({"o": target - rows_before, "p": str(position)})
    return base64.b64encode(query.encode()).decode()


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    for _ in range(2):
        client.get(url)
    timings = []
    for _ in range(runs):
        cache.clear()  # the anonymous throttle counts in the cache: the bench must not be throttled
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    quantiles = statistics.quantiles(timings, n=20)
    return statistics.median(timings), quantiles[18], len(response.json()["results"])


def api(runs: int, default_gc: bool) -> None:
    if not default_gc:
        import spplus.wsgi  # noqa: F401 -- tunes the garbage collector as in a gunicorn worker
    client = Client()
    depth = f"{DEPTH:,}".replace(",", " ")
    cases = [
        ("expériences, première page", "/api/v1/experiences/"),
        (f"expériences, page {depth} (curseur)", f"/api/v1/experiences/?cursor={deep_cursor()}"),
        ("résultats, première page", "/api/v1/resultats/"),
    ]
    for label, url in cases:
        p50, p95, rows = measure(client, url, runs)
        print(f"{label:<40} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({rows} lignes)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["export"]:
        export()
    elif sys.argv[1:2] == ["api"]:
        arguments = sys.argv[2:]
        runs = [int(argument) for argument in arguments if argument.isdigit()]
        api(runs[0] if runs else 50, default_gc="--default-gc" in arguments)
    else:
        sys.exit(__doc__)
