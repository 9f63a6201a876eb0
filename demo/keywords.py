"""Detection keywords for the typologies: curated for the common organisms, drawn from the name for the rest.

seed 000: « les organismes (typologies) sont automatiquement proposés suite à la détection des
mots clés associés aux typologies recherchés dans la description et le titre de l'expérience ».
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from structures.models import Typology

from .material import load
from .topics import TOPICS

# Words that never identify an organism alone: articles, and the administrative vocabulary that
# half the typology names share (« Direction », « Service », « régional »...): data/stopwords.json.
STOPWORDS = frozenset(load("stopwords"))
WORD = re.compile(r"[\w'’+-]+")
ELISION = re.compile(r"^[dlDL]['’]")


def normalize(text: str) -> str:
    """Lowercase without accents, to compare keywords the way the detection does."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


FOLDED_STOPWORDS = frozenset(normalize(word) for word in STOPWORDS)


def readable(name: str) -> str:
    """« COMMISSARIAT DE SECTEUR » → « commissariat de secteur »; mixed-case names keep their acronyms."""
    return name.lower() if name.isupper() else name


def name_keywords(name: str, word_counts: Counter, common_words: frozenset[str] = frozenset()) -> list[str]:
    """The typology's name as a phrase, plus its acronyms and rare long words no other typology name uses.

    Words of all-capitals names (« COMMISSARIAT DE SECTEUR ») are left out: « secteur » alone would
    suggest the police for any text that says « secteur ». So are words citizens use anyway
    (`common_words`, the real testimonies' vocabulary): « remboursement » names no organism.
    """
    keywords = [readable(name).strip()]
    if name.isupper():
        return keywords
    for word in WORD.findall(name):
        word = ELISION.sub("", word)
        is_acronym = word.isupper() and len(word) >= 3
        folded = normalize(word)
        is_rare = len(word) >= 7 and folded not in FOLDED_STOPWORDS and folded not in common_words
        if (is_acronym or is_rare) and word_counts[folded] == 1:
            keywords.append(word if is_acronym else word.lower())
    return keywords


def merge(existing: str, additions: Iterable[str]) -> str:
    """Union of keyword lines, existing ones first, without accent- or case-insensitive duplicates."""
    seen: set[str] = set()
    lines: list[str] = []
    for keyword in [*existing.splitlines(), *additions]:
        keyword = keyword.strip()
        if keyword and normalize(keyword) not in seen:
            seen.add(normalize(keyword))
            lines.append(keyword)
    return "\n".join(lines)


def keywords_for(typology_names: Iterable[str], common_words: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    names = list(typology_names)
    word_counts = Counter(normalize(ELISION.sub("", w)) for name in set(names) for w in set(WORD.findall(name)))
    result = {}
    for name in names:
        topic = TOPICS.get(name)
        result[name] = [*(topic.keywords if topic else ()), *name_keywords(name, word_counts, common_words)]
    return result


def add_typology_keywords(common_words: frozenset[str] = frozenset()) -> int:
    """Add the detection keywords to every typology (idempotent); returns how many typologies changed."""
    typologies = list(Typology.objects.only("pk", "name", "keywords"))
    wanted = keywords_for((t.name for t in typologies), common_words)
    changed = []
    for typology in typologies:
        keywords = merge(typology.keywords, wanted[typology.name])
        if keywords != typology.keywords:
            typology.keywords = keywords
            changed.append(typology)
    Typology.objects.bulk_update(changed, ["keywords"], batch_size=500)
    return len(changed)
