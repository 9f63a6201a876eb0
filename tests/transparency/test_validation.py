"""Tester: each refusal of issue 15, with its exact message; the counts, the warnings, the partial report."""

import datetime
from decimal import Decimal

import pytest

from structures.permissions import structures_importable_by
from tests.transparency.conftest import HEADER, csv_bytes, row
from tests.transparency.factories import IndicatorFactory, ResultFactory
from transparency.models import Indicator, UnitType
from transparency.validation import MAX_LISTED, check_file

pytestmark = pytest.mark.django_db


def _check(tmp_path, content: bytes, user, network, filename="resultats.csv", write=None):
    path = tmp_path / filename
    path.write_bytes(content)
    return check_file(
        path, filename=filename, network=network, structures=structures_importable_by(user, network), write=write
    )


@pytest.fixture
def check(tmp_path, tree, referent):
    network = tree["root"].network
    return lambda content, **kwargs: _check(tmp_path, content, kwargs.pop("user", referent), network, **kwargs)


def test_valid_file_counts_rows_to_create(check):
    written = []
    report = check(csv_bytes(row("SITE1"), row("SITE2", value="98.5")), write=written.extend)
    assert report.ok
    assert (report.rows_read, report.rows_valid, report.to_create) == (2, 2, 2)
    assert written[1].value == Decimal("98.5")


@pytest.mark.parametrize("content", [b"PK\x03\x04rest-of-zip", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"])
def test_excel_file_renamed_csv_is_refused_with_advice(check, content):
    report = check(content)
    assert report.file_error.startswith("Ce fichier est un classeur Excel ou tableur, pas un fichier CSV")
    assert "LibreOffice" in report.file_error and "point-virgule" in report.file_error


def test_xlsx_name_is_refused(check):
    assert "classeur Excel" in check(csv_bytes(row("SITE1")), filename="resultats.xlsx").file_error


def test_windows_1252_file_is_named(check):
    content = (HEADER + "\n" + row("SITE1")).encode("cp1252")
    assert check(content).file_error.startswith(
        "Le fichier n'est pas encodé en UTF-8 : il semble enregistré en Windows-1252"
    )
    assert "ligne 1" in check(content).file_error  # the header's « é » is the first unreadable character


def test_utf16_file_is_named(check):
    assert "UTF-16" in check((HEADER + "\n").encode("utf-16")).file_error


def test_bom_is_accepted(check):
    assert check(b"\xef\xbb\xbf" + csv_bytes(row("SITE1"))).ok


def test_comma_separated_file_is_told_the_separator(check):
    report = check(csv_bytes(row("SITE1").replace(";", ","), header=HEADER.replace(";", ",")))
    assert report.file_error.startswith("Le séparateur de colonnes doit être le point-virgule (;)")


def test_empty_file_is_refused(check):
    assert check(b"").file_error == "Le fichier est vide."
    assert check(csv_bytes()).file_error == "Le fichier ne contient aucune ligne de résultat après la ligne d'en-tête."


def test_missing_unknown_and_repeated_columns_are_named(check):
    header = HEADER.replace(";Valeur", ";Valeurs").replace("Typologie", "Fréquence")
    report = check(csv_bytes(row("SITE1"), header=header))
    assert "colonne inconnue « Valeurs »" in report.file_error
    assert "colonne « Fréquence » en double" in report.file_error
    assert "colonne manquante « Valeur »" in report.file_error
    assert "colonne manquante « Typologie »" in report.file_error


def _errors(report):
    return [(line, column, value, message) for line, column, value, message in report.errors]


def test_unknown_structure_is_an_error_with_suggestions(check):
    report = check(csv_bytes(row("SITE3")))
    assert _errors(report) == [
        (2, "Code SP+ structure", "SITE3", "aucune structure n'a le code « SITE3 » dans le référentiel")
    ]
    assert report.warnings[0][3].startswith("codes proches dans votre périmètre : ")
    assert "SITE1 (Centre de Lyon)" in report.warnings[0][3]


def test_closed_structure_is_refused(check):
    assert _errors(check(csv_bytes(row("CLOSED"))))[0][3] == (
        "la structure « CLOSED » est fermée (inactive) : elle ne publie plus de résultats"
    )


def test_structure_of_another_network_is_refused(check, tree):
    message = _errors(check(csv_bytes(row("FOREIGN"))))[0][3]
    networks = (tree["foreign"].network.name, tree["root"].network.name)
    assert message == "la structure « FOREIGN » appartient au réseau {}, pas au réseau {}".format(*networks)


def test_structure_outside_the_referents_scope_is_refused(check, site_referent):
    report = check(csv_bytes(row("SITE1"), row("SITE2")), user=site_referent)
    assert _errors(report) == [
        (3, "Code SP+ structure", "SITE2", "la structure « SITE2 » n'est pas dans votre périmètre de référent")
    ]


def test_unknown_indicator_and_another_networks_indicator_are_refused(check, tree):
    IndicatorFactory(code="IND-500", network=tree["foreign"].network)
    report = check(csv_bytes(row("SITE1", indicator="IND-404"), row("SITE1", indicator="IND-500")))
    assert (
        _errors(report)[0][3]
        == "aucun indicateur n'a le code « IND-404 » (codes IND-<n> du référentiel des indicateurs)"
    )
    assert _errors(report)[1][3].startswith("l'indicateur IND-500 est propre au réseau")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "valeur manquante"),
        ("98 %", "la valeur doit être un nombre sans unité, par exemple 98,5"),
        ("douze", "la valeur doit être un nombre sans unité, par exemple 98,5"),
        ("100,5", "la valeur doit être entre 0 et 100 pour l'indicateur IND-1 (%)"),
        ("-1", "la valeur doit être entre 0 et 100 pour l'indicateur IND-1 (%)"),
    ],
)
def test_bad_values_are_refused(check, value, message):
    assert _errors(check(csv_bytes(row("SITE1", value=value)))) == [(2, "Valeur", value, message)]


def test_score_and_count_ranges_follow_the_unit(check, tree):
    network = tree["root"].network
    IndicatorFactory(code="IND-600", network=network, unit_type=UnitType.SCORE, unit="/10")
    IndicatorFactory(code="IND-601", network=network, unit_type=UnitType.COUNT, unit="appels")
    report = check(
        csv_bytes(row("SITE1", indicator="IND-600", value="10,5"), row("SITE1", indicator="IND-601", value="2,5"))
    )
    assert [error[3] for error in report.errors] == [
        "la valeur doit être entre 0 et 10 pour l'indicateur IND-600 (/10)",
        "l'indicateur IND-601 compte des unités : la valeur doit être un nombre entier",
    ]


def test_frequency_period_and_dates_are_checked(check):
    report = check(
        csv_bytes(
            row("SITE1", frequency="hebdomadaire"),
            row("SITE1", frequency="annuelle", period="2025-T2"),
            row("SITE1", frequency="trimestrielle", period="2025-T5"),
            row("SITE1", updated="31/02/2026"),
            row("SITE1", updated="01/01/2099"),
            row("SITE1", period="2026", updated="01/01/2025"),
        )
    )
    assert [error[3] for error in report.errors] == [
        "fréquence inconnue : annuelle, semestrielle, trimestrielle ou mensuelle",
        "période invalide pour une fréquence annuelle : attendu AAAA, par exemple 2025",
        "période invalide pour une fréquence trimestrielle : attendu AAAA-T1 à AAAA-T4, par exemple 2025-T2",
        "date invalide : attendu JJ/MM/AAAA, par exemple 31/01/2026",
        "la date de mise à jour est dans le futur",
        "la date de mise à jour précède le début de la période mesurée",
    ]


def test_periods_are_read_as_their_dates(check):
    written = []
    check(
        csv_bytes(
            row("SITE1", frequency="semestrielle", period="2025-S2"),
            row("SITE1", frequency="mensuelle", period="2024-02"),
        ),
        write=written.extend,
    )
    assert [(r.period_start, r.period_end) for r in written] == [
        (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31)),
        (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
    ]


def test_two_rows_for_the_same_structure_indicator_and_period_are_refused(check):
    report = check(csv_bytes(row("SITE1"), row("SITE1", value="90")))
    assert _errors(report) == [
        (3, "Période", "2025", "doublon : même structure, indicateur et période qu'à la ligne 2")
    ]


def test_a_row_with_a_missing_cell_is_named(check):
    assert (
        _errors(check(csv_bytes(row("SITE1")[:-11])))[0][3]
        == "la ligne a 10 colonnes au lieu de 11 : un « ; » en trop ou en moins ?"
    )


def test_counts_separate_create_update_and_unchanged(check, tree):
    indicator = Indicator.objects.get(code="IND-1")
    ResultFactory(
        structure=tree["site"], indicator=indicator, value=Decimal("87.5"), updated_on=datetime.date(2026, 1, 15)
    )
    ResultFactory(structure=tree["other_site"], indicator=indicator, value=Decimal("80"))
    report = check(csv_bytes(row("SITE1"), row("SITE2"), row("SITE1", period="2024")))
    assert (report.unchanged, report.to_update, report.to_create) == (1, 1, 1)


def test_a_value_far_from_the_previous_one_is_a_warning(check, tree):
    ResultFactory(
        structure=tree["site"],
        indicator=Indicator.objects.get(code="IND-1"),
        value=Decimal("98"),
        period="2024",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    report = check(csv_bytes(row("SITE1", value="12")))
    assert report.ok
    assert report.warnings == [(2, "Valeur", "12", "98 % → 12 % : vérifiez l'unité")]


def test_past_the_limit_the_report_is_partial(check):
    report = check(csv_bytes(*[row("NOPE", value="x") for _ in range(MAX_LISTED)]))
    assert report.error_count == 2 * MAX_LISTED
    assert len(report.errors) == MAX_LISTED and report.partial
    assert report.rows_in_error == MAX_LISTED


def test_rows_are_handed_to_the_writer_by_chunks_without_the_unchanged(check, tree, monkeypatch):
    """Past CHUNK rows the file is looked up and written a chunk at a time; the counts span the chunks."""
    monkeypatch.setattr("transparency.validation.CHUNK", 2)
    indicator = Indicator.objects.get(code="IND-1")
    ResultFactory(
        structure=tree["site"], indicator=indicator, value=Decimal("87.5"), updated_on=datetime.date(2026, 1, 15)
    )
    chunks = []
    periods = ["2025", "2024", "2023", "2022", "2021"]
    report = check(csv_bytes(*[row("SITE1", period=period) for period in periods]), write=chunks.append)
    assert (report.rows_read, report.unchanged, report.to_create) == (5, 1, 4)
    assert [[r.period for r in chunk] for chunk in chunks] == [["2024"], ["2023", "2022"], ["2021"]]


def test_a_duplicate_across_chunks_is_refused_and_nothing_more_is_written(check, monkeypatch):
    monkeypatch.setattr("transparency.validation.CHUNK", 2)
    chunks = []
    report = check(
        csv_bytes(row("SITE1"), row("SITE1", period="2024"), row("SITE1", period="2023"), row("SITE1")),
        write=chunks.append,
    )
    assert _errors(report) == [
        (5, "Période", "2025", "doublon : même structure, indicateur et période qu'à la ligne 2")
    ]
    assert [[r.period for r in chunk] for chunk in chunks] == [["2025", "2024"]]


@pytest.mark.parametrize(("older", "newer", "warned"), [("98", "12", False), ("12", "98", True)])
def test_the_jump_is_measured_from_the_latest_value_in_place(check, tree, older, newer, warned):
    indicator = Indicator.objects.get(code="IND-1")
    for year, value in ((2023, older), (2024, newer)):
        ResultFactory(
            structure=tree["site"],
            indicator=indicator,
            value=Decimal(value),
            period=str(year),
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
    report = check(csv_bytes(row("SITE1", value="12")))
    assert report.warnings == ([(2, "Valeur", "12", "98 % → 12 % : vérifiez l'unité")] if warned else [])
