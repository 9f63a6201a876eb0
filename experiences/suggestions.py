"""Typologies suggested from the detection keywords found in an experience's title and description.

seed 000: « les organismes (typologies) sont automatiquement proposés suite à la détection des mots
clés associés aux typologies recherchés dans la description et le titre de l'expérience ».
"""

import re
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from structures.models import Typology

WORD = re.compile(r"\w+")
# Each web process keeps the compiled index; an edit in this process drops it at once, other
# replicas rebuild it within INDEX_TTL seconds.
INDEX_TTL = 300


def words(text: str) -> tuple[str, ...]:
    """Lowercase words without accents: « Préfecture d'Évry » → ("prefecture", "d", "evry")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return tuple(WORD.findall("".join(c for c in decomposed if not unicodedata.combining(c))))


@dataclass(frozen=True)
class KeywordIndex:
    # First word of a keyword → the keywords starting with it, as (all words, typology id).
    by_first_word: dict[str, list[tuple[tuple[str, ...], int]]]
    built_at: float

    def matches(self, text: str) -> Counter:
        """Typology id → number of keyword occurrences in the text (phrases match word for word)."""
        tokens = words(text)
        counts: Counter = Counter()
        for position, token in enumerate(tokens):
            for keyword, typology_id in self.by_first_word.get(token, ()):
                if tokens[position : position + len(keyword)] == keyword:
                    counts[typology_id] += 1
        return counts


_index: KeywordIndex | None = None


def build_index() -> KeywordIndex:
    by_first_word = defaultdict(list)
    for typology_id, keywords in Typology.objects.exclude(keywords="").values_list("pk", "keywords"):
        for keyword in {words(line) for line in keywords.splitlines()}:
            if keyword:
                by_first_word[keyword[0]].append((keyword, typology_id))
    return KeywordIndex(dict(by_first_word), time.monotonic())


def keyword_index() -> KeywordIndex:
    global _index
    if _index is None or time.monotonic() - _index.built_at > INDEX_TTL:
        _index = build_index()
    return _index


def clear_index(**kwargs) -> None:
    global _index
    _index = None


post_save.connect(clear_index, sender=Typology, dispatch_uid="suggestions_clear_index_on_save")
post_delete.connect(clear_index, sender=Typology, dispatch_uid="suggestions_clear_index_on_delete")


def suggest_typologies(text: str, limit: int = 5) -> list[Typology]:
    """The typologies whose keywords occur in the text, most matches first (then by name)."""
    counts = keyword_index().matches(text)
    if not counts:
        return []
    found = {t.pk: t for t in Typology.objects.filter(pk__in=counts)}
    ranked = sorted(found.values(), key=lambda t: (-counts[t.pk], t.name, t.pk))
    return ranked[:limit]
