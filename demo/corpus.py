"""The 300 real experiences, cleaned and cut into sentences the demo recombines into new testimonies.

The shipped sample was re-saved through CP1252/Latin-1 (data/spplus/README.md): C1 control
characters stand for ’ € … « » œ, some apostrophes are lost (« Jai ») and some sentences are glued
(« BonjourIl », « fin.Je »). Sentences naming a place or a person stay with their organism, and
sentences that name no organism become generic material for any organism.
"""

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import experiences

from .keywords import normalize
from .topics import TOPICS

# The real testimonies the importer loads too; they stay with the experiences app that imports them.
SAMPLE_PATH = Path(experiences.__file__).resolve().parent / "data" / "experiences-sample-300.csv"
FEELINGS = {"Positif": "positive", "Neutre": "neutral", "Négatif": "negative"}

LETTER = "A-Za-zÀ-ÖØ-öø-ÿœŒ"
WORD = re.compile(rf"[{LETTER}]+")
ELIDED = re.compile(rf"\b(qu|[ldjmnstc])['’]([{LETTER}]+)", re.IGNORECASE)
C1 = re.compile("[\x80-\x9f]")
GLUED_SENTENCE = re.compile(r"([a-zà-ÿ0-9)][.!?])([A-ZÀ-ÝÉ])")
GLUED_GREETING = re.compile(r"^(Bonjour|Madame, Monsieur|Madame|Monsieur),?(?=[A-ZÀ-Ý])")
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÝÉ«\"])|\n+")
PROPER_NOUN = re.compile(r"(?<![.!?:]\s)\b[A-ZÀ-Ý][a-zà-ÿ]+")
CAPITALISED = re.compile(r"(?<![.!?:]\s)\b[A-ZÀ-Ý][a-zà-ÿ]+|\b[A-Z]{2,}\b")
# Addresses, phone numbers, markup, and words glued by a lost line break (« mailLe »).
UNWANTED = re.compile(r"@|https?:|www\.|\.fr\b|_|>|\[|\d{5,}|\d\d[ .]\d\d[ .]\d\d|[a-zà-ÿ][A-ZÀ-Ý][a-zà-ÿ]")
DIGIT = re.compile(r"\d")
GREETING = re.compile(r"^(bonjour|bonsoir|madame, monsieur)\s*,?\s*", re.I)
SALUTATION = re.compile(r"^(bonjour|bonsoir|madame|monsieur|cordialement|merci|bien cordialement)\W*$", re.I)


@dataclass
class Corpus:
    """Real material by feeling: generic sentences, and sentences and titles tied to an organism."""

    generic: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_topic: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    topic_titles: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    vocabulary: frozenset[str] = frozenset()  # every word of the real testimonies, without accents


def decode_c1(text: str) -> str:
    return C1.sub(lambda m: m.group().encode("latin-1").decode("cp1252", errors="ignore"), text)


def lost_apostrophes(texts: list[str]) -> dict[str, str]:
    """Words written far more often with an apostrophe than without (« jai » → « j'ai »)."""
    plain, elided = Counter(), Counter()
    for text in texts:
        for match in ELIDED.finditer(text):
            elided[(match.group(1) + match.group(2)).lower()] += 1
        plain.update(w.lower() for w in WORD.findall(ELIDED.sub(" ", text)))
    fixes = {}
    for word, count in plain.items():
        if elided[word] >= 10 * count:
            cut = 2 if word.startswith("qu") else 1
            fixes[word] = f"{word[:cut]}'{word[cut:]}"
    return fixes


def clean(text: str, fixes: dict[str, str]) -> str:
    text = decode_c1(text).replace("\xa0", " ").replace("’", "'").replace("´", "'").replace("\r", "")
    text = GLUED_GREETING.sub(r"\1,\n", text.strip())
    text = GLUED_SENTENCE.sub(r"\1 \2", text)
    if fixes:
        text = WORD.sub(lambda m: _restore(m.group(), fixes), text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _restore(word: str, fixes: dict[str, str]) -> str:
    fixed = fixes.get(word.lower())
    if fixed is None:
        return word
    return fixed[0].upper() + fixed[1:] if word[0].isupper() else fixed


def topic_keywords() -> list[tuple[str, re.Pattern]]:
    """One pattern per curated topic, matching its keywords as whole words without accents."""
    patterns = []
    for name, topic in TOPICS.items():
        words = sorted((normalize(k) for k in topic.keywords), key=len, reverse=True)
        patterns.append((name, re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b")))
    return patterns


def topics_named(text: str, patterns: list[tuple[str, re.Pattern]]) -> set[str]:
    plain = normalize(text)
    return {name for name, pattern in patterns if pattern.search(plain)}


def is_usable(sentence: str) -> bool:
    return (
        25 <= len(sentence) <= 320
        and sentence[0].isupper()
        and sentence[-1] in ".!?…"
        and not UNWANTED.search(sentence)
        and not SALUTATION.match(sentence)
        and sentence.count("(") == sentence.count(")")
        and sentence.count('"') % 2 == 0
    )


def is_usable_title(title: str) -> bool:
    """A real title reused for another structure of the same organism names no place and no number."""
    return (
        8 <= len(title) <= 120
        and not title.isupper()
        and not UNWANTED.search(title)
        and not DIGIT.search(title)
        and not PROPER_NOUN.search(title[1:])
    )


def names_someone_or_somewhere(sentence: str) -> bool:
    """A capitalised word inside a sentence is a place, a person or an organism: not generic."""
    return bool(CAPITALISED.search(sentence[1:]))


def distinctive_words(rows: list[tuple[str, str]]) -> set[str]:
    """Words that belong to one organism's stories (« voter » for consulates), from (organism, text) pairs.

    A word used in several experiences, three quarters of them about the same organism, would make
    a sentence about another organism sound wrong.
    """
    documents: dict[str, Counter] = defaultdict(Counter)
    for source, text in rows:
        for word in {normalize(w) for w in WORD.findall(text) if len(w) >= 4}:
            documents[word][source] += 1
    distinctive = set()
    for word, sources in documents.items():
        total = sum(sources.values())
        source, count = sources.most_common(1)[0]
        if total >= 2 and source and count >= 0.75 * total:
            distinctive.add(word)
    return distinctive


def is_generic(text: str, distinctive: set[str]) -> bool:
    if names_someone_or_somewhere(text) or DIGIT.search(text):
        return False  # places, people, dates and amounts belong to one story
    return not any(normalize(w) in distinctive for w in WORD.findall(text) if len(w) >= 4)


def _file(pools, generic_pool, text: str, feeling: str, source_topic: str | None, patterns, distinctive) -> None:
    """File under the organism the text names, else generic when nothing ties it to one story."""
    named = topics_named(text, patterns)
    if len(named) > 1:
        return
    if named:
        pools[named.pop()][feeling].append(text)
    elif generic_pool is not None and is_generic(text, distinctive):
        generic_pool[feeling].append(text)
    elif source_topic:
        pools[source_topic][feeling].append(text)


@lru_cache(maxsize=4)
def load_corpus(path: Path = SAMPLE_PATH) -> Corpus:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("Ressenti usager") in FEELINGS]
    raw = [decode_c1(f"{r['Titre']}\n{r['Description']}") for r in rows]
    fixes = lost_apostrophes(raw)
    sources = [decode_c1(r.get("Intitulé Typologie 1", "")).strip() for r in rows]
    distinctive = distinctive_words(list(zip(sources, raw, strict=True)))
    patterns = topic_keywords()
    corpus = Corpus(vocabulary=frozenset(normalize(w) for text in raw for w in WORD.findall(text)))
    for row, source in zip(rows, sources, strict=True):
        feeling = FEELINGS[row["Ressenti usager"]]
        topic = source if source in TOPICS else None
        title = clean(row["Titre"], fixes).rstrip(" .")
        if is_usable_title(title):
            _file(corpus.topic_titles, None, title, feeling, topic, patterns, distinctive)
        for sentence in SENTENCE_END.split(clean(row["Description"], fixes)):
            sentence = GREETING.sub("", sentence.strip(" -–"))
            if is_usable(sentence) and len(sentence) <= 240:
                _file(corpus.by_topic, corpus.generic, upper_first(sentence), feeling, topic, patterns, distinctive)
    return corpus


def upper_first(text: str) -> str:
    return text[0].upper() + text[1:]
