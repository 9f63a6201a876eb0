"""The open-data export of every published experience (time, peak memory) and API pages deep in the table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench .venv/bin/python bench/opendata.py export
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench .venv/bin/python bench/opendata.py api [runs]
    DATABASE_URL=… .venv/bin/python bench/opendata.py api [runs] --default-gc
    DATABASE_URL=… .venv/bin/python bench/opendata.py gunicorn [runs]

`export` writes the experiences file as the nightly task does (`opendata.services.generate_file`) into the
storage backend, and prints its wall time, rows, size and this process's peak resident memory (the
Django process included, so run it alone). `api` times, through Django's test Client, the first page of
/api/v1/experiences/ and the page 10,000 pages deep (row 500,000 at 50 a page): its cursor is built from
the position of that row, as following 10,000 `next` links would give it; then the same for results.
The API is timed under the garbage collector's settings of the production workers (everything loaded then
frozen and raised thresholds, `spplus/wsgi.py`; a collection after each answer, `gunicorn.conf.py`), or
Python's defaults with `--default-gc`. `gunicorn` times the deep page through one gunicorn worker started as
the Dockerfile does (DEBUG off), asked by a client again as soon as it has each answer.
"""

import base64
import gc
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

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


def measure(client: Client, url: str, runs: int, collect_after: bool) -> tuple[float, float, int]:
    for _ in range(2):
        client.get(url)
    timings = []
    for _ in range(runs):
        cache.clear()  # the anonymous throttle counts in the cache: the bench must not be throttled
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        if collect_after:
            gc.collect()  # gunicorn.conf.py's post_request: once the answer is sent, so not timed
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
        p50, p95, rows = measure(client, url, runs, collect_after=not default_gc)
        print(f"{label:<40} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   ({rows} lignes)")


def through_gunicorn(runs: int) -> None:
    root = Path(__file__).resolve().parent.parent
    listener = socket.create_server(("127.0.0.1", 0))  # bound before gunicorn starts: requests wait, no polling
    production = {"DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "spplus.wsgi", "--config", "gunicorn.conf.py"]
        + ["--bind", f"fd://{listener.fileno()}", "--workers", "1", "--no-control-socket"],
        cwd=root,
        env={**os.environ, "SECRET_KEY": "bench-only-" + "x" * 50, **production},
        pass_fds=[listener.fileno()],
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/api/v1/experiences/?cursor={deep_cursor()}"
    try:
        timings = []
        for _ in range(runs + 3):  # 3 warm-ups
            cache.clear()  # the anonymous throttle counts in the shared cache
            started = time.perf_counter()
            with urlopen(url, timeout=60) as response:
                assert response.status == 200
                response.read()
            timings.append((time.perf_counter() - started) * 1000)
        timings = timings[3:]
        percentiles = statistics.quantiles(timings, n=100)
        depth = f"{DEPTH:,}".replace(",", " ")
        print(
            f"expériences, page {depth} (curseur), gunicorn : p50 {statistics.median(timings):.1f} ms   "
            f"p95 {percentiles[94]:.1f} ms   p99 {percentiles[98]:.1f} ms   max {max(timings):.1f} ms"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        listener.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["export"]:
        export()
    elif sys.argv[1:2] == ["api"]:
        arguments = sys.argv[2:]
        runs = [int(argument) for argument in arguments if argument.isdigit()]
        api(runs[0] if runs else 50, default_gc="--default-gc" in arguments)
    elif sys.argv[1:2] == ["gunicorn"]:
        through_gunicorn(int(sys.argv[2]) if len(sys.argv) > 2 else 300)
    else:
        sys.exit(__doc__)
