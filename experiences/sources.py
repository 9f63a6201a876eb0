"""Where a citizen came from when sharing an experience, with one value for « came directly »."""

import unicodedata

DIRECT = "direct"
MAX_LENGTH = 100  # Experience.source
# Spellings of « came directly » met in stored rows: the demo wrote « Accès direct », imports left the
# source empty; counted apart, they split one figure in two in the queue filter and the dashboard.
DIRECT_SPELLINGS = {"", "direct", "acces direct"}
DIRECT_LABEL = "accès direct"


def canonical_source(value: str) -> str:
    """The source as stored: one line of at most MAX_LENGTH characters, every spelling of direct as DIRECT."""
    line = " ".join(unicodedata.normalize("NFC", value).split())[:MAX_LENGTH]
    return DIRECT if _folded(line) in DIRECT_SPELLINGS else line


def source_label(value: str) -> str:
    """How a stored source reads in the moderation queue and the dashboard."""
    return DIRECT_LABEL if value == DIRECT else value


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
