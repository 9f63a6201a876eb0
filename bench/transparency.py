"""Transparency: a 100,000-row results file tested and executed, then /resultats/ over a million results.

    createdb -h 127.0.0.1 -U postgres spplus_bench_tra
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench_tra .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench_tra .venv/bin/python bench/transparency.py [runs]

Loads the real structures referential if the database has none, writes a file of 100,000 results for
the DGFiP (its structures × the nine common indicators × monthly periods), times Tester (validation
only) and Exécuter (validation again + writing, one transaction), with the process's peak memory;
then fills the results table up to a million rows and measures /resultats/ for a department
(p50 / p95 over `runs` requests, default 50, warm, in-process through the test Client).
"""

import datetime
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from common.bulk import Table, reset_sequences, vacuum_analyze, write  # noqa: E402
from structures.importers import import_structures  # noqa: E402
from structures.models import Membership, Network, Role, Structure  # noqa: E402
from transparency.models import Indicator, Result, new_result_code  # noqa: E402
from transparency.services import (  # noqa: E402
    RESULT_COLUMNS,
    dry_run_import,
    execute_import,
    forget_results,
    run_import,
)
from transparency.validation import COLUMNS  # noqa: E402

ROWS = 100_000
TARGET_RESULTS = 1_000_000
REFERENTIAL = Path(__file__).resolve().parent.parent / "structures" / "data" / "export-structures.csv"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def months(year: int = 2026, month: int = 10):
    """Month labels from (year, month) backwards."""
    while True:
        yield f"{year}-{month:02d}"
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)


def write_file(structures: list[Structure], path: Path) -> int:
    codes = list(Indicator.objects.filter(network=None).values_list("code", flat=True))
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(";".join(COLUMNS) + "\n")
        for period in months():
            for structure in structures:
                for code in codes:
                    handle.write(
                        f";DGFIP;;;{structure.code};;{code};{50 + written % 50},5;mensuelle;{period};01/11/2026\n"
                    )
                    written += 1
                    if written == ROWS:
                        return written
    return written


def fill_results(target: int) -> None:
    """Monthly results for every structure, older than those in place, until the table holds `target` rows.

    Written with COPY (common/bulk.py, as seed_demo does): a million rows in about a minute.
    """
    structures = list(Structure.objects.values_list("pk", flat=True))
    indicators = list(Indicator.objects.filter(network=None).values_list("pk", flat=True))
    table = Table(Result, ("id", *RESULT_COLUMNS))
    table.start_after_existing()
    oldest = Result.objects.order_by("period_start").values_list("period_start", flat=True).first()
    before = (oldest or datetime.date(2026, 11, 1)) - datetime.timedelta(days=1)
    missing = target - Result.objects.count()
    periods = months(before.year, before.month)
    updated = datetime.date(2026, 11, 1)
    while missing > 0:
        period = next(periods)
        year, month = int(period[:4]), int(period[5:])
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        rows = [
            (
                table.take_id(),
                new_result_code(),
                structure_id,
                indicator_id,
                75,
                "mensuelle",
                period,
                start,
                end,
                updated,
                None,
            )
            for structure_id in structures
            for indicator_id in indicators
        ][:missing]
        with transaction.atomic():
            write(table, rows)
        missing -= len(rows)
    reset_sequences([table])
    vacuum_analyze([table])
    forget_results()  # written without an import: the page's cached lists and drawings are stale


def measure(client: Client, url: str, runs: int) -> tuple[float, float, int]:
    for _ in range(2):
        client.get(url)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18], response.status_code


def time_import(network, referent, path: Path, rows: int, label: str) -> None:
    upload = SimpleUploadedFile("resultats.csv", path.read_bytes(), content_type="text/csv")
    start = time.perf_counter()
    record = dry_run_import(network=network, upload=upload, by=referent)
    tested = time.perf_counter() - start
    assert record.rows_in_error == 0, record.report["errors"][:3]
    start = time.perf_counter()
    execute_import(record=record, by=referent)  # without REDIS_URL, Celery is eager: the task runs here
    record.refresh_from_db()
    if record.status == "queued":
        run_import(record.pk)
        record.refresh_from_db()
    executed = time.perf_counter() - start
    counts = f"{record.created:,} created, {record.updated:,} updated, {record.left_unchanged:,} unchanged"
    print(f"| {label}: Tester (validation, nothing written) | {tested:.1f} s, {rows / tested:,.0f} rows/s |")
    print(f"| {label}: Exécuter (validation + writing) | {executed:.1f} s, {rows / executed:,.0f} rows/s, {counts} |")
    print(f"| peak memory of the process | {peak_mb():.0f} MB |", flush=True)


def main() -> None:
    """`--pages`: only fill the table and measure /resultats/ (the import already measured)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    runs = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), "50"))
    if not Structure.objects.exists():
        import_structures(REFERENTIAL)
    network = Network.objects.get(name="DGFIP")
    root = Structure.objects.get(network=network, level=0)
    referent, _ = User.objects.get_or_create(email="referent@bench.invalid")
    Membership.objects.get_or_create(user=referent, structure=root, role=Role.REFERENT)
    if "--pages" not in sys.argv:
        # A first import into a table without this file's results, then the same file again (all unchanged).
        Result.objects.filter(source_import__uploaded_by=referent).delete()
        # An earlier run's rows, deleted: vacuumed so the unique index holds no dead entries for the same keys
        # (autovacuum may be off, DESIGN.md), as a first import into a table never holding them would find.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE transparency_result")
        sites = list(Structure.objects.filter(network=network, is_active=True).order_by("code"))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "resultats.csv"
            rows = write_file(sites, path)
            print(f"| file | {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB |")
            time_import(network, referent, path, rows, "first import")
            time_import(network, referent, path, rows, "same file again")
    fill_results(TARGET_RESULTS)
    print(f"| results in the table | {Result.objects.count():,} |", flush=True)
    client = Client()
    for name, url in (
        ("department (Rhône)", "/resultats/?departement=69"),
        ("city (Lyon)", "/resultats/?ville=Lyon"),
        ("no filter", "/resultats/"),
    ):
        p50, p95, status = measure(client, url, runs)
        print(f"| /resultats/ {name} | p50 {p50:.1f} ms | p95 {p95:.1f} ms | {status} |", flush=True)


if __name__ == "__main__":
    main()
