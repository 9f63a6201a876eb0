"""INSEE COG territories shipped in structures/data/: regions, departments, Paris-Lyon-Marseille arrondissements."""

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(filename: str) -> list[dict[str, str]]:
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_territories(region_model, department_model) -> tuple[int, int]:
    """Create or update every region and department; models come as arguments so migrations can call it."""
    for row in _rows("region_2022.csv"):
        region_model.objects.update_or_create(code=row["REG"], defaults={"name": row["LIBELLE"]})
    for row in _rows("departement_2022.csv"):
        department_model.objects.update_or_create(
            code=row["DEP"], defaults={"name": row["LIBELLE"], "region_id": row["REG"]}
        )
    return region_model.objects.count(), department_model.objects.count()


def department_code(postal_code: str) -> str:
    """The INSEE department code a French postal code belongs to.

    Overseas (97x, 98x) take three digits; Corsica's 200xx–201xx are Corse-du-Sud (2A), 202xx–206xx
    Haute-Corse (2B).
    """
    if postal_code.startswith(("97", "98")):
        return postal_code[:3]
    if postal_code.startswith("20"):
        return "2A" if int(postal_code) < 20200 else "2B"
    return postal_code[:2]


@functools.cache
def region_of_department() -> dict[str, str]:
    """Department code → region code, from the shipped COG (static: no query per lookup)."""
    return {row["DEP"]: row["REG"] for row in _rows("departement_2022.csv")}


@dataclass(frozen=True)
class City:
    """A city divided into municipal arrondissements, with every postal code that means it."""

    insee_code: str
    name: str
    postal_codes: tuple[str, ...]

    @property
    def department(self) -> str:
        return self.insee_code[:2]  # Paris, Lyon and Marseille are all in metropolitan France


@functools.cache
def _cities_by_postal_code() -> dict[str, City]:
    rows = _rows("arrondissements_postal_codes.csv")
    names = {row["insee_commune"]: row["name"] for row in rows if not row["insee_arrondissement"]}
    codes: dict[str, list[str]] = {}
    for row in rows:
        codes.setdefault(row["insee_commune"], []).append(row["postal_code"])
    cities = {commune: City(commune, names[commune], tuple(sorted(found))) for commune, found in codes.items()}
    return {row["postal_code"]: cities[row["insee_commune"]] for row in rows}


def city_of_postal_code(postal_code: str) -> City | None:
    """Paris, Lyon or Marseille for one of their arrondissement (or city-wide) postal codes, else None."""
    return _cities_by_postal_code().get(postal_code)
