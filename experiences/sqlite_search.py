"""French full-text search on SQLite (`make run`): the FTS5 index of experiences and the MATCH of a visitor's words.

PostgreSQL searches with its `french_unaccent` configuration (migrations 0005-0007). SQLite gets the
closest FTS5 can do: accents and case folded by the tokenizer, PostgreSQL's stop words left out,
and each word searched as a prefix of a light stem (« impôts » → impot*), so singular and plural
find each other. Ranking weighs the title over the description, as PostgreSQL's weights A and B do.
"""

import re
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, FloatField, Func, Q, Value
from django.db.models.expressions import RawSQL

from common.french_text import MIN_STEM, STOP_WORDS, fold, stem

INDEX_TABLE = "experience_search"
EXPERIENCE_TABLE = "experiences_experience"

# External content: the index stores no copy of the texts, the triggers keep it in step with
# the experience table. remove_diacritics 2 also folds the letters PostgreSQL's unaccent folds
# (« é », « ç », « ô »), in the index and in the queries alike.
CREATE_TABLE = f"""
CREATE VIRTUAL TABLE {INDEX_TABLE} USING fts5(
    title, description,
    content='{EXPERIENCE_TABLE}', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
)
"""
TRIGGERS = {
    "experience_search_insert": f"""
        CREATE TRIGGER experience_search_insert AFTER INSERT ON {EXPERIENCE_TABLE} BEGIN
            INSERT INTO {INDEX_TABLE}(rowid, title, description) VALUES (new.id, new.title, new.description);
        END""",
    "experience_search_delete": f"""
        CREATE TRIGGER experience_search_delete AFTER DELETE ON {EXPERIENCE_TABLE} BEGIN
            INSERT INTO {INDEX_TABLE}({INDEX_TABLE}, rowid, title, description)
                VALUES ('delete', old.id, old.title, old.description);
        END""",
    # Status and counter updates leave the texts alone: they do not touch the index.
    "experience_search_update": f"""
        CREATE TRIGGER experience_search_update AFTER UPDATE OF title, description ON {EXPERIENCE_TABLE} BEGIN
            INSERT INTO {INDEX_TABLE}({INDEX_TABLE}, rowid, title, description)
                VALUES ('delete', old.id, old.title, old.description);
            INSERT INTO {INDEX_TABLE}(rowid, title, description) VALUES (new.id, new.title, new.description);
        END""",
}
REBUILD = f"INSERT INTO {INDEX_TABLE}({INDEX_TABLE}) VALUES ('rebuild')"

# Websearch syntax, as PostgreSQL's websearch_to_tsquery reads it: "a phrase", a word, -excluded.
TERM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')
# The tokenizer's letters and digits; everything else separates words (unicode61's rule).
TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class IndexQuery:
    """A visitor's words as FTS5 MATCH expressions; empty strings when nothing is left to search."""

    required: str = ""
    excluded: str = ""


def parse(text: str) -> IndexQuery:
    """Words all required, "phrases", `or` between two terms, -word excluded; every token quoted."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    joins_previous = False
    for match in TERM.finditer(text):
        negated, phrase, word = match.groups()
        if phrase is None and not negated and word.lower() == "or":
            joins_previous = bool(groups)
            continue
        expression = _term(phrase if phrase is not None else word)
        if not expression:
            continue
        if negated:
            excluded.append(expression)
        elif joins_previous:
            groups[-1].append(expression)
        else:
            groups.append([expression])
        joins_previous = False
    required = " AND ".join(f"({' OR '.join(group)})" for group in groups)
    return IndexQuery(required=required, excluded=" OR ".join(excluded))


def _term(raw: str) -> str:
    """A term and its spelling with or without « œ », « æ »: PostgreSQL's unaccent reads cœur as coeur,
    the tokenizer keeps them apart."""
    folded = fold(raw)
    spellings = dict.fromkeys([folded, _ascii_ligatures(folded), _ligatures(folded)])
    phrases = [phrase for phrase in map(_phrase, spellings) if phrase]
    return phrases[0] if len(phrases) == 1 else f"({' OR '.join(phrases)})" if phrases else ""


def _ascii_ligatures(text: str) -> str:
    return text.replace("œ", "oe").replace("æ", "ae")


def _ligatures(text: str) -> str:
    return _ascii_ligatures(text).replace("oe", "œ").replace("ae", "æ")


def _phrase(folded: str) -> str:
    """One term as an FTS5 phrase of stemmed prefixes; stop words dropped at its ends, kept exact inside."""
    tokens = TOKEN.findall(folded)
    while tokens and tokens[0] in STOP_WORDS:
        tokens.pop(0)
    while tokens and tokens[-1] in STOP_WORDS:
        tokens.pop()
    return " + ".join(_token(token) for token in tokens)


def _token(token: str) -> str:
    # Tokens hold letters and digits only, so quoting them makes AND, NEAR or * plain words.
    # Short words (« caf », « rdv ») and inner stop words match exactly, as a prefix they would match too much.
    if token in STOP_WORDS or len(token) < MIN_STEM:
        return f'"{token}"'
    return f'"{stem(token)}"*'


def stems(text: str) -> list[str]:
    """The text's words as light stems, stop words and one-letter words left out (similar.py's SQLite fallback)."""
    return [stem(token) for token in TOKEN.findall(fold(text)) if token not in STOP_WORDS and len(token) > 1]


def match_condition(text: str) -> Q:
    """Experiences matching the words: `id IN (SELECT rowid … MATCH …)`, computed once by SQLite."""
    query = parse(text)
    if not query.required and not query.excluded:
        return Q(pk__in=[])  # only stop words or punctuation: nothing, as on PostgreSQL
    if not query.required:
        return ~Q(pk__in=_matching_ids(query.excluded))
    if query.excluded:
        return Q(pk__in=_matching_ids(f"({query.required}) NOT ({query.excluded})"))
    return Q(pk__in=_matching_ids(query.required))


def _matching_ids(expression: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH %s", [expression])


class _IndexRank(Func):
    """One experience's bm25 for the words, read from the index by its rowid (higher is better).

    Title 1.0, description 0.4: the weights ts_rank_cd gives PostgreSQL's A and B."""

    template = f"(SELECT -bm25({INDEX_TABLE}, 1.0, 0.4) FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH %(expressions)s)"
    arg_joiner = " AND rowid = "
    output_field = FloatField()


def rank(text: str) -> Func | None:
    """The relevance of each matching experience, or None when no required word ranks them."""
    required = parse(text).required
    if not required:
        return None
    return _IndexRank(Value(required), F("pk"))


def create_index(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
        _create_triggers(cursor)


def drop_index(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {INDEX_TABLE}")


def restore_triggers(connection: BaseDatabaseWrapper) -> bool:
    """Re-create the triggers a table rebuild dropped and re-index; True when something was missing.

    Django's SQLite schema editor rebuilds a table to alter it (copy, drop, rename): the triggers
    go with the dropped table while the index stays, and would silently drift from the texts."""
    with connection.cursor() as cursor:
        names = [INDEX_TABLE, *TRIGGERS]
        cursor.execute(f"SELECT name FROM sqlite_master WHERE name IN ({', '.join(['%s'] * len(names))})", names)
        present = {name for (name,) in cursor.fetchall()}
        if INDEX_TABLE not in present or present >= set(TRIGGERS):
            return False  # migrated below 0015, or intact
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        _create_triggers(cursor)
    return True


def _create_triggers(cursor) -> None:
    for sql in TRIGGERS.values():
        cursor.execute(sql)
    cursor.execute(REBUILD)
