"""The countries a citizen living abroad chooses from, and their INSEE codes (seed 000 asks for them)."""

import csv
import functools
from pathlib import Path

from django_countries import countries

# INSEE COG 2020 country list (Licence Ouverte), copied verbatim from the shared data/insee/pays2020.csv.
COUNTRIES_CSV = Path(__file__).resolve().parent.parent / "data" / "pays2020.csv"


@functools.cache
def country_insee_codes() -> dict[str, str]:
    """ISO 3166 alpha-2 → INSEE COG country code (seed 000 asks for the INSEE code)."""
    with open(COUNTRIES_CSV, encoding="utf-8", newline="") as handle:
        return {
            row["codeiso2"]: row["cog"] for row in csv.DictReader(handle) if row["actual"] == "1" and row["codeiso2"]
        }


def foreign_countries() -> list[tuple[str, str]]:
    return [("", "Choisissez votre pays")] + [(code, name) for code, name in countries if code != "FR"]
