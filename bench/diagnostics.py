"""Diagnostics: the consolidated results of a network root over 3,000 diagnostics, and a page save.

    createdb -h 127.0.0.1 -U postgres spplus_bench_diag
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench_diag .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench_diag .venv/bin/python bench/diagnostics.py [runs]

Loads the real structures referential if the database has none; gives 3,000 DGFiP structures a
completed diagnostic of this year (every answer, results computed by the same service as the Celery
task), and 1,000 of them an older one, so « the latest per structure » has something to leave out. Then,
in-process through the test Client, warm (2 requests first), `runs` requests a case (default 50):
the consolidated page as the network's referent (whole network, the root's descendants, with a
typology, with a year), and a questionnaire page saved as a draft by an agent. Prints p50 / p95 ms,
the SQL time and the number of queries of the last request.
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from diagnostics import services  # noqa: E402
from diagnostics.models import Answer, AnswerValue, Diagnostic, DiagnosticStatus  # noqa: E402
from structures.importers import import_structures  # noqa: E402
from structures.models import Membership, Network, Role, Structure  # noqa: E402

DIAGNOSED = 3_000
WITH_AN_OLDER_ONE = 1_000
REFERENTIAL = Path(__file__).resolve().parent.parent / "structures" / "data" / "export-structures.csv"
VALUES = [AnswerValue.YES, AnswerValue.MOSTLY, AnswerValue.PARTLY, AnswerValue.NO]


def completed(structure: Structure, version, questions, when: datetime.datetime, rng: random.Random) -> int:
    diagnostic = Diagnostic.objects.create(
        structure=structure,
        version=version,
        status=DiagnosticStatus.COMPLETED,
        created_at=when,
        updated_at=when,
        completed_at=when,
    )
    Answer.objects.bulk_create(
        Answer(
            diagnostic=diagnostic,
            question=question,
            value=AnswerValue.NOT_LOCAL if question.concerns_network and rng.random() < 0.1 else rng.choice(VALUES),
        )
        for question in questions
    )
    return diagnostic.pk


def load(network: Network) -> None:
    if Diagnostic.objects.filter(structure__network=network, status=DiagnosticStatus.COMPLETED).count() >= DIAGNOSED:
        return
    rng = random.Random(14)
    version = services.current_version()
    questions = list(version.questions.all())
    # Closed structures keep the diagnostics they made: the DGFiP's 3,418 below its root, 2,639 of them active.
    sites = list(Structure.objects.filter(network=network, level__gt=0).order_by("code")[:DIAGNOSED])
    assert len(sites) == DIAGNOSED, f"{network} has {len(sites)} structures below its root"
    now = timezone.now()
    start = time.perf_counter()
    created = []
    for index, structure in enumerate(sites):
        if index < WITH_AN_OLDER_ONE:
            created.append(completed(structure, version, questions, now - datetime.timedelta(days=400), rng))
        recently = now - datetime.timedelta(days=rng.randint(1, 300))
        created.append(completed(structure, version, questions, recently, rng))
    for pk in created:
        services.compute_results(pk)
    elapsed = time.perf_counter() - start
    print(f"loaded {len(created)} completed diagnostics with their results in {elapsed:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE diagnostics_diagnostic, diagnostics_answer")


def timed(request, runs: int) -> tuple[float, float, float, int]:
    for _ in range(2):
        request()
    timings = []
    for _ in range(runs):
        reset_queries()
        start = time.perf_counter()
        response = request()
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), response.status_code
    sql = sum(float(query["time"]) for query in connection.queries) * 1000
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18], sql, len(connection.queries)


def main() -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = True  # the query log gives the SQL column
    runs = int(next((arg for arg in sys.argv[1:] if arg.isdigit()), "50"))
    if not Structure.objects.exists():
        import_structures(REFERENTIAL)
    network = Network.objects.get(name="DGFIP")
    root = Structure.objects.get(network=network, level=0)
    load(network)

    referent, _ = User.objects.get_or_create(email="referent-diag@bench.invalid")
    Membership.objects.get_or_create(user=referent, structure=root, role=Role.REFERENT)
    client = Client()
    client.force_login(referent)
    url = reverse("agents:diagnostics_consolidated")
    typology = (
        Structure.objects.filter(network=network, diagnostics__isnull=False)
        .values_list("typology_id", flat=True)
        .order_by("typology_id")
        .first()
    )
    cases = [
        ("network, latest per structure", f"{url}?reseau={network.pk}"),
        ("root's descendants", f"{url}?structure={root.code}"),
        ("network + typology", f"{url}?reseau={network.pk}&typologie={typology}"),
        ("network + year", f"{url}?reseau={network.pk}&annee={timezone.localdate().year}"),
    ]
    print(f"{'case':40} {'p50 ms':>8} {'p95 ms':>8} {'SQL ms':>8} {'queries':>8}")
    for label, address in cases:
        p50, p95, sql, queries = timed(lambda address=address: client.get(address), runs)
        print(f"{label:40} {p50:8.1f} {p95:8.1f} {sql:8.1f} {queries:8}")

    site = Structure.objects.filter(network=network, is_active=True, diagnostics__isnull=True, level__gt=0).first()
    agent, _ = User.objects.get_or_create(email="agent-diag@bench.invalid")
    Membership.objects.get_or_create(user=agent, structure=site, role=Role.AGENT)
    draft = services.start_diagnostic(structure=site, by=agent)
    questions = list(draft.version.questions.filter(commitment=2))
    client.force_login(agent)
    page = reverse("agents:diagnostic_page", args=[draft.pk, 2])
    rng = random.Random(2)

    def save():
        data = {f"question_{q.pk}": rng.choice(VALUES) for q in questions}
        return client.post(page, {**data, "note": "Afficher les heures d'affluence.", "aller": "brouillon"})

    p50, p95, sql, queries = timed(save, runs)
    print(f"{'page save (draft, commitment 2)':40} {p50:8.1f} {p95:8.1f} {sql:8.1f} {queries:8}")


if __name__ == "__main__":
    main()
