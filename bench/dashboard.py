"""p50 / p95 of the dashboard, cold (cache cleared before each run) and warm, and the PDF export time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench .venv/bin/python bench/dashboard.py [runs]

Scopes: a local structure, a department-level and a region-level structure with their subtrees, a whole
network and the whole country, each over the last 12 months. Requests go through Django's test Client
as a moderator (who may open every scope), so the time is the whole page: form, SQL, charts, template.
"""

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.timing import measure  # noqa: E402
from experiences.models import Assignment  # noqa: E402
from structures.models import Structure  # noqa: E402


def busiest(level: int) -> Structure:
    """The structure of this tree level whose subtree received the most routings."""
    counts = (
        Assignment.objects.filter(structure__level__gte=level)
        .values("structure__tree_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    tree_id = counts[0]["structure__tree_id"]
    candidates = Structure.objects.filter(tree_id=tree_id, level=level)
    return max(
        candidates[:50],
        key=lambda s: Assignment.objects.filter(
            structure__tree_id=s.tree_id, structure__lft__gte=s.lft, structure__rght__lte=s.rght
        ).count(),
    )


def cases() -> list[tuple[str, str]]:
    today = timezone.localdate()
    period = f"periode=personnalisee&du={today - datetime.timedelta(days=365)}&au={today}"
    local = Structure.objects.filter(
        pk=Assignment.objects.values("structure").annotate(n=Count("pk")).order_by("-n")[0]["structure"]
    ).get()
    region, department = busiest(1), busiest(2)
    network = local.network
    # The root with the most children (France services: 2,192): the widest ranking.
    widest = Structure.objects.filter(level=0).annotate(n=Count("children")).order_by("-n").first()
    return [
        ("local structure", f"/agents/tableau-de-bord/?{period}&structure={local.code}&filles=non"),
        ("department + children", f"/agents/tableau-de-bord/?{period}&structure={department.code}"),
        ("region + children", f"/agents/tableau-de-bord/?{period}&structure={region.code}"),
        (f"widest root ({widest.n} children)", f"/agents/tableau-de-bord/?{period}&structure={widest.code}"),
        (f"network ({network.name})", f"/agents/tableau-de-bord/?{period}&reseau={network.pk}"),
        ("national", f"/agents/tableau-de-bord/?{period}"),
    ]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    moderator = User.objects.filter(is_moderator=True, is_active=True).first()
    client = Client()
    client.force_login(moderator)
    # A running server has its templates, URLconf and chart library loaded: one untimed request first,
    # or the first cold run of the first scope pays for them (~0.4 s).
    client.get(cases()[0][1])
    print(
        f"{'scope':<40} {'cold p50':>9} {'cold p95':>9} {'cold SQL p50':>13} {'warm p50':>9} {'warm p95':>9}"
        f" {'queries':>8}"
    )
    for label, url in cases():
        cold = measure(client, url, runs, cold=True)
        warm = measure(client, url, runs * 3, cold=False)
        print(
            f"{label:<40} {cold['p50']:>9.0f} {cold['p95']:>9.0f} {cold['sql_p50']:>13.0f}"
            f" {warm['p50']:>9.0f} {warm['p95']:>9.0f}"
            f" {cold['queries']:>8}"
        )


if __name__ == "__main__":
    main()
