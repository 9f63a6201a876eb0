"""The demo's material, read once from the JSON files of demo/data/: topics, texts, business tags, stopwords."""

import functools
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def frozen(value):
    """JSON arrays as tuples: every generator of a run shares these tables, and none may change them."""
    if isinstance(value, list):
        return tuple(frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: frozen(item) for key, item in value.items()}
    return value


@functools.cache
def load(name: str):
    """The file `demo/data/<name>.json`, its arrays as tuples and its objects in file order."""
    with open(DATA / f"{name}.json", encoding="utf-8") as handle:
        return frozen(json.load(handle))
