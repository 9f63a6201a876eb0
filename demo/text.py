"""French texts of the demo: testimonies rebuilt from real sentences, responses and notes from templates.

Every function draws from the `random.Random` it is given, so a seed gives the same texts.
"""

import math
import random
import re
import unicodedata
from dataclasses import dataclass

from experiences.models import DESCRIPTION_MAX_LENGTH, DESCRIPTION_MIN_LENGTH, TITLE_MAX_LENGTH

from .corpus import Corpus, upper_first
from .material import load
from .topics import GENERIC_PROCEDURES, TOPICS

# The sentences and templates live in data/texts.json; templates take {e} (« e » when the author
# writes as a woman), {name}, {to}, {of} (the organism with its article), {city}, {verb}, {Noun}
# and {structure}.
_TEXTS = load("texts")
CONTEXT: dict[str, tuple[str, ...]] = _TEXTS["context_by_channel"]  # opens a testimony, by channel
FEELING_SENTENCES: dict[str, tuple[str, ...]] = _TEXTS["feeling_sentences"]
CLOSINGS: dict[str, tuple[str, ...]] = _TEXTS["closings"]
TITLES: dict[str, tuple[str, ...]] = _TEXTS["titles"]
RESPONSE_OPENERS: dict[str, tuple[str, ...]] = _TEXTS["response_openers"]
RESPONSE_MIDDLES: dict[str, tuple[str, ...]] = _TEXTS["response_middles"]
RESPONSE_CLOSINGS: tuple[str, ...] = _TEXTS["response_closings"]
FORMULAS: tuple[str, ...] = _TEXTS["formulas"]
SIGNATURES: tuple[str, ...] = _TEXTS["signatures"]
COMMENTS: tuple[str, ...] = _TEXTS["comments"]
REJECTION_REASONS: tuple[str, ...] = _TEXTS["rejection_reasons"]
MODIFICATION_REQUESTS: tuple[str, ...] = _TEXTS["modification_requests"]
TRANSFER_REASONS: tuple[str, ...] = _TEXTS["transfer_reasons"]
TRANSFER_DECISIONS: dict[str, tuple[str, ...]] = _TEXTS["transfer_decisions"]
IMPROVEMENT_ACTIONS: tuple[tuple[str, str], ...] = _TEXTS["improvement_actions"]  # (title, description)
FIRST_NAMES: tuple[str, ...] = _TEXTS["first_names"]


@dataclass(frozen=True)
class Organism:
    """How texts name an organism: « la CAF », « à la CAF », « de la CAF »."""

    name: str
    to: str
    of: str
    takes_city: bool


def organism(name: str) -> Organism:
    for article, to, of in (("la ", "à la ", "de la "), ("le ", "au ", "du "), ("les ", "aux ", "des ")):
        if name.startswith(article):
            rest = name[len(article) :]
            return Organism(name, to + rest, of + rest, True)
    if name.startswith("l'"):
        return Organism(name, "à " + name, "de " + name, True)
    elided = name[0].lower() in "aeiouyéèh"
    return Organism(name, "à " + name, ("d'" if elided else "de ") + name, False)


def organism_for(typology_name: str) -> Organism:
    topic = TOPICS.get(typology_name)
    if topic:
        return organism(topic.org)
    label = typology_name.lower() if typology_name.isupper() else typology_name
    return organism(f"le service « {label} »")


def procedures_for(typology_name: str) -> tuple[tuple[str, str], ...]:
    topic = TOPICS.get(typology_name)
    return topic.procedures if topic and topic.procedures else GENERIC_PROCEDURES


def ascii_slug(text: str) -> str:
    """« Éloïse » → « eloise », for generated e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in ".-"))


def pretty_city(city: str) -> str:
    words = city.replace("-", " - ").title().split()
    small = {"De", "Du", "Des", "La", "Le", "Les", "Sur", "Sous", "En", "Et", "Aux", "Au", "L'", "D'"}
    text = " ".join(w.lower() if i and w in small else w for i, w in enumerate(words))
    return text.replace(" - ", "-")


ELISION = re.compile(r"\b([dD]e|[qQ]ue) (?=[aeiouyéèêàâîôAEIOUYÉÈÊÀÂÎÔ])")


def elide(sentence: str) -> str:
    """« afin de obtenir » → « afin d'obtenir », « de Arras » → « d'Arras » where a template meets a vowel."""
    return ELISION.sub(lambda m: m.group(1)[:-1] + "'", sentence)


class TextGenerator:
    """Builds titles, descriptions, responses and notes from a corpus and a random generator."""

    def __init__(self, corpus: Corpus, rng: random.Random):
        self.corpus = corpus
        self.rng = rng

    def title(self, typology_name: str, feeling: str, noun: str, org: Organism) -> str:
        rng = self.rng
        real = self.corpus.topic_titles.get(typology_name, {}).get(feeling)
        if real and rng.random() < 0.4:
            text = rng.choice(real)
        else:
            text = rng.choice(TITLES[feeling]).format(Noun=noun, name=org.name, to=org.to, of=org.of)
        return upper_first(text)[:TITLE_MAX_LENGTH]

    def description(
        self, typology_name: str, feeling: str, channel: str, verb: str, org: Organism, city: str, suffix: str
    ) -> str:
        """A testimony of 100–2000 characters (seed 000) about one organism and one procedure.

        It opens on the procedure, goes on with real sentences (the organism's own first, then
        generic ones) and states the feeling with a sentence of ours, so the tone never misleads.
        """
        rng = self.rng
        city_part = f" de {pretty_city(city)}" if city and org.takes_city else ""
        context = rng.choice(CONTEXT.get(channel) or CONTEXT["desk"])
        sentences = [elide(context.format(e=suffix, name=org.name, to=org.to, of=org.of, city=city_part, verb=verb))]
        target = min(DESCRIPTION_MAX_LENGTH - 300, max(120.0, rng.lognormvariate(math.log(320), 0.6)))
        own = self.corpus.by_topic.get(typology_name, {}).get(feeling) or ()
        self._add_real_sentences(sentences, own, target, rng.randint(0, 3))
        self._add_real_sentences(sentences, self.corpus.generic[feeling], target, rng.randint(1, 2))
        tones = ("positive", "negative") if feeling == "neutral" else (feeling,)
        for tone in tones:
            sentences.insert(rng.randint(1, len(sentences)), rng.choice(FEELING_SENTENCES[tone]).format(e=suffix))
        text = " ".join(sentences)
        if rng.random() < 0.3:
            text = "Bonjour,\n" + text
        closing = rng.choice(CLOSINGS[feeling])
        if closing:
            text += "\n" + closing
        return self._within_bounds(text, feeling, suffix)

    def _add_real_sentences(self, sentences: list[str], pool, target: float, count: int) -> None:
        length = sum(len(s) + 1 for s in sentences)
        for _ in range(count if pool else 0):
            sentence = self.rng.choice(pool)
            if length >= target or sentence in sentences:
                return
            sentences.append(sentence)
            length += len(sentence) + 1

    def _within_bounds(self, text: str, feeling: str, suffix: str) -> str:
        while len(text) < DESCRIPTION_MIN_LENGTH:
            text += " " + self.rng.choice(FEELING_SENTENCES[feeling]).format(e=suffix)
        if len(text) > DESCRIPTION_MAX_LENGTH:
            text = text[: DESCRIPTION_MAX_LENGTH - 1].rsplit(" ", 1)[0] + "…"
        return text

    def response(self, feeling: str, pseudonym: str) -> str:
        rng = self.rng
        greeting = f"Bonjour {pseudonym}," if pseudonym and rng.random() < 0.6 else "Madame, Monsieur,"
        parts = [greeting, rng.choice(RESPONSE_OPENERS[feeling]), rng.choice(RESPONSE_MIDDLES[feeling])]
        if rng.random() < 0.6:
            parts.append(rng.choice(RESPONSE_CLOSINGS))
        return "\n\n".join(parts)

    def pick(self, choices: tuple[str, ...]) -> str:
        return self.rng.choice(choices)
