"""The importer of the real structures referential (export-structures.csv) and its command."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import CaptureQueriesContext

import structures
from structures.importers import import_structures
from structures.models import Network, Structure, Typology

REAL_FILE = Path(structures.__file__).resolve().parent / "data" / "export-structures.csv"
# The real header line, BOM and doubled quotes included.
REAL_HEADER = REAL_FILE.read_bytes().split(b"\r\n", 1)[0].decode("utf-8")
CODE, NETWORK, NAME, PARENT, COUNTRY, ACTIVE, TYPOLOGY_CODE = 0, 1, 3, 8, 14, 20, 21
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "COPY")


def real_rows(*networks: str) -> list[list[str]]:
    with open(REAL_FILE, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    return [row for row in rows if not networks or row[NETWORK] in networks]


def renamed_rows(*networks: str) -> list[list[str]]:
    """Real rows under codes, names and network of their own, so they never meet the real import."""
    rows = real_rows(*networks)
    for row in rows:
        row[CODE] = "T-" + row[CODE][:8]
        row[PARENT] = "T-" + row[PARENT][:8] if row[PARENT] else ""
        row[NAME] = "zz " + row[NAME]  # sorts after the real roots: a test tree does not renumber them
        row[NETWORK] = "zz Réseau de test"
        row[TYPOLOGY_CODE] = "Tst" + row[TYPOLOGY_CODE][-7:]
    return rows


def write_file(tmp_path: Path, rows: list[list[str]], header: str = REAL_HEADER) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path = tmp_path / "export-structures.csv"
    path.write_text(header + "\r\n" + buffer.getvalue(), encoding="utf-8")
    return path


def stored_rows() -> list[tuple]:
    return list(Structure.objects.order_by("pk").values_list())


def stored_numbering() -> dict[int, tuple[int, int, int, int]]:
    rows = Structure.objects.values_list("pk", "tree_id", "lft", "rght", "level")
    return {pk: tuple(numbering) for pk, *numbering in rows}


def rebuild_numbering() -> dict[int, tuple[int, int, int, int]]:
    """What `Structure.objects.rebuild()` would write, captured instead of written.

    mptt orders siblings by name alone; the real file has two pairs of same-named siblings, whose
    order PostgreSQL leaves open. The importer breaks ties by pk; so does the rebuild here.
    """
    captured = {}

    def capture(manager, nodes, fields, batch_size=None):
        captured.update({node.pk: (node.tree_id, node.lft, node.rght, node.level) for node in nodes})

    meta = Structure._mptt_meta
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(meta, "order_insertion_by", [*meta.order_insertion_by, "id"])
        patch.setattr(type(Structure.objects), "bulk_update", capture)
        Structure.objects.rebuild()
    return captured


# --- Small files (defined first: they run before the module's real import) -----------------------


def test_small_file_builds_networks_typologies_and_tree(db, tmp_path):
    report = import_structures(write_file(tmp_path, renamed_rows("DITP", "DGCCRF")))

    assert report.errors == []
    assert (report.created, report.networks_created, report.typologies_created) == (7, 1, 7)
    services_publics = Structure.objects.get(code="T-ynQrWBNF")
    assert services_publics.parent.code == "T-Ku3mvMu4"
    assert services_publics.network.name == "zz Réseau de test"
    assert services_publics.get_ancestors().count() == 2
    assert rebuild_numbering() == stored_numbering()


def test_corrupted_file_is_reported_by_line_and_nothing_is_kept(db, tmp_path):
    rows = renamed_rows("DGCCRF")  # lines 2-4, valid
    template = rows[0]
    bad = {
        "unknown_parent": [
            *template[:CODE],
            "T-NEW1",
            *template[CODE + 1 : PARENT],
            "T-NOWHERE",
            *template[PARENT + 1 :],
        ],
        "bad_code": ["code faux!", *template[1:]],
        "short": template[:25],
        "duplicate": rows[1],
        "country": ["T-NEW2", *template[1:COUNTRY], "Atlantide", *template[COUNTRY + 1 :]],
        "active": ["T-NEW3", *template[1:ACTIVE], "Peut-être", *template[ACTIVE + 1 :]],
        "cycle_a": ["T-NEW4", *template[1:PARENT], "T-NEW5", *template[PARENT + 1 :]],
        "cycle_b": ["T-NEW5", *template[1:PARENT], "T-NEW4", *template[PARENT + 1 :]],
    }
    valid_new_network = ["T-NEW6", "zz Réseau jamais créé", *template[2:PARENT], "", *template[PARENT + 1 :]]
    valid_new_network[TYPOLOGY_CODE] = "TstNEW0001"
    path = write_file(tmp_path, [*rows, *bad.values(), valid_new_network])
    counts = (Structure.objects.count(), Network.objects.count(), Typology.objects.count())

    report = import_structures(path)

    messages = dict(report.sorted_errors())
    assert sorted(messages) == [5, 6, 7, 8, 9, 10, 11, 12]
    assert "structure parente « T-NOWHERE » introuvable" in messages[5]
    assert "code SP+ « code faux! » invalide" in messages[6]
    assert messages[7] == "26 colonnes attendues, 25 trouvées"
    assert messages[8] == f"code SP+ « {rows[1][CODE]} » déjà présent ligne 3"
    assert messages[9] == "pays « Atlantide » inconnu"
    assert "« Actif » vaut « Peut-être »" in messages[10]
    assert messages[11] == messages[12] == "cycle dans l'arborescence : T-NEW4 → T-NEW5 → T-NEW4"
    assert report.summary() == "Import annulé : 8 erreurs, rien n'a été enregistré."
    assert (Structure.objects.count(), Network.objects.count(), Typology.objects.count()) == counts
    assert not Network.objects.filter(name="zz Réseau jamais créé").exists()


def test_missing_column_stops_at_the_header(db, tmp_path):
    header = REAL_HEADER.replace(";PAYS;", ";")
    rows = [row[:COUNTRY] + row[COUNTRY + 1 :] for row in renamed_rows("DGCCRF")]

    report = import_structures(write_file(tmp_path, rows, header=header))

    assert report.errors == [(1, "colonnes manquantes : « PAYS »")]


def test_command_prints_the_summary(db, tmp_path):
    out = io.StringIO()

    call_command("import_structures", str(write_file(tmp_path, renamed_rows("DGCCRF"))), stdout=out)

    assert "Structures : 3 créées, 0 mise à jour, 0 inchangée ; réseaux : 1 créé ; typologies : 3 créées." in (
        out.getvalue()
    )


def test_command_dry_run_writes_nothing(db, tmp_path):
    out = io.StringIO()

    call_command("import_structures", str(write_file(tmp_path, renamed_rows("DGCCRF"))), "--dry-run", stdout=out)

    assert "Simulation, rien n'a été enregistré. Structures : 3 créées" in out.getvalue()
    assert not Structure.objects.filter(code__startswith="T-").exists()


def test_command_lists_errors_by_line_and_fails(db, tmp_path):
    rows = renamed_rows("DGCCRF")
    rows[1][PARENT] = "T-NOWHERE"
    err = io.StringIO()

    with pytest.raises(CommandError, match="Import annulé : 1 erreur, rien n'a été enregistré."):
        call_command("import_structures", str(write_file(tmp_path, rows)), stderr=err)

    assert err.getvalue() == "ligne 3 : structure parente « T-NOWHERE » introuvable\n"


def test_command_reports_a_nul_byte_by_line_and_keeps_nothing(db, tmp_path):
    rows = renamed_rows("DGCCRF")
    rows[2][NAME] += "\x00"
    err = io.StringIO()

    with pytest.raises(CommandError, match="Import annulé : 1 erreur, rien n'a été enregistré."):
        call_command("import_structures", str(write_file(tmp_path, rows)), stderr=err)

    assert err.getvalue() == (
        f"ligne 4 : caractère nul (octet 0x00) en colonne {NAME + 1} : le fichier est abîmé ou n'est pas un CSV "
        "texte en UTF-8\n"
    )
    assert not Structure.objects.filter(code__startswith="T-").exists()


def test_command_lists_the_first_errors_and_counts_the_others(db, tmp_path):
    root = renamed_rows("DGCCRF")[0]
    root[PARENT] = ""
    rows = [root] * 401  # the same structure 401 times: 400 duplicates
    err = io.StringIO()

    with pytest.raises(CommandError, match="Import annulé : 400 erreurs, rien n'a été enregistré."):
        call_command("import_structures", str(write_file(tmp_path, rows)), stderr=err)

    lines = err.getvalue().splitlines()
    assert len(lines) == 201
    assert lines[0] == f"ligne 3 : code SP+ « {rows[0][CODE]} » déjà présent ligne 2"
    assert lines[-1] == "… et 200 autres erreurs"


def test_command_reports_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Impossible de lire le fichier"):
        call_command("import_structures", str(tmp_path / "absent.csv"))


# --- The real referential, imported once for the module ------------------------------------------


@pytest.fixture(scope="module")
def real_import(django_db_setup, django_db_blocker):
    """The real file imported once, inside a transaction rolled back when the module ends."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        report = import_structures(REAL_FILE)
        # Checked once here, or PostgreSQL re-checks the deferred foreign keys at every test's end.
        connection.check_constraints()
    yield report
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def test_real_file_imports_every_structure_network_and_typology(real_import, db):
    assert real_import.errors == []
    assert (real_import.created, real_import.updated, real_import.unchanged) == (14_763, 0, 0)
    assert (real_import.networks_created, real_import.typologies_created) == (37, 292)
    real = Structure.objects.exclude(code__startswith="T-")
    assert real.count() == 14_763
    assert Network.objects.exclude(name__startswith="zz ").count() == 37
    assert Typology.objects.exclude(code__startswith="Tst").count() == 292
    assert real.filter(parent=None).count() == 38
    assert real.aggregate(Max("level")) == {"level__max": 6}
    assert (real.filter(is_active=True).count(), real.filter(is_active=False).count()) == (13_975, 788)


def test_real_file_keeps_every_parent_and_typology(real_import, db):
    stored = {
        code: (parent or "", network, typology)
        for code, parent, network, typology in Structure.objects.values_list(
            "code", "parent__code", "network__name", "typology__code"
        )
    }
    expected = {row[CODE]: (row[PARENT], row[NETWORK], row[TYPOLOGY_CODE]) for row in real_rows()}
    assert {code: stored[code] for code in expected} == expected


def test_real_file_fixes_postal_codes_insee_codes_and_countries(real_import, db):
    digne = Structure.objects.get(code="PANEFF4wah")  # `4000` in the file
    laval = Structure.objects.get(code="3Tn8gzTdcz")
    rome = Structure.objects.get(code="STR-970")  # `consIT00186`, `consIT`: consular pseudo-codes, no INSEE code
    houston = Structure.objects.get(code="X9vQqen5yk")

    assert digne.postal_code == "04000"
    assert (laval.insee_commune, laval.insee_department, laval.insee_region, laval.insee_arrondissement) == (
        "53130",
        "53",
        "52",
        "53130",
    )
    assert Structure.objects.get(code="7VV7KUkiJY").insee_arrondissement == "13055-02"
    assert (rome.postal_code, rome.insee_commune, rome.insee_region) == ("186", "", "")
    assert (houston.country.code, houston.postal_code) == ("US", "65")
    assert Structure.objects.filter(country="FR").count() == 14_591
    assert not Structure.objects.filter(postal_code__regex=r"^[0-9]{4}$", country="FR").exists()


def test_real_tree_is_what_mptt_rebuild_computes(real_import, db):
    assert rebuild_numbering() == stored_numbering()


def test_second_run_changes_nothing_and_writes_nothing(real_import, db):
    before = stored_rows()

    with CaptureQueriesContext(connection) as queries:
        report = import_structures(REAL_FILE)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 14_763)
    assert (report.networks_created, report.typologies_created) == (0, 0)
    assert report.summary() == "Structures : 0 créée, 0 mise à jour, 14 763 inchangées."
    writes = [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITE_STATEMENTS)]
    assert writes == []
    assert stored_rows() == before


def test_changed_name_is_updated_on_reimport(real_import, db, tmp_path):
    rows = real_rows()
    digne = next(row for row in rows if row[CODE] == "PANEFF4wah")
    digne[NAME] = "DDSP DES ALPES-DE-HAUTE-PROVENCE"

    report = import_structures(write_file(tmp_path, rows))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 14_762)
    assert Structure.objects.get(code="PANEFF4wah").name == "DDSP DES ALPES-DE-HAUTE-PROVENCE"
    assert rebuild_numbering() == stored_numbering()
