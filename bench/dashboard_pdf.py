"""Time of one dashboard PDF export (figures, charts, WeasyPrint with DSFR's CSS), cold cache, by scope.

DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench .venv/bin/python bench/dashboard_pdf.py
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.utils import timezone  # noqa: E402

from dashboards.export_files import dashboard_pdf  # noqa: E402
from dashboards.report import build_report  # noqa: E402
from dashboards.selectors.figures import DashboardScope  # noqa: E402
from structures.models import Structure  # noqa: E402


def main() -> None:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    region = Structure.objects.filter(level=1).order_by("pk").first()
    for label, scope in (
        ("region + children", DashboardScope(start=start, end=today, structure=region)),
        ("national", DashboardScope(start=start, end=today)),
    ):
        cache.clear()
        began = time.perf_counter()
        report = build_report(scope)
        figures = time.perf_counter()
        pdf = dashboard_pdf(report, generated_at=timezone.now())
        ended = time.perf_counter()
        print(
            f"{label:<20} figures {1000 * (figures - began):7.0f} ms   PDF {1000 * (ended - figures):7.0f} ms"
            f"   {len(pdf) // 1024} KiB"
        )


if __name__ == "__main__":
    main()
