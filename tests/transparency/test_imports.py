"""The import module at /agents/imports/: who reaches it, test → report → execute, all or nothing, idempotent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.exceptions import Refused
from structures.models import Role
from tests.factories import MembershipFactory, ModeratorFactory
from tests.transparency.conftest import csv_bytes, row
from transparency.models import Import, ImportStatus, Result
from transparency.services import dry_run_import, execute_import
from transparency.validation import SAMPLE_PATH

pytestmark = pytest.mark.django_db


def _upload(content: bytes, name="resultats.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _test_and_execute(client, content: bytes, capture) -> Import:
    network = Import._meta.get_field("network").related_model.objects.get(structures__code="ROOT1")
    response = client.post(
        reverse("agents:imports"), {"kind": "results", "network": network.pk, "file": _upload(content)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Import.objects.latest("pk")
    with capture(execute=True):
        client.post(reverse("agents:import_execute", args=[record.pk]))
    record.refresh_from_db()
    return record


@pytest.fixture
def referent_client(client, referent):
    client.force_login(referent)
    return client


def test_referent_tests_then_executes_a_file(referent_client, tree, django_capture_on_commit_callbacks):
    record = _test_and_execute(
        referent_client, csv_bytes(row("SITE1"), row("SITE2")), django_capture_on_commit_callbacks
    )
    assert record.status == ImportStatus.DONE
    assert (record.created, record.updated, record.left_unchanged) == (2, 0, 0)
    assert Result.objects.filter(source_import=record).count() == 2
    page = referent_client.get(reverse("agents:import", args=[record.pk])).content.decode()
    assert "Données importées" in page


def test_deleting_an_import_keeps_its_results_without_their_origin(
    referent_client, tree, django_capture_on_commit_callbacks
):
    # The column has no database constraint (speed): Django's SET_NULL is what keeps it pointing somewhere.
    record = _test_and_execute(referent_client, csv_bytes(row("SITE1")), django_capture_on_commit_callbacks)
    record.delete()
    assert list(Result.objects.values_list("source_import", flat=True)) == [None]


def test_testing_writes_no_result(referent_client, tree):
    response = referent_client.post(
        reverse("agents:imports"),
        {"kind": "results", "network": tree["root"].network.pk, "file": _upload(csv_bytes(row("SITE1")))},
    )
    record = Import.objects.get()
    assert response.url == reverse("agents:import", args=[record.pk])
    assert record.status == ImportStatus.TESTED_OK and not Result.objects.exists()
    assert "Exécuter" in referent_client.get(response.url).content.decode()


def test_reimporting_the_same_file_changes_nothing(referent_client, tree, django_capture_on_commit_callbacks):
    content = csv_bytes(row("SITE1"), row("SITE2"))
    first = _test_and_execute(referent_client, content, django_capture_on_commit_callbacks)
    codes = set(Result.objects.values_list("code", "value"))
    second = _test_and_execute(referent_client, content, django_capture_on_commit_callbacks)
    assert (second.created, second.updated, second.left_unchanged) == (0, 0, 2)
    assert set(Result.objects.values_list("code", "value")) == codes
    assert first.status == second.status == ImportStatus.DONE


def test_a_changed_value_is_updated_in_place(referent_client, tree, django_capture_on_commit_callbacks):
    _test_and_execute(referent_client, csv_bytes(row("SITE1", value="80")), django_capture_on_commit_callbacks)
    code = Result.objects.get().code
    record = _test_and_execute(
        referent_client, csv_bytes(row("SITE1", value="82,5")), django_capture_on_commit_callbacks
    )
    assert record.updated == 1
    assert list(Result.objects.values_list("code", "value")) == [(code, 82.5)]


def test_a_file_with_errors_cannot_be_executed(referent, tree):
    record = dry_run_import(
        network=tree["root"].network, upload=_upload(csv_bytes(row("SITE1", value="x"))), by=referent
    )
    assert record.status == ImportStatus.TESTED_WITH_ERRORS
    with pytest.raises(Refused, match="Seul un fichier testé sans erreur peut être exécuté"):
        execute_import(record=record, by=referent)


def test_a_bad_row_on_line_5000_leaves_nothing_written(referent, tree):
    rows = [
        row("SITE1", frequency="mensuelle", period=f"{1600 + n // 12}-{n % 12 + 1:02d}", updated="01/01/2026")
        for n in range(4998)
    ]
    rows.append(row("SITE1", value="101"))
    record = dry_run_import(network=tree["root"].network, upload=_upload(csv_bytes(*rows)), by=referent)
    record.refresh_from_db()
    assert record.rows_read == 4999 and record.report["errors"] == [
        [5000, "Valeur", "101", "la valeur doit être entre 0 et 100 pour l'indicateur IND-1 (%)"]
    ]
    assert not Result.objects.exists()


# One chunk for the file, then a chunk a row: the first row is already in the temporary table when the second fails.
@pytest.mark.parametrize("chunk", [5000, 1])
def test_execution_is_all_or_nothing_when_the_file_no_longer_passes(
    referent, tree, django_capture_on_commit_callbacks, monkeypatch, chunk
):
    monkeypatch.setattr("transparency.validation.CHUNK", chunk)
    record = dry_run_import(
        network=tree["root"].network, upload=_upload(csv_bytes(row("SITE1"), row("SITE2"))), by=referent
    )
    type(tree["other_site"]).objects.filter(pk=tree["other_site"].pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        execute_import(record=record, by=referent)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED and "ne passe plus le test" in record.failure
    assert not Result.objects.exists()


def test_execution_across_chunks_creates_updates_and_keeps(
    referent_client, tree, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("transparency.validation.CHUNK", 2)
    first = [row("SITE1", period=p) for p in ("2025", "2024", "2023")]
    _test_and_execute(referent_client, csv_bytes(*first), django_capture_on_commit_callbacks)
    kept = dict(Result.objects.values_list("period", "code"))
    second = [row("SITE1", period="2025"), row("SITE1", period="2024", value="90"), row("SITE2"), first[2]]
    record = _test_and_execute(referent_client, csv_bytes(*second), django_capture_on_commit_callbacks)
    assert (record.status, record.created, record.updated, record.left_unchanged) == (ImportStatus.DONE, 1, 1, 2)
    results = {(r.structure.code, r.period): r for r in Result.objects.select_related("structure")}
    assert {key: float(r.value) for key, r in results.items()} == {
        ("SITE1", "2025"): 87.5,
        ("SITE1", "2024"): 90.0,
        ("SITE1", "2023"): 87.5,
        ("SITE2", "2025"): 87.5,
    }
    # Updated in place: the same result (its code), now brought by the second import.
    assert results[("SITE1", "2024")].code == kept["2024"] and results[("SITE1", "2024")].source_import == record
    assert results[("SITE1", "2025")].source_import != record


def test_report_downloads_as_csv(referent_client, tree):
    referent_client.post(
        reverse("agents:imports"),
        {"kind": "results", "network": tree["root"].network.pk, "file": _upload(csv_bytes(row("SITE9")))},
    )
    record = Import.objects.get()
    response = referent_client.get(reverse("agents:import_report", args=[record.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Gravité;Ligne;Colonne;Valeur;Message"
    assert lines[1] == "erreur;2;Code SP+ structure;SITE9;aucune structure n'a le code « SITE9 » dans le référentiel"


def test_template_guide_and_sample_download(referent_client, tree):
    template = referent_client.get(reverse("agents:import_template")).content.decode()
    assert template.startswith("Code SP+ du résultat;Intitulé du réseau;")
    assert referent_client.get(reverse("agents:import_guide")).status_code == 200
    assert b"".join(referent_client.get(reverse("agents:import_sample")).streaming_content) == SAMPLE_PATH.read_bytes()


def test_history_lists_the_networks_imports(referent_client, referent, tree):
    dry_run_import(
        network=tree["root"].network, upload=_upload(csv_bytes(row("SITE1")), name="janvier.csv"), by=referent
    )
    page = referent_client.get(reverse("agents:imports")).content.decode()
    assert "janvier.csv" in page and "Testé : prêt à exécuter" in page


def test_referent_cannot_import_for_another_network(referent, tree):
    with pytest.raises(Refused, match="Vous n'êtes pas référent de ce réseau"):
        dry_run_import(network=tree["foreign"].network, upload=_upload(csv_bytes(row("FOREIGN"))), by=referent)


def test_referent_cannot_open_another_networks_import(client, referent, tree):
    foreign_referent = MembershipFactory(structure=tree["foreign"], role=Role.REFERENT).user
    record = dry_run_import(
        network=tree["foreign"].network, upload=_upload(csv_bytes(row("FOREIGN"))), by=foreign_referent
    )
    client.force_login(referent)
    for name in ("agents:import", "agents:import_report", "agents:import_file"):
        assert client.get(reverse(name, args=[record.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.AGENT, Role.SUPER_AGENT, Role.EVALUATOR, Role.SUPER_EVALUATOR])
def test_other_roles_cannot_reach_the_module(client, tree, role):
    client.force_login(MembershipFactory(structure=tree["root"], role=role).user)
    for name in ("agents:imports", "agents:import_template", "agents:import_guide"):
        assert client.get(reverse(name)).status_code == 404


def test_moderator_cannot_reach_the_module(client, tree):
    client.force_login(ModeratorFactory())
    assert client.get(reverse("agents:imports")).status_code == 404


def _menu_has_imports(client, user, django_assert_num_queries, queries) -> bool:
    client.force_login(user)
    # Session, user, the access check's roles (not a moderator's), the profile's memberships and formulas:
    # the menu entry adds no query.
    with django_assert_num_queries(queries):
        page = client.get(reverse("agents:profile")).content.decode()
    return f'href="{reverse("agents:imports")}"' in page


def test_the_agents_menu_offers_imports_to_referents_only(client, referent, tree, django_assert_num_queries):
    assert _menu_has_imports(client, referent, django_assert_num_queries, 6)
    agent = MembershipFactory(structure=tree["site"], role=Role.AGENT).user
    assert not _menu_has_imports(client, agent, django_assert_num_queries, 6)
    assert not _menu_has_imports(client, ModeratorFactory(), django_assert_num_queries, 5)
