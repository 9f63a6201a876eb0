"""INSEE communes (COG 2020, data/communes2020.csv: code, department, region, name) for the city filter."""

import csv
import functools
from pathlib import Path

from common.csv_import import fold

COMMUNES_PATH = Path(__file__).resolve().parent / "data" / "communes2020.csv"


@functools.cache
def _communes() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Code → name, and folded name → codes (« Saint-Denis » names several communes)."""
    names, codes = {}, {}
    with open(COMMUNES_PATH, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names[row["com"]] = row["libelle"]
            codes.setdefault(fold(row["libelle"]).replace("-", " "), []).append(row["com"])
    return names, codes


def commune_codes(text: str) -> list[str]:
    """The INSEE codes a typed city means: a 5-character code, or a name, with or without accents and hyphens."""
    names, codes = _communes()
    text = text.strip()
    if text.upper() in names:
        return [text.upper()]
    return codes.get(fold(text).replace("-", " "), [])


def commune_name(code: str) -> str:
    return _communes()[0].get(code, code)
