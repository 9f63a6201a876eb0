"""INSEE COG 2022 regions and departments, loaded from the copies shipped in structures/data/."""

import csv
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
