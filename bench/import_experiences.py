"""`import_experiences` on a file of N rows: the 300 real experiences repeated with fresh public ids.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench_imp .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench_imp .venv/bin/python bench/import_experiences.py [N]

Loads the real structures referential if the database has none, writes the file (default 21,000 rows,
the size issue 21 measured), deletes what an earlier run imported, then times the import (every row
created) and the same file again (every row unchanged), with the process's peak memory.
"""

import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from experiences.importers import import_experiences  # noqa: E402
from experiences.models import Experience  # noqa: E402
from structures.importers import import_structures  # noqa: E402
from structures.models import Structure  # noqa: E402

SAMPLE = ROOT / "experiences" / "data" / "experiences-sample-300.csv"
REFERENTIAL = ROOT / "structures" / "data" / "export-structures.csv"
# Above the real export's ids, so the bench's rows are told from the sample's and deleted before a run.
FIRST_ID = 5_000_000


def write_file(path: Path, rows: int) -> None:
    with open(SAMPLE, encoding="utf-8-sig", newline="") as handle:
        header, *sample = list(csv.reader(handle))
    public_id = header.index("ID expérience")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number in range(rows):
            cells = list(sample[number % len(sample)])
            cells[public_id] = str(FIRST_ID + number)
            writer.writerow(cells)


def main() -> None:
    rows = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), "21000"))
    if not Structure.objects.exists():
        import_structures(REFERENTIAL)
    Experience.objects.filter(public_id__gte=FIRST_ID, public_id__lt=FIRST_ID + rows).delete()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "experiences.csv"
        write_file(path, rows)
        for label in ("first import", "same file again"):
            start = time.perf_counter()
            report = import_experiences(path)
            elapsed = time.perf_counter() - start
            assert report.ok, report.errors[:3]
            print(f"| {label} | {rows:,} rows, {elapsed:.1f} s, {rows / elapsed:,.0f} rows/s | {report.summary()} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| peak memory of the process | {peak:.0f} MB |")


if __name__ == "__main__":
    main()
