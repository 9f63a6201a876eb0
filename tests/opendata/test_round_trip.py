"""The project's importers read its own exports: exported, imported into an empty database, exported again."""

import pytest

from actions.models import ImprovementAction
from experiences.importers import import_experiences
from experiences.models import Experience
from opendata.datasets import DATASETS
from opendata.services import write_csv
from structures.importers import import_structures
from structures.models import BusinessTag, Network, Structure, Typology
from transparency.models import Indicator, Result

from .catalogue import build_catalogue

pytestmark = pytest.mark.django_db


def export(slug: str, tmp_path) -> bytes:
    path = tmp_path / f"{slug}.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        write_csv(DATASETS[slug], handle)
    return path.read_bytes()


def empty_the_database() -> None:
    Experience.objects.all().delete()
    ImprovementAction.objects.all().delete()
    Result.objects.all().delete()
    Indicator.objects.filter(network__isnull=False).delete()
    # Leaves first: a structure protects its parent.
    while Structure.objects.exists():
        Structure.objects.filter(children__isnull=True).delete()
    BusinessTag.objects.all().delete()
    Typology.objects.all().delete()
    Network.objects.all().delete()


def test_structures_and_experiences_survive_a_round_trip_byte_for_byte(tmp_path):
    build_catalogue()
    structures, experiences = export("structures", tmp_path), export("experiences", tmp_path)
    empty_the_database()
    assert not Structure.objects.exists() and not Experience.objects.exists()

    first = tmp_path / "first"
    first.mkdir()
    (first / "structures.csv").write_bytes(structures)
    (first / "experiences.csv").write_bytes(experiences)
    assert import_structures(first / "structures.csv").errors == []
    report = import_experiences(first / "experiences.csv")
    assert report.errors == [] and report.created == 2

    assert export("structures", tmp_path) == structures
    assert export("experiences", tmp_path) == experiences


def test_importing_the_export_again_after_the_round_trip_changes_nothing(tmp_path):
    build_catalogue()
    structures, experiences = tmp_path / "s.csv", tmp_path / "e.csv"
    structures.write_bytes(export("structures", tmp_path))
    experiences.write_bytes(export("experiences", tmp_path))
    empty_the_database()
    import_structures(structures)
    assert import_experiences(experiences).created == 2
    again = import_experiences(experiences)
    assert (again.errors, again.created, again.updated, again.unchanged) == ([], 0, 0, 2)
