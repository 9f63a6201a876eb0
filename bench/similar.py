"""Similar experiences (issue 19): quality on labelled pairs, and speed of the share form's and agents' suggestions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_sim .venv/bin/python bench/similar.py quality
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench .venv/bin/python bench/similar.py quality
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/spplus_bench .venv/bin/python bench/similar.py speed [runs]

The labelled set is bench/data/similar_pairs.json: texts written for the bench, each paired with one
of the 300 real experiences (experiences/data): « same » (another citizen telling the same story in
other words) or « different » (the same service, another story). Each text is a query with its
original's typologies, as a citizen who ticked the same service; the original must be in the
database (`seed_demo` loads the 300; `--experiences 0` for them alone). Quality prints, per
threshold: the precision of what is shown (a suggestion is right when it is the pair's original),
the share of « same » texts whose original is among the three shown, the share of « different »
texts shown anything, and the pairs' accuracy.

Speed times the share form's live endpoint (the whole request) over the same texts, and the agents'
answer suggestions for waiting experiences, p50 / p95 and queries, warm.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spplus.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from experiences.models import Assignment, Experience, ExperienceTypology  # noqa: E402
from experiences.selectors.answer_suggestions import answer_suggestions  # noqa: E402
from experiences.similar import SIMILARITY_THRESHOLD, frequencies, similar_experiences  # noqa: E402

PAIRS = Path(__file__).resolve().parent / "data" / "similar_pairs.json"
THRESHOLDS = (0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50)


def labelled_queries() -> list[dict]:
    items = json.loads(PAIRS.read_text())["items"]
    originals = dict(
        Experience.objects.filter(public_id__in=[int(i["original_id"]) for i in items]).values_list("public_id", "pk")
    )
    typologies: dict[int, list[int]] = {}
    for experience_id, typology_id in ExperienceTypology.objects.filter(
        experience_id__in=originals.values(), typology__isnull=False
    ).values_list("experience_id", "typology_id"):
        typologies.setdefault(experience_id, []).append(typology_id)
    queries = []
    for item in items:
        pk = originals.get(int(item["original_id"]))
        if pk is None or pk not in typologies:
            continue
        queries.append({**item, "original_pk": pk, "typology_ids": typologies[pk]})
    return queries


def quality() -> None:
    queries = labelled_queries()
    frequencies()
    for query in queries:
        found = similar_experiences(query["title"], query["description"], query["typology_ids"], threshold=0.0)
        query["found"] = [(m.experience.pk, m.score) for m in found]
    same = [q for q in queries if q["label"] == "same"]
    different = [q for q in queries if q["label"] == "different"]
    print(f"{len(queries)} paires étiquetées ({len(same)} « same », {len(different)} « different »)")
    print("seuil  précision@3  doublons trouvés  « different » avec suggestion  justesse des paires  montrées")
    for threshold in THRESHOLDS:
        shown = right = 0
        found_same = 0
        alarms = 0
        for query in queries:
            kept = [pk for pk, score in query["found"] if score >= threshold]
            shown += len(kept)
            hit = query["original_pk"] in kept
            if query["label"] == "same":
                right += hit
                found_same += hit
            else:
                alarms += bool(kept)
        correct_pairs = found_same + sum(q["original_pk"] not in _kept(q, threshold) for q in different)
        precision = right / shown if shown else 0.0
        marker = "  ← retenu" if abs(threshold - SIMILARITY_THRESHOLD) < 1e-9 else ""
        print(
            f"{threshold:5.2f}  {precision:11.2f}  {found_same / len(same):16.2f}"
            f"  {alarms / len(different):29.2f}  {correct_pairs / len(queries):19.2f}  {shown:7d}{marker}"
        )
    for difficulty in sorted({q.get("difficulty", "") for q in same}):
        group = [q for q in same if q.get("difficulty") == difficulty]
        hits = sum(q["original_pk"] in _kept(q, SIMILARITY_THRESHOLD) for q in group)
        print(f"« same » {difficulty or '-'} : {hits}/{len(group)} trouvés au seuil {SIMILARITY_THRESHOLD}")


def _kept(query: dict, threshold: float) -> list[int]:
    return [pk for pk, score in query["found"] if score >= threshold]


def percentiles(timings: list[float]) -> str:
    return f"p50 {statistics.median(timings):.0f} ms, p95 {statistics.quantiles(timings, n=20)[18]:.0f} ms"


def speed(runs: int) -> None:
    queries = labelled_queries()
    client = Client()
    # One client asks more than a citizen's rate allows: the limit is not what is measured.
    settings.RATELIMIT_ENABLE = False
    frequencies()
    timings, counts = [], []
    for round_ in range(runs + 1):
        for query in queries:
            params = {"title": query["title"], "description": query["description"], "typologies": query["typology_ids"]}
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get("/experiences/partager/semblables/", params)
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, response.status_code
            if round_:  # the first round warms the caches
                timings.append(elapsed)
                counts.append(len(captured.captured_queries))
    print(f"suggestions du formulaire (GET /experiences/partager/semblables/, {len(timings)} requêtes) :")
    print(f"  {percentiles(timings)}, max {max(timings):.0f} ms, {max(counts)} requêtes SQL au plus")

    waiting = list(
        Assignment.objects.filter(experience__moderation_state="published", response_status="awaiting")
        .select_related("experience", "structure")
        .order_by("-pk")[:100]
    )
    timings, found = [], 0
    for round_ in range(2):
        for assignment in waiting:
            start = time.perf_counter()
            suggestions = answer_suggestions(assignment.experience, assignment)
            if round_:
                timings.append((time.perf_counter() - start) * 1000)
                found += bool(suggestions)
    print(f"réponses suggérées aux agents ({len(waiting)} orientations en attente, {found} avec au moins une) :")
    print(f"  {percentiles(timings)}, max {max(timings):.0f} ms")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "quality"
    if mode == "quality":
        quality()
    else:
        speed(int(sys.argv[2]) if len(sys.argv) > 2 else 3)
