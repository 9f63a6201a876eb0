"""The five published files: their columns, their schemas, what they never hold."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

import experiences
import structures
from opendata.datasets import DATASETS
from opendata.services import generate_all
from transparency.validation import SCHEMA as TRANSPARENCY_RESULTS_SCHEMA

from .catalogue import build_catalogue
from .table_schema import validate

SAMPLE = Path(experiences.__file__).resolve().parent / "data" / "experiences-sample-300.csv"
REAL_STRUCTURES = Path(structures.__file__).resolve().parent / "data" / "export-structures.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    catalogue = build_catalogue()
    files = {published.slug: published for published in generate_all()}
    contents = {slug: default_storage.open(files[slug].path).read() for slug in files}
    return catalogue, files, contents


def rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("slug", list(DATASETS))
def test_each_file_validates_against_its_published_schema(published, slug):
    _, files, contents = published
    assert files[slug].row_count == len(rows(contents[slug])) - 1 > 0
    assert validate(contents[slug], DATASETS[slug].schema) == []


def test_a_file_breaking_its_schema_is_caught_by_the_validator(published):
    _, _, contents = published
    broken = contents["experiences"].replace("Négatif".encode(), b"Mauvais", 1)
    assert validate(broken, DATASETS["experiences"].schema) != []


def test_results_file_uses_the_transparency_import_schema():
    assert DATASETS["resultats"].schema is TRANSPARENCY_RESULTS_SCHEMA


def test_experiences_header_is_the_real_exports_then_the_columns_it_dropped():
    with open(SAMPLE, encoding="utf-8", newline="") as handle:
        real = next(csv.reader(handle))[1:-2]
    header = DATASETS["experiences"].header
    assert len(real) == 46
    assert header[:46] == real
    assert header[46:] == [
        "Tags métiers typologie 1", "Tags métiers typologie 2", "Tags métiers typologie 3",
        "Statut réponse structure 1",
        "Statut réponse structure 2", "Evaluation utile réponse structure 2 par visiteurs",
        "Evaluation inutile réponse structure 2 par visiteurs", "Evaluation réponse structure 2 par auteur",
        "Statut réponse structure 3", "Evaluation utile réponse structure 3 par visiteurs",
        "Evaluation inutile réponse structure 3 par visiteurs", "Evaluation réponse structure 3 par auteur",
        "Date de la première réponse",
    ]  # fmt: skip


def test_structures_header_is_the_real_referentials():
    real = REAL_STRUCTURES.read_bytes().split(b"\r\n", 1)[0].decode("utf-8").replace("\ufeff", "")
    assert DATASETS["structures"].header == [name.strip('"') for name in real.split(";")]


def test_files_are_utf8_with_bom_semicolons_and_crlf(published):
    _, _, contents = published
    for content in contents.values():
        assert content.startswith("\ufeff".encode())
        assert content.split(b"\r\n", 1)[0].count(b";") > 0


def test_experiences_file_holds_the_export_formats(published):
    catalogue, _, contents = published
    table = rows(contents["experiences"])
    line = dict(zip(table[0], next(row for row in table if row[0] == str(catalogue["full"].public_id)), strict=True))
    assert line["Etat expérience"] == "Traitées"
    assert line["Statut de l'expérience"] == "Expérience avec action réalisée"
    assert line["Date de publication"] == "14/03/2025 10:26"  # Paris time
    assert line["Ressenti usager"] == "Négatif"
    assert line["Canaux Typologie 1"] == "Accueil,Démarche en ligne,Téléphone"
    assert line["Tags Métiers"] == "Naturalisation;Rendez-vous;Titre de séjour"
    assert line["Tags métiers typologie 1"] == "Rendez-vous;Titre de séjour"
    assert line["Relation"] == "Négatif" and line["Réactivité"] == "Neutre" and line["Accessibilité"] == ""
    assert line["Evaluation utile réponse structure 1 par visiteurs"] == "3"
    assert line["Evaluation  réponse structure 1 par auteur"] == "pas utile"
    assert line["Statut réponse structure 2"] == "Réponse en attente de validation"
    assert line["Amélioration de service à considérer"] == "Oui"
    assert line["Action"] == "Plus de créneaux le samedi matin."
    assert (line["Date action engagée"], line["Date action réalisée"]) == ("01/04/2025", "02/06/2025")
    assert line["Date de la première réponse"] == "15/03/2025 16:26"
    assert line["Code INSEE Département usager"] == "75" and line["Intitulé région usager"] == "Île-de-France"
    outside = dict(zip(table[0], next(row for row in table if row[0] == str(catalogue["outside"].public_id)),
                       strict=True))  # fmt: skip
    assert outside["Hors structure"] == "Oui" and outside["Pays"] == "Madagascar"
    assert outside["Intitulé Typologie 1"] == "Ambassade"


def test_unpublished_experiences_and_author_emails_are_never_published(published):
    catalogue, _, contents = published
    text = contents["experiences"].decode("utf-8-sig")
    assert len(rows(contents["experiences"])) == 3
    for experience in catalogue["hidden"]:
        assert str(experience.public_id) not in text and experience.title not in text
    assert "@" not in text
    assert "Brouillon" not in text  # an action not yet published
