"""The importer of historical experiences (open-data export, 300-row real sample) and its command."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

import experiences
import structures
from actions.models import ImprovementActionStatus
from experiences.importers import import_experiences
from experiences.models import (
    Assignment,
    Experience,
    ExperienceStatus,
    ExperienceTypology,
    GeneralTag,
    ModerationState,
    ResponseStatus,
)
from structures.importers import import_structures

SAMPLE = Path(experiences.__file__).resolve().parent / "data" / "experiences-sample-300.csv"
STRUCTURES = Path(structures.__file__).resolve().parent / "data" / "export-structures.csv"
C1_CONTROLS = re.compile("[\x80-\x9f]")
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE")


def sample() -> tuple[list[str], list[list[str]]]:
    with open(SAMPLE, encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    return header, rows


def column(header: list[str], name: str) -> int:
    return [" ".join(cell.split()) for cell in header].index(name)


def write_file(tmp_path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    path = tmp_path / "experiences.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def first_rows_renumbered(count: int = 3) -> tuple[list[str], list[list[str]]]:
    """The sample's first rows (one line each) under public ids of their own (999001…)."""
    header, rows = sample()
    rows = rows[:count]
    for number, row in enumerate(rows, start=1):
        row[column(header, "ID expérience")] = str(999_000 + number)
    return header, rows


@pytest.fixture(scope="module")
def real_structures(django_db_setup, django_db_blocker):
    """The real structures referential imported once, inside a transaction rolled back when the module ends."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        report = import_structures(STRUCTURES)
        assert report.ok, report.sorted_errors()[:3]
        # Checked once here, or PostgreSQL re-checks the deferred foreign keys at every test's end.
        connection.check_constraints()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


# --- Small files (defined first: they run before the module's import of the sample) --------------


def test_unknown_structure_is_reported_by_line_and_nothing_is_kept(real_structures, db, tmp_path):
    header, rows = first_rows_renumbered()
    rows[1][column(header, "ID structure 1")] = "INCONNU123"
    count = Experience.objects.count()

    report = import_experiences(write_file(tmp_path, header, rows))

    assert report.errors == [(3, "structure « INCONNU123 » inconnue (importez d'abord le référentiel des structures)")]
    assert Experience.objects.count() == count
    assert not Experience.objects.filter(public_id__gte=999_001, public_id__lte=999_003).exists()


def test_a_file_read_by_chunks_adds_up_and_finds_ids_repeated_across_chunks(real_structures, db, tmp_path, monkeypatch):
    monkeypatch.setattr("experiences.importers.run.CHUNK", 2)
    header, rows = first_rows_renumbered(5)
    report = import_experiences(write_file(tmp_path, header, rows))
    assert (report.ok, report.created, report.unchanged) == (True, 5, 0)
    assert Experience.objects.filter(public_id__range=(999_001, 999_005)).count() == 5
    again = import_experiences(write_file(tmp_path, header, [*rows, rows[0]]))
    assert again.sorted_errors() == [(7, "expérience 999001 déjà présente ligne 2")]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 0)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_file_not_in_utf8_is_refused_at_its_first_bad_line(real_structures, db, tmp_path, delimiter):
    header, rows = first_rows_renumbered()
    path = write_file(tmp_path, header, rows, delimiter=delimiter)
    lines = path.read_bytes().split(b"\r\n")
    lines[2] = lines[2].decode("utf-8").encode("cp1252", errors="replace")
    path.write_bytes(b"\r\n".join(lines))
    assert import_experiences(path).errors == [(3, "le fichier n'est pas encodé en UTF-8")]


def test_a_bad_row_in_a_later_chunk_leaves_the_earlier_chunks_unwritten(real_structures, db, tmp_path, monkeypatch):
    monkeypatch.setattr("experiences.importers.run.CHUNK", 2)
    header, rows = first_rows_renumbered(5)
    rows[4][column(header, "ID structure 1")] = "INCONNUE"
    report = import_experiences(write_file(tmp_path, header, rows))
    assert [line for line, _ in report.sorted_errors()] == [6]
    assert not Experience.objects.filter(public_id__range=(999_001, 999_005)).exists()


def test_bad_cells_are_all_reported_with_their_line(real_structures, db, tmp_path):
    header, rows = first_rows_renumbered()
    rows[0][column(header, "Ressenti usager")] = "Mitigé"
    rows[0][column(header, "Date de publication")] = "2022-10-06"
    rows[2][column(header, "Pays")] = "Atlantide"
    rows[2][column(header, "Canaux Typologie 1")] = "Démarche en ligne,Pigeon voyageur"
    rows.append(rows[1][:])

    report = import_experiences(write_file(tmp_path, header, rows))

    assert report.sorted_errors() == [
        (2, "« Ressenti usager » vaut « Mitigé », valeur inconnue"),
        (2, "« Date de publication » : date « 2022-10-06 » illisible (JJ/MM/AAAA HH:MM attendu)"),
        (4, "« Pays » : pays « Atlantide » inconnu"),
        (4, "« Canaux Typologie 1 » : canal « Pigeon voyageur » inconnu"),
        (5, "expérience 999002 déjà présente ligne 3"),
    ]


def test_official_semicolon_format_without_pandas_columns_is_read(real_structures, db, tmp_path):
    header, rows = first_rows_renumbered()
    # The SP+ export itself: no pandas index first, no `eval` / `sentiment_eval` last, `;` between cells.
    path = write_file(tmp_path, header[1:-2], [row[1:-2] for row in rows], delimiter=";")

    report = import_experiences(path)

    assert (report.errors, report.created) == ([], 3)
    assert Experience.objects.get(public_id=999_002).typologies.get().postal_code == "73000"


def test_action_and_response_status_columns_are_imported(real_structures, db, tmp_path):
    header, rows = first_rows_renumbered()
    row = rows[1]  # 999002, routed to « Hors-structures »
    row[column(header, "Action")] = "Accueil sans rendez-vous le mercredi\nMis en place après plusieurs retours."
    row[column(header, "Date action engagée")] = "02/10/2020 09:00"
    row[column(header, "Date action réalisée")] = "15/11/2020 10:30"
    # An official-export column the sample lacks.
    header = [*header, "Statut réponse structure 1"]
    rows = [[*cells, "Réponse en attente de validation" if cells is row else ""] for cells in rows]
    path = write_file(tmp_path, header, rows)

    report = import_experiences(path)

    experience = Experience.objects.get(public_id=999_002)
    action = experience.improvement_actions.get()
    assert report.errors == []
    assert (action.structure.code, action.title, action.status) == (
        "sxZshFsE9R",
        "Accueil sans rendez-vous le mercredi",
        ImprovementActionStatus.DONE,
    )
    assert (action.engaged_on, action.done_on) == (datetime.date(2020, 10, 2), datetime.date(2020, 11, 15))
    assert experience.assignments.get().response_status == ResponseStatus.PENDING_VALIDATION
    assert import_experiences(path).unchanged == 3


def test_command_prints_warnings_and_summary(real_structures, db, tmp_path):
    header, rows = first_rows_renumbered()
    rows[0][column(header, "ID structure 2")] = rows[0][column(header, "ID structure 1")]
    out = io.StringIO()

    call_command("import_experiences", str(write_file(tmp_path, header, rows)), stdout=out)

    assert out.getvalue().splitlines() == [
        "ligne 2 : structure 2 « hcxcV5NcXy » déjà citée : ignorée",
        "Expériences : 3 créées, 0 mise à jour, 0 inchangée.",
    ]


def test_command_lists_errors_by_line_and_fails(real_structures, db, tmp_path):
    header, rows = first_rows_renumbered()
    rows[2][column(header, "ID structure 1")] = "INCONNU123"
    err = io.StringIO()

    with pytest.raises(CommandError, match="Import annulé : 1 erreur, rien n'a été enregistré."):
        call_command("import_experiences", str(write_file(tmp_path, header, rows)), stderr=err)

    assert err.getvalue().startswith("ligne 4 : structure « INCONNU123 » inconnue")


def test_command_reports_a_nul_byte_by_line_and_keeps_nothing(real_structures, db, tmp_path):
    header, rows = first_rows_renumbered()
    rows[1][column(header, "Titre")] += "\x00"
    rows[2][column(header, "ID structure 1")] += "\x00"  # looked up before any row is parsed
    err = io.StringIO()

    with pytest.raises(CommandError, match="Import annulé : 2 erreurs, rien n'a été enregistré."):
        call_command("import_experiences", str(write_file(tmp_path, header, rows)), stderr=err)

    title, structure = column(header, "Titre") + 1, column(header, "ID structure 1") + 1
    assert err.getvalue().splitlines() == [
        f"ligne 3 : caractère nul (octet 0x00) en colonne {title} : le fichier est abîmé ou n'est pas un CSV texte "
        "en UTF-8",
        f"ligne 4 : caractère nul (octet 0x00) en colonne {structure} : le fichier est abîmé ou n'est pas un CSV "
        "texte en UTF-8",
    ]
    assert not Experience.objects.filter(public_id__range=(999_001, 999_003)).exists()


def test_command_lists_the_first_errors_and_counts_the_others(real_structures, db, tmp_path):
    header, (row, *_) = first_rows_renumbered(1)
    rows = []
    for number in range(450):
        bad = row[:]
        bad[column(header, "ID expérience")] = str(990_000 + number)
        bad[column(header, "Ressenti usager")] = "Mitigé"
        rows.append(bad)
    err = io.StringIO()

    with pytest.raises(CommandError, match="Import annulé : 450 erreurs, rien n'a été enregistré."):
        call_command("import_experiences", str(write_file(tmp_path, header, rows)), stderr=err)

    lines = err.getvalue().splitlines()
    assert len(lines) == 201
    assert lines[0] == "ligne 2 : « Ressenti usager » vaut « Mitigé », valeur inconnue"
    assert lines[199].startswith("ligne 201 : ")
    assert lines[200] == "… et 250 autres erreurs"


# --- The real sample, imported once for the module -----------------------------------------------


@pytest.fixture(scope="module")
def real_import(real_structures, django_db_blocker):
    """The 300 real experiences, imported once into the module's transaction."""
    with django_db_blocker.unblock():
        report = import_experiences(SAMPLE)
        connection.check_constraints()
    return report


@pytest.fixture
def real(real_import, db):
    return Experience.objects.exclude(public_id__range=(999_001, 999_999))


def test_sample_imports_300_published_historical_experiences(real_import, real):
    assert real_import.errors == []
    assert (real_import.created, real_import.updated, real_import.unchanged) == (300, 0, 0)
    assert real.count() == 300
    assert real.filter(moderation_state=ModerationState.PUBLISHED, is_historical=True, author_email="").count() == 300
    lengths = {public_id: len(str(public_id)) for public_id in real.values_list("public_id", flat=True)}
    assert sorted(set(lengths.values())) == [6, 7]
    assert {279101, 2904756, 3475415} <= lengths.keys()


def test_sample_keeps_feelings_statuses_and_long_descriptions(real):
    feelings = dict(real.values_list("feeling").annotate(count=Count("pk")))
    statuses = dict(real.values_list("status").annotate(count=Count("pk")))

    assert feelings == {"positive": 109, "neutral": 109, "negative": 82}
    assert statuses == {ExperienceStatus.AWAITING: 277, ExperienceStatus.ANSWERED: 23}
    assert max(len(text) for text in real.values_list("description", flat=True)) == 3918


def test_sample_dates_are_paris_time(real):
    experience = real.get(public_id=278421)  # « 01/08/2020 17:14 », summer time

    assert experience.published_at == datetime.datetime(2020, 8, 1, 15, 14, tzinfo=datetime.UTC)


def test_sample_float_codes_are_parsed(real):
    guadeloupe = real.get(public_id=1221891)  # region « 1.0 », department « 971.0 »
    chambery = real.get(public_id=270656).typologies.get()  # postal code « 73000.0 »

    assert (guadeloupe.region_id, guadeloupe.department_id) == ("01", "971")
    assert chambery.postal_code == "73000"
    assert real.filter(department_id="75").exists()


def test_sample_c1_characters_are_repaired(real):
    texts = [*real.values_list("title", flat=True), *real.values_list("description", flat=True)]
    texts += ExperienceTypology.objects.values_list("organism_name", flat=True)

    assert not [text for text in texts if C1_CONTROLS.search(text)]
    assert "carte d’identité" in real.get(public_id=388869).description


def test_sample_typologies_match_labels_and_keep_channels(real):
    prefecture = real.get(public_id=270656).typologies.get()
    unknown = real.get(public_id=3605523).typologies.get(position=1)  # « MDPH-MDA »: no such typology
    channels = real.get(public_id=389786).typologies.get(position=1).channels

    assert prefecture.typology.name == "Préfecture"
    assert (unknown.typology, unknown.organism_name) == (None, "MDPH-MDA")
    assert sorted(channels.values_list("channel", flat=True)) == ["desk", "email", "online", "phone"]
    assert set(channels.values_list("feeling", flat=True)) == {""}


def test_sample_routes_to_structures_with_copied_dates_and_feelings(real):
    two = real.get(public_id=279427)  # « Traitées », two structures
    assignments = list(two.assignments.order_by("position"))

    assert [a.structure.code for a in assignments] == ["ijupDG83v7", "4H9rYvQqqb"]
    assert [a.response_status for a in assignments] == [ResponseStatus.ANSWERED, ResponseStatus.AWAITING]
    assert {(a.published_at, a.feeling) for a in assignments} == {(two.published_at, two.feeling)}
    answered = Assignment.objects.filter(experience__in=real, response_status=ResponseStatus.ANSWERED)
    assert answered.count() == 23
    assert not real.filter(public_id__in=[664569, 3227000]).exclude(assignments=None).exists()  # no structure
    assert not Assignment.objects.filter(experience__in=real, response__isnull=False).exists()


def test_sample_general_tags_me_too_and_improvement_flags_match_the_file(real):
    header, rows = sample()
    expected = {
        int(row[column(header, "ID expérience")]): {
            tag.value: value for tag in GeneralTag if (value := row[column(header, tag.label)])
        }
        for row in rows
    }
    feelings = {"positive": "Positif", "neutral": "Neutre", "negative": "Négatif"}
    stored = {public_id: {} for public_id in expected}
    for public_id, tag, value in real.values_list("public_id", "general_tags__tag", "general_tags__value"):
        if tag:
            stored[public_id][tag] = feelings[value]

    assert stored == expected
    assert real.get(public_id=269384).me_too_count == 44
    flagged = real.filter(assignments__needs_improvement=True).distinct().count()
    assert flagged == sum(row[column(header, "Amélioration de service à considérer")] == "Oui" for row in rows)


def test_sample_business_tags_belong_to_the_structure_network(real):
    ants = real.get(public_id=3584177)
    typology = ants.typologies.get(position=1)
    orphan_first = real.get(public_id=3373748).typologies.order_by("position").first()  # no typology 1

    assert [(tag.name, tag.network.name) for tag in typology.business_tags.all()] == [("Permis de conduire", "ANTS")]
    assert orphan_first.position == 2
    assert [tag.name for tag in orphan_first.business_tags.all()] == ["Association"]


def test_second_run_changes_nothing_and_writes_nothing(real_import, real):
    before = list(real.order_by("pk").values_list())

    with CaptureQueriesContext(connection) as queries:
        report = import_experiences(SAMPLE)

    assert (report.errors, report.created, report.updated, report.unchanged) == ([], 0, 0, 300)
    assert report.summary() == "Expériences : 0 créée, 0 mise à jour, 300 inchangées."
    assert [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITE_STATEMENTS)] == []
    assert list(real.order_by("pk").values_list()) == before


def test_changed_title_is_updated_on_reimport(real_import, real, tmp_path):
    header, rows = sample()
    rows[0][column(header, "Titre")] = "Vote à l'étranger depuis Madagascar"
    assignment_ids = list(Assignment.objects.filter(experience__public_id=2904756).values_list("pk", flat=True))

    report = import_experiences(write_file(tmp_path, header, rows))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 299)
    assert real.get(public_id=2904756).title == "Vote à l'étranger depuis Madagascar"
    assert list(Assignment.objects.filter(experience__public_id=2904756).values_list("pk", flat=True)) == (
        assignment_ids
    )


def test_imported_experiences_are_submitted_when_published(real):
    # The export has no submission date; a later one would put submission after publication.
    assert all(submitted == published for submitted, published in real.values_list("submitted_at", "published_at"))


def test_imported_experiences_have_the_direct_source(real):
    # The export has no source column; « direct » is the one value of an experience without a tracking link.
    assert set(real.values_list("source", flat=True)) == {"direct"}
