"""p50 / p95, SQL time and queries of the moderation queue, a local agent's « à traiter » list and a network
root's public page, cold (cache cleared before each request) and warm.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench \
        .venv/bin/python bench/agent_pages.py [runs] [words…] [--explain]

Requests go through Django's test Client, signed in as the demo moderator (the queue), the demo agent (its
local tax office's list) or anonymous (the public page), so the time is the whole request: middleware,
form, SQL, template. The SQL columns sum the queries' own times (DEBUG's query log; run with the default
DEBUG=true): that sum is the floor the page cannot go under without changing its queries. --explain prints
EXPLAIN (ANALYZE, BUFFERS) of every query of every case instead; words keep the cases whose name holds one.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.timing import explain, measure  # noqa: E402
from demo.accounts import DEMO_DOMAIN  # noqa: E402
from experiences.models import Assignment  # noqa: E402
from structures.models import Structure  # noqa: E402


def busiest_root() -> Structure:
    """The network root whose tree received the most routings: the widest public page."""
    tree_id = (
        Assignment.objects.values("structure__tree_id").annotate(n=Count("pk")).order_by("-n")[0]["structure__tree_id"]
    )
    return Structure.objects.get(tree_id=tree_id, level=0)


def cases() -> list[tuple[str, str, User | None]]:
    moderator = User.objects.get(email=f"moderateur@{DEMO_DOMAIN}")
    agent = User.objects.get(email=f"agent@{DEMO_DOMAIN}")
    referent = User.objects.get(email=f"referent@{DEMO_DOMAIN}")
    root = busiest_root()
    return [
        ("moderation queue (moderator)", "/admin/experiences/experiencetomoderate/", moderator),
        ("agent list « à traiter » (local agent)", "/agents/experiences/?etat=a-traiter", agent),
        ("agent list, all (local agent)", "/agents/experiences/", agent),
        ("agent list, most urgent first (local agent)", "/agents/experiences/?etat=a-traiter&tri=echeance", agent),
        ("agent list « en retard » (local agent)", "/agents/experiences/?retard=on", agent),
        ("agent list, most urgent first (referent)", "/agents/experiences/?etat=a-traiter&tri=echeance", referent),
        ("agent list « en retard » (referent)", "/agents/experiences/?retard=on", referent),
        (f"network root public page ({root.code})", f"/structures/{root.code}/", None),
    ]


def main() -> None:
    # The test Client's host; not setup_test_environment(), whose template instrumentation costs time.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    runs = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), "30"))
    print(
        "| page | cold p50 / p95 ms | cold SQL p50 / p95 ms | cold queries "
        "| warm p50 / p95 ms | warm SQL p50 / p95 ms | warm queries |\n|---|---|---|---|---|---|---|"
    )
    only = [arg for arg in sys.argv[1:] if not arg.isdigit() and not arg.startswith("--")]
    for name, url, user in cases():
        if only and not any(word in name for word in only):
            continue
        client = Client()
        if user is not None:
            client.force_login(user)
        # One untimed request: a running server has its templates and URLconf loaded.
        client.get(url)
        if "--explain" in sys.argv:
            print(f"### {name}: {url}")
            explain(client, url)
            continue
        cold = measure(client, url, runs, cold=True)
        warm = measure(client, url, runs, cold=False)
        print(
            f"| {name} | {cold['p50']:.0f} / {cold['p95']:.0f} | {cold['sql_p50']:.0f} / {cold['sql_p95']:.0f} "
            f"| {cold['queries']} | {warm['p50']:.0f} / {warm['p95']:.0f} "
            f"| {warm['sql_p50']:.0f} / {warm['sql_p95']:.0f} | {warm['queries']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
