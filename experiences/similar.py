"""Published experiences that tell the same story as a text: offered before posting, and to agents before answering.

A story is its informative words. Each text becomes a set of lexemes (PostgreSQL's `french_unaccent`
configuration, the search's; on SQLite a light stemmer), weighed by how rare each lexeme is among
published experiences (inverse document frequency). Two texts are as similar as the cosine of those
weighted sets. PostgreSQL finds the candidates with the GIN index of `search_vector`: experiences that
share at least two of the text's rarest lexemes (a tsquery of pairs, so a common word alone never pulls
in half the table), ranked by `ts_rank_cd`; the best few are then scored here. The thresholds come from
the labelled pairs of bench/similar.py (bench/README.md).
"""

import itertools
import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BooleanField, CharField, Exists, FloatField, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.text import Truncator

from experiences import sqlite_search
from experiences.models import Experience, ExperienceStatus, ExperienceTypology

# Chosen on bench/similar.py's labelled pairs (bench/README.md): below it, a suggestion is more often
# another story than the same one.
SIMILARITY_THRESHOLD = 0.20
SUGGESTED = 3
# The rarest lexemes of the text that candidates must share two of; 8 gives 28 pairs.
RAREST = 8
# A lexeme in more than this share of experiences (« dossier », « bonjour ») tells no story apart: it
# never selects candidates, though it still counts in the score.
COMMON_SHARE = 0.005
COMMON_FLOOR = 50
# Candidates scored in Python, the best by ts_rank_cd first.
CANDIDATES = 20
# Document frequencies come from a sample of this many published experiences, kept per process.
SAMPLE_SIZE = 20_000
FREQUENCIES_TTL = 6 * 3600
EXCERPT_CHARS = 220

LEXEMES_SQL = "SELECT tsvector_to_array(to_tsvector('public.french_unaccent', %s))"


@dataclass(frozen=True)
class SimilarExperience:
    experience: Experience
    score: float

    @property
    def excerpt(self) -> str:
        return Truncator(self.experience.description).chars(EXCERPT_CHARS)

    @property
    def is_answered(self) -> bool:
        return self.experience.status != ExperienceStatus.AWAITING


@dataclass(frozen=True)
class Frequencies:
    """How many sampled published experiences hold each lexeme, out of `documents`."""

    counts: dict[str, int]
    documents: int
    loaded_at: float

    def idf(self, lexeme: str) -> float:
        return math.log((self.documents + 1) / (self.counts.get(lexeme, 0) + 1)) + 1.0


_frequencies: Frequencies | None = None
_frequencies_lock = threading.Lock()


def lexemes_of(text: str) -> frozenset[str]:
    """The text's lexemes as the experiences' search vector holds them."""
    if connection.vendor == "sqlite":
        return frozenset(sqlite_search.stems(text))
    with connection.cursor() as cursor:
        cursor.execute(LEXEMES_SQL, [text])
        return frozenset(cursor.fetchone()[0])


def frequencies() -> Frequencies:
    """Document frequencies of lexemes, from a sample of published experiences, refreshed every few hours."""
    global _frequencies
    current = _frequencies
    if current is not None and time.monotonic() - current.loaded_at < FREQUENCIES_TTL:
        return current
    with _frequencies_lock:
        if _frequencies is None or time.monotonic() - _frequencies.loaded_at >= FREQUENCIES_TTL:
            _frequencies = _load_frequencies()
        return _frequencies


def forget_frequencies() -> None:
    global _frequencies
    _frequencies = None


def _load_frequencies() -> Frequencies:
    if connection.vendor == "sqlite":
        counts: dict[str, int] = {}
        texts = Experience.objects.published().order_by("-published_at").values_list("title", "description")
        documents = 0
        for title, description in texts[:SAMPLE_SIZE].iterator():
            documents += 1
            for stem in set(sqlite_search.stems(f"{title}\n{description}")):
                counts[stem] = counts.get(stem, 0) + 1
        return Frequencies(counts, documents, time.monotonic())
    with connection.cursor() as cursor:
        # The planner's row estimate is enough to size the sample; TABLESAMPLE keeps it one pass of few pages.
        cursor.execute(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = 'experiences_experience'::regclass"
        )
        estimated = cursor.fetchone()[0] or 0
        percent = 100.0 if estimated <= SAMPLE_SIZE else max(0.01, 100.0 * SAMPLE_SIZE / estimated)
        sample = (
            "SELECT search_vector FROM experiences_experience"
            f" TABLESAMPLE SYSTEM ({percent:.4f}) WHERE moderation_state = 'published'"
        )
        cursor.execute("SELECT count(*) FROM (" + sample + ") AS s")
        documents = cursor.fetchone()[0]
        cursor.execute("SELECT word, ndoc FROM ts_stat(%s)", [sample])
        counts = dict(cursor.fetchall())
    return Frequencies(counts, documents, time.monotonic())


def similarity(query: frozenset[str], candidate: Iterable[str], weights: Frequencies) -> float:
    """Cosine of the two lexeme sets, each lexeme weighed by its rarity."""
    candidate = frozenset(candidate)
    shared = query & candidate
    if not shared:
        return 0.0
    dot = sum(weights.idf(w) ** 2 for w in shared)
    norm_query = math.sqrt(sum(weights.idf(w) ** 2 for w in query))
    norm_candidate = math.sqrt(sum(weights.idf(w) ** 2 for w in candidate))
    return dot / (norm_query * norm_candidate)


def similar_experiences(
    title: str,
    description: str,
    typology_ids: Sequence[int] = (),
    department_code: str = "",
    *,
    limit: int = SUGGESTED,
    threshold: float = SIMILARITY_THRESHOLD,
) -> list[SimilarExperience]:
    """Up to `limit` published experiences telling the same story, for the same typologies and department.

    Without a typology there is no « same service » to compare with: nothing is offered."""
    text = f"{title}\n{description}".strip()
    if not text or not typology_ids:
        return []
    candidates = Experience.objects.published().filter(
        Exists(ExperienceTypology.objects.filter(experience=OuterRef("pk"), typology_id__in=list(typology_ids)))
    )
    if department_code:
        candidates = candidates.filter(department_id=department_code)
    return best_matches(text, candidates, limit=limit, threshold=threshold)


def best_matches(
    text: str, candidates: QuerySet[Experience], *, limit: int, threshold: float
) -> list[SimilarExperience]:
    """The candidates closest to the text, best first, above the threshold."""
    query = lexemes_of(text)
    if not query:
        return []
    weights = frequencies()
    scored = [
        SimilarExperience(experience, similarity(query, lexemes, weights))
        for experience, lexemes in _nearest(query, candidates, weights)
    ]
    scored = [match for match in scored if match.score >= threshold and match.score > 0]
    scored.sort(key=lambda match: (-match.score, -match.experience.pk))
    return scored[:limit]


def _nearest(
    query: frozenset[str], candidates: QuerySet[Experience], weights: Frequencies
) -> list[tuple[Experience, Iterable[str]]]:
    fields = ("pk", "public_id", "title", "description", "published_at", "status", "me_too_count")
    if connection.vendor == "sqlite":
        # `make run`'s few thousand experiences: the newest of the typology, scored in Python.
        rows = candidates.order_by("-published_at", "-pk").only(*fields)[: CANDIDATES * 25]
        return [(e, sqlite_search.stems(f"{e.title}\n{e.description}")) for e in rows]
    rarest = _rarest_known(query, weights)
    if not rarest:
        return []
    pairs = " | ".join(f"({_quoted(a)} & {_quoted(b)})" for a, b in itertools.combinations(rarest, 2))
    # ts_rank over the rare words only, and the lexeme arrays of the best few only: ranking thousands of
    # matches against every word of the text, or unpacking every match's vector, cost a second (EXPLAIN).
    ranked = (
        candidates.filter(
            RawSQL("search_vector @@ %s::tsquery", [pairs or _quoted(rarest[0])], output_field=BooleanField())
        )
        .annotate(
            rank=RawSQL(
                "ts_rank(search_vector, %s::tsquery)", [" | ".join(map(_quoted, rarest))], output_field=FloatField()
            )
        )
        .order_by("-rank", "-pk")
        .values("pk")[:CANDIDATES]
    )
    rows = (
        Experience.objects.filter(pk__in=ranked)
        .annotate(lexemes=RawSQL("tsvector_to_array(search_vector)", [], output_field=ArrayField(CharField())))
        .only(*fields)
    )
    return [(e, e.lexemes) for e in rows]


def _rarest_known(query: frozenset[str], weights: Frequencies) -> list[str]:
    """The query's rarest lexemes that published experiences use: a word no sampled text holds (a typo,
    a name) would pair with nothing."""
    by_rarity = sorted(query, key=lambda w: (-weights.idf(w), w))
    # A small database (a new platform, `make run`) has no common words to fear yet.
    ceiling = max(COMMON_SHARE * weights.documents, COMMON_FLOOR)
    known = [w for w in by_rarity if 0 < weights.counts.get(w, 0) <= ceiling]
    return (known if len(known) >= 2 else [w for w in by_rarity if weights.counts.get(w, 0) <= ceiling])[:RAREST]


def _quoted(lexeme: str) -> str:
    """A lexeme as a tsquery operand: quoted, its quotes and backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
