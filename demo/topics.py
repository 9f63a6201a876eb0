"""Curated knowledge of the common organisms (data/topics.json), keyed by the typology names of the referential.

Each topic gives the detection keywords (seed 000: typologies are suggested from keywords found
in the title and description), how a citizen names the organism, the procedures they come for,
the channels they use and how often the demo should talk about it. Typologies absent from this
table get keywords drawn from their own name (keywords.py) and generic sentences (text.py).
In the file, topics sharing a list of procedures or channel weights name it (`procedure_sets`,
`channel_sets`) instead of repeating it.
"""

from dataclasses import dataclass, field

from .material import load


@dataclass(frozen=True)
class Topic:
    org: str  # how a citizen names it, with its article: « la CAF », « l'ANTS », « Pôle emploi »
    keywords: tuple[str, ...]
    # (title noun phrase, description verb phrase), e.g. ("Demande d'APL", "faire une demande d'APL")
    procedures: tuple[tuple[str, str], ...] = ()
    weight: float = 0.0  # share of generated experiences whose first typology is this one
    channels: dict[str, int] = field(default_factory=dict)  # channel value -> weight
    related: tuple[str, ...] = ()  # typologies often named together in one experience


def _topic(entry: dict, procedure_sets: dict, channel_sets: dict) -> Topic:
    procedures = entry.get("procedures", ())
    channels = entry.get("channels", {})
    return Topic(
        org=entry["org"],
        keywords=entry["keywords"],
        procedures=procedure_sets[procedures] if isinstance(procedures, str) else procedures,
        weight=entry.get("weight", 0.0),
        channels=channel_sets[channels] if isinstance(channels, str) else channels,
        related=entry.get("related", ()),
    )


_DATA = load("topics")
TOPICS: dict[str, Topic] = {
    name: _topic(entry, _DATA["procedure_sets"], _DATA["channel_sets"]) for name, entry in _DATA["topics"].items()
}
# Generic procedures and channels for an organism the table does not describe.
GENERIC_PROCEDURES: tuple[tuple[str, str], ...] = _DATA["generic_procedures"]
GENERIC_CHANNELS: dict[str, int] = _DATA["generic_channels"]
