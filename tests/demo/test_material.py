"""The demo's data files load to what the generator expects: names it can match, keys it asks for, templates.

A misspelt name in a JSON file raises nothing at run time: the topic, the tag or the sentence is
silently never used. These tests read the files through the loader the generator uses.
"""

import csv
import string
from pathlib import Path

import pytest

import structures
from demo import tags, text, topics
from demo.keywords import STOPWORDS, WORD
from demo.material import load
from experiences.models import Channel, Feeling, TransferDecision

REFERENTIAL = Path(structures.__file__).resolve().parent / "data" / "export-structures.csv"
FEELINGS = set(Feeling.values)
# What the generator passes to `str.format` for each table of templates (text.py, followups.py).
TEMPLATE_FIELDS = {
    "context_by_channel": {"e", "name", "to", "of", "city", "verb"},
    "titles": {"Noun", "name", "to", "of"},
    "feeling_sentences": {"e"},
    "signatures": {"structure"},
}


@pytest.fixture(scope="module")
def referential() -> tuple[set[str], set[str]]:
    """(network names, typology names) of the real structures referential the demo loads."""
    with open(REFERENTIAL, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return {row["Intitulé du réseau"] for row in rows}, {row["Intitulé de la typologie"] for row in rows}


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value
    return [found for item in items for found in strings(item)]


def test_topics_and_their_related_typologies_name_typologies_of_the_referential(referential):
    _, typologies = referential
    named = set(topics.TOPICS) | {name for topic in topics.TOPICS.values() for name in topic.related}
    assert named - typologies == set()


def test_business_tags_name_networks_of_the_referential(referential):
    networks, _ = referential
    assert set(tags.NETWORK_TAGS) - networks == set()


def test_topics_hold_pairs_of_procedures_positive_weights_and_real_channels():
    for name, topic in topics.TOPICS.items():
        assert topic.org and topic.keywords, name
        assert all(len(pair) == 2 and all(pair) for pair in topic.procedures), name
        assert topic.weight >= 0, name
        assert set(topic.channels) <= set(Channel.values) and all(w > 0 for w in topic.channels.values()), name
    assert set(topics.GENERIC_CHANNELS) <= set(Channel.values)
    assert all(len(pair) == 2 and all(pair) for pair in topics.GENERIC_PROCEDURES)


def test_texts_are_keyed_by_the_values_the_generator_asks_for():
    for table in (text.FEELING_SENTENCES, text.CLOSINGS, text.TITLES, text.RESPONSE_OPENERS, text.RESPONSE_MIDDLES):
        assert set(table) == FEELINGS
    assert set(text.TRANSFER_DECISIONS) == set(TransferDecision.values) - {TransferDecision.PENDING}
    assert set(text.CONTEXT) <= set(Channel.values) and "desk" in text.CONTEXT  # desk: the fallback
    assert all(len(pair) == 2 and all(pair) for pair in text.IMPROVEMENT_ACTIONS)


@pytest.mark.parametrize("table", sorted(TEMPLATE_FIELDS))
def test_templates_use_only_the_fields_the_generator_fills(table):
    used = {
        field for template in strings(load("texts")[table]) for _, field, _, _ in string.Formatter().parse(template)
    }
    assert used - {None} <= TEMPLATE_FIELDS[table]


def test_tables_are_immutable_so_no_generator_changes_them_for_the_next():
    assert isinstance(text.FIRST_NAMES, tuple) and isinstance(topics.TOPICS["CAF"].procedures[0], tuple)


def test_stopwords_are_single_words_since_names_are_compared_word_by_word():
    assert STOPWORDS and not [word for word in STOPWORDS if not WORD.fullmatch(word)]
