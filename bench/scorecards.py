"""Issue 20's public pages at a million experiences: a structure's 12 months beside its siblings, a network's
page and its ranking, an action's measured impact; warm (cached) and cold (cache cleared before each run).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python bench/scorecards.py [runs]

Run after `bench/seed_demo.sh` and the dashboards' rollup (`bench/dashboard_rollup.py --full`: seed_demo
does not build it, and without it every scorecard counts its year from the routing table). The cache is
Redis as in production when REDIS_URL is set. Cold means the scorecard's cache entries are gone: what the first
visitor of the day pays when beat has not warmed the page (beat warms networks and large subtrees).
"""

import os
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions.models import ImprovementAction  # noqa: E402
from bench import timing  # noqa: E402
from dashboards.selectors.scorecard import network_figures, structure_scorecard  # noqa: E402
from experiences.models import Assignment  # noqa: E402
from structures.models import Network, Structure  # noqa: E402


def cases() -> list[tuple[str, str]]:
    busiest_leaf = (
        Assignment.objects.filter(structure__children__isnull=True)
        .values("structure__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    root = (
        Assignment.objects.filter(structure__parent__isnull=True)
        .values("structure__code", "structure__network_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    middle = Structure.objects.filter(parent__isnull=False, children__isnull=False).order_by("-rght").first()
    found = [
        ("structure page, busiest local office", f"/structures/{busiest_leaf['structure__code']}/"),
        ("structure page, an intermediate level", f"/structures/{middle.code}/"),
        ("structure page, busiest network root", f"/structures/{root['structure__code']}/"),
        ("network page (ranking)", f"/reseaux/{root['structure__network_id']}/"),
    ]
    action = ImprovementAction.objects.filter(status="done", is_public=True).order_by("-pk").first()
    if action is not None:
        found.append(("action impact", f"/actions-amelioration/{action.pk}/effet/"))
    return found


def main() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    runs = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), "30"))
    client = Client()
    print("| page | cache | p50 ms | p95 ms | SQL p50 / p95 ms | SQL queries |\n|---|---|---|---|---|---|")
    for name, url in cases():
        for cold in (True, False):
            client.get(url)
            m = timing.measure(client, url, runs if not cold else max(5, runs // 3), cold=cold)
            print(
                f"| {name} (`{url}`) | {'froid' if cold else 'chaud'} | {m['p50']:.1f} | {m['p95']:.1f} "
                f"| {m['sql_p50']:.1f} / {m['sql_p95']:.1f} | {m['queries']} |",
                flush=True,
            )
    time_selectors(runs)


def time_selectors(runs: int) -> None:
    """The scorecards alone, computed without any cache (what a cold page adds to the rest of the page)."""
    today = timezone.localdate()
    print("\n| scorecard computed (no cache) | p50 ms | p95 ms | SQL p50 / p95 ms | SQL queries |")
    print("|---|---|---|---|---|")
    for name, url in cases():
        if url.startswith("/structures/"):
            structure = Structure.objects.get(code=url.split("/")[2])
            compute = partial(structure_scorecard, structure, today)
        elif url.startswith("/reseaux/"):
            compute = partial(network_figures, Network.objects.get(pk=int(url.split("/")[2])), today)
        else:
            continue
        m = timing.measure_call(compute, runs)
        print(
            f"| {name} | {m['p50']:.1f} | {m['p95']:.1f} | {m['sql_p50']:.1f} / {m['sql_p95']:.1f} | {m['queries']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
