"""French words folded and stemmed as PostgreSQL's `french_unaccent` reads them, for the SQLite fallbacks."""

import unicodedata

# PostgreSQL's french.stop, the stop list of `french_unaccent`. Its accented entries (« à »,
# « été »…) are left out: unaccent runs before the stop list there, so they are searched as words.
STOP_WORDS = frozenset(
    "au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me mes moi mon ne nos notre "
    "nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous c d j l m n "
    "s t y suis es est sommes sont serai seras sera serons serez seront serais serait serions seriez seraient "
    "fus fut furent sois soit soyons soyez soient fusse fusses fussions fussiez fussent ayant ayante ayantes "
    "ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions "
    "auriez auraient avais avait avions aviez avaient eut eurent aie aies ait ayons ayez aient eusse eusses "
    "eussions eussiez eussent".split()
)
# Plural and feminine endings cut before the prefix search, longest first; « aux » and « al » both
# become « a » so journal and journaux meet. A stem keeps at least MIN_STEM letters: shorter
# prefixes match too many unrelated words.
ENDINGS = (("aux", "a"), ("ees", ""), ("ee", ""), ("es", ""), ("al", "a"), ("e", ""), ("s", ""), ("x", ""))
MIN_STEM = 4


def fold(text: str) -> str:
    """Lower case without accents, as the tokenizer stores words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(token: str) -> str:
    for ending, replacement in ENDINGS:
        if token.endswith(ending) and len(token) - len(ending) + len(replacement) >= MIN_STEM:
            return token[: -len(ending)] + replacement
    return token
