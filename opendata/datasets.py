"""The five published referentials (seed 000): their file name, title, schema and rows."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import schemas
from .exporters.experiences import experience_rows
from .exporters.referentials import indicator_rows, result_rows, structure_rows, typology_rows

LICENCE = "Licence Ouverte / Open Licence version 2.0 (etalab-2.0)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    schema: dict
    rows: Callable[[], Iterator[list]]

    @property
    def filename(self) -> str:
        return f"{self.slug}.csv"

    @property
    def header(self) -> list[str]:
        return schemas.header(self.schema)


DATASETS = {
    dataset.slug: dataset
    for dataset in [
        Dataset(
            "structures",
            "Référentiel des structures",
            "Les structures des administrations en relation avec les usagers, actives ou non.",
            schemas.STRUCTURES,
            structure_rows,
        ),
        Dataset(
            "typologies",
            "Référentiel des typologies",
            "Les types d'organismes auxquels une expérience se rapporte.",
            schemas.TYPOLOGIES,
            typology_rows,
        ),
        Dataset(
            "indicateurs",
            "Référentiel des indicateurs",
            "Les indicateurs de qualité de service publiés par les administrations.",
            schemas.INDICATORS,
            indicator_rows,
        ),
        Dataset(
            "resultats",
            "Référentiel des résultats",
            "La valeur de chaque indicateur pour une structure et une période.",
            schemas.RESULTS,
            result_rows,
        ),
        Dataset(
            "experiences",
            "Expériences des usagers",
            "Les expériences publiées sur Services Publics+, avec les réponses des structures.",
            schemas.EXPERIENCES,
            experience_rows,
        ),
    ]
}
