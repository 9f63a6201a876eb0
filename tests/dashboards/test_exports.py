"""The dashboard's exports: the CSV, the PDF prepared by Celery (eager here), its page, its file and its expiry."""

import csv
import datetime
import io
import re
import subprocess
import zoneinfo
from html import unescape

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify

from dashboards.models import DashboardExport, ExportStatus
from dashboards.services import export_lifecycle
from dashboards.services import pdf_exports as export_service
from dashboards.tasks import purge_dashboard_exports_task
from experiences.models import Feeling, GeneralTag
from structures.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CSV_URL = "/agents/tableau-de-bord/export.csv"
PDF_URL = "/agents/tableau-de-bord/export-pdf/"
MARCH = "periode=personnalisee&du=2026-03-01&au=2026-03-31"


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    """Exports go to the default storage: a temporary folder here."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def march(structure_tree):
    """In March 2026: one answered negative experience on « mine », one positive unanswered on its child,
    and one on the sibling structure, outside the agent's scope."""
    published = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS)
    answered = f.ExperienceFactory(feeling=Feeling.NEGATIVE, source="qr-code", published_at=published)
    f.AssignmentFactory(
        experience=answered,
        structure=structure_tree["mine"],
        first_response_at=published + datetime.timedelta(hours=51, minutes=18),
    )
    typology = f.ExperienceTypologyFactory(experience=answered)
    f.ExperienceChannelFactory(experience_typology=typology, channel="desk", feeling=Feeling.NEGATIVE)
    f.GeneralTagValueFactory(experience=answered, tag=GeneralTag.RELATION, value=Feeling.NEGATIVE)
    unanswered = f.ExperienceFactory(feeling=Feeling.POSITIVE, published_at=published + datetime.timedelta(days=10))
    f.AssignmentFactory(experience=unanswered, structure=structure_tree["child"])
    elsewhere = f.ExperienceFactory(feeling=Feeling.NEGATIVE, published_at=published)
    f.AssignmentFactory(experience=elsewhere, structure=structure_tree["sibling"])
    return structure_tree


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def figures(rows) -> dict[tuple[str, str, str], tuple[str, str]]:
    return {
        (section, indicator, dimension): (value, unit) for section, indicator, dimension, value, unit, _ in rows[1:]
    }


def request_pdf(client, capture, query=MARCH, *, execute=True):
    with capture(execute=execute):
        return client.post(f"{PDF_URL}?{query}")


def ready_export(user) -> DashboardExport:
    """A prepared export, its file in the storage, without waiting for WeasyPrint."""
    now = timezone.now()
    export = DashboardExport(
        requested_by=user,
        scope_label="Direction départementale et ses structures filles, du 01/03/2026 au 31/03/2026",
        status=ExportStatus.READY,
        finished_at=now,
        expires_at=now + datetime.timedelta(hours=24),
    )
    export.file.save("tableau-de-bord.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    export.save()
    return export


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "export.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


# --- CSV ---------------------------------------------------------------------------------------


def test_agent_can_download_csv_with_one_row_per_figure(client, agent, march):
    client.force_login(agent)
    response = client.get(f"{CSV_URL}?{MARCH}&structure={march['mine'].code}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="tableau-de-bord_{march["mine"].code}_2026-03-01_2026-03-31.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == ["section", "indicateur", "dimension", "valeur", "unité", "définition"]
    assert all(len(row) == 6 for row in rows)
    values = figures(rows)
    assert values[("Périmètre", "Périmètre", "")] == ("Direction départementale et ses structures filles", "")
    assert values[("Périmètre", "Début de la période", "")] == ("2026-03-01", "date")
    assert values[("Périmètre", "Période", "")] == ("du 1er mars 2026 au 31 mars 2026", "")
    assert values[("Expériences publiées", "Expériences publiées", "")] == ("2", "expériences")
    assert values[("Expériences publiées", "Expériences publiées par mois", "2026-03")] == ("2", "expériences")
    assert values[("Délais de réponse", "Orientations (expérience × structure)", "")] == ("2", "orientations")
    assert values[("Délais de réponse", "Délai moyen", "")] == ("51,3", "heures")
    assert values[("Délais de réponse", "Part des réponses en moins de 72 h", "")] == ("50,0", "%")
    assert values[("Délais de réponse", "Sans réponse", "")] == ("1", "orientations")
    child = f"Antenne locale ({march['child'].code})"
    assert values[("Délais par structure fille", "Orientations (expérience × structure)", child)] == (
        "1",
        "orientations",
    )
    assert values[("Délais par structure fille", "Part sans réponse", child)] == ("100,0", "%")
    assert values[("Sources des expériences", "Expériences par source", "qr-code")] == ("1", "expériences")
    assert values[("Sources des expériences", "Expériences par source", "direct")] == ("1", "expériences")
    assert values[("Ressenti des usagers", "Part des expériences par ressenti", "Négatif")] == ("50,0", "%")
    assert values[("Canaux de contact", "Mentions par canal et ressenti", "Accueil — Négatif")] == ("1", "mentions")
    assert values[("Tags généraux", "Tags par valeur", "Relation — Négatif")] == ("1", "expériences")
    assert values[("Actions d'amélioration", "Actions engagées", "")] == ("0", "actions")


def test_csv_rows_carry_the_definition_of_their_figure(client, agent, march):
    client.force_login(agent)
    rows = csv_rows(client.get(f"{CSV_URL}?{MARCH}"))
    (published,) = [row for row in rows if row[1] == "Expériences publiées"]
    assert published[5].startswith("Nombre d'expériences publiées pendant la période")


def test_csv_neutralises_text_a_spreadsheet_would_run_as_a_formula(client, agent, march):
    published = datetime.datetime(2026, 3, 12, 9, 0, tzinfo=PARIS)
    experience = f.ExperienceFactory(source="=HYPERLINK(1)", published_at=published)
    f.AssignmentFactory(experience=experience, structure=march["mine"])
    client.force_login(agent)
    rows = csv_rows(client.get(f"{CSV_URL}?{MARCH}"))
    assert ("Sources des expériences", "Expériences par source", "'=HYPERLINK(1)") in figures(rows)


def test_agent_cannot_export_csv_of_another_scope(client, agent, march):
    client.force_login(agent)
    response = client.get(f"{CSV_URL}?{MARCH}&structure={march['sibling'].code}")
    assert response.status_code == 200
    # The form falls back to the agent's own structure, as the page does.
    assert march["mine"].code in response["Content-Disposition"]
    values = figures(csv_rows(response))
    assert values[("Périmètre", "Code SP+ de la structure", "")] == (march["mine"].code, "")
    assert values[("Expériences publiées", "Expériences publiées", "")] == ("2", "expériences")


def test_moderator_can_export_csv_of_the_whole_country(client, moderator, march):
    client.force_login(moderator)
    response = client.get(f"{CSV_URL}?{MARCH}")
    assert 'filename="tableau-de-bord_national_2026-03-01_2026-03-31.csv"' in response["Content-Disposition"]
    assert figures(csv_rows(response))[("Expériences publiées", "Expériences publiées", "")] == ("3", "expériences")


def test_csv_file_name_says_which_dashboard_it_holds(client, moderator, march):
    network = march["mine"].network
    client.force_login(moderator)
    cases = {
        f"structure={march['mine'].code}&filles=non": f"{march['mine'].code}-seule",
        f"reseau={network.pk}": f"reseau-{slugify(network.name)}",
    }
    for query, key in cases.items():
        response = client.get(f"{CSV_URL}?{MARCH}&{query}")
        assert f'filename="tableau-de-bord_{key}_2026-03-01_2026-03-31.csv"' in response["Content-Disposition"]


@pytest.mark.parametrize("method,url", [("get", CSV_URL), ("post", PDF_URL)])
def test_anonymous_cannot_export_dashboard(client, method, url):
    response = getattr(client, method)(f"{url}?{MARCH}")
    assert response.status_code == 302
    assert response["Location"].startswith("/agents/connexion/?next=")
    assert not DashboardExport.objects.exists()


def test_user_without_structure_cannot_export_dashboard(client, db):
    client.force_login(f.UserFactory())
    assert client.get(CSV_URL).status_code == 403
    assert client.post(PDF_URL).status_code == 403


# --- PDF ---------------------------------------------------------------------------------------


def test_agent_can_export_pdf_and_download_it_when_ready(
    client, agent, march, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(agent)
    response = request_pdf(client, django_capture_on_commit_callbacks)
    export = DashboardExport.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/agents/tableau-de-bord/exports/{export.public_id}/"
    assert export.status == ExportStatus.READY
    assert export.expires_at == export.finished_at + datetime.timedelta(hours=24)
    assert export.params == {"periode": "personnalisee", "du": "2026-03-01", "au": "2026-03-31"}

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Votre PDF est prêt" in page.content.decode()
    assert 'http-equiv="refresh"' not in page.content.decode()

    download = client.get(f"{response['Location']}fichier/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="tableau-de-bord_{march["mine"].code}_2026-03-01_2026-03-31.pdf"'
    )
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    text = " ".join(pdf_text(content, tmp_path).split())
    assert "Direction départementale et ses structures filles, du 1er mars 2026 au 31 mars 2026" in text
    # pdftotext reads the table's narrow spaces as none: compare without spaces.
    assert "Délaimoyen2j3h" in "".join(text.split())
    # DSFR's stylesheet was really loaded: its @font-face gave the PDF the State's typeface.
    assert "Marianne" in pdf_fonts(content, tmp_path)


def test_pdf_footer_keeps_the_page_number_on_one_line_beside_a_long_scope(
    client, agent, march, django_capture_on_commit_callbacks, tmp_path
):
    mine = march["mine"]
    mine.public_name = "Caisse d'allocations familiales de la Haute-Garonne — agence de Toulouse-Rangueil"
    mine.save(update_fields=["public_name"])
    client.force_login(agent)
    response = request_pdf(client, django_capture_on_commit_callbacks, f"{MARCH}&structure={mine.code}")

    content = b"".join(client.get(f"{response['Location']}fichier/").streaming_content)

    lines = pdf_text(content, tmp_path).splitlines()
    numbers = [line for line in lines if "Page 1 sur" in line]
    assert len(numbers) == 1
    assert re.search(r"Page 1 sur \d+$", numbers[0])
    header = " ".join(" ".join(lines[: lines.index(next(line for line in lines if "Généré le" in line)) + 1]).split())
    assert (
        "Caisse d'allocations familiales de la Haute-Garonne — agence de Toulouse-Rangueil et ses structures filles, "
        "du 1er mars 2026 au 31 mars 2026"
    ) in header
    assert not re.search('["“”]', header)


def test_pdf_export_stops_when_a_stylesheet_cannot_be_loaded(
    client, agent, march, django_capture_on_commit_callbacks, monkeypatch, settings, tmp_path
):
    """An unstyled PDF, or one WeasyPrint would crash on, must not pass for a good one."""
    from django.contrib.staticfiles import finders

    settings.STATIC_ROOT = tmp_path / "no-collectstatic"
    find = finders.find
    monkeypatch.setattr(finders, "find", lambda path, **kw: None if path.endswith("dsfr.min.css") else find(path, **kw))
    client.force_login(agent)
    response = request_pdf(client, django_capture_on_commit_callbacks)
    export = DashboardExport.objects.get()
    assert export.status == ExportStatus.FAILED
    assert not export.file
    page = client.get(response["Location"]).content.decode()
    assert "Le PDF n'a pas pu être préparé" in page
    assert "Préparer à nouveau le PDF" in page


def test_pdf_scope_follows_the_requesters_current_permissions(
    client, agent, march, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(export_service, "dashboard_pdf", lambda report, **kwargs: b"%PDF-1.7 test")
    client.force_login(agent)
    request_pdf(client, django_capture_on_commit_callbacks, f"{MARCH}&structure={march['mine'].code}", execute=False)
    # Before the worker runs, the agent is moved down to the child structure.
    Membership.objects.filter(user=agent).update(structure=march["child"])
    export = DashboardExport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        export_service.dispatch(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert export.scope_label.startswith("Antenne locale")
    assert march["child"].code in export.filename


def test_export_page_shows_progress_while_pending(client, agent, march, django_capture_on_commit_callbacks):
    client.force_login(agent)
    response = request_pdf(client, django_capture_on_commit_callbacks, execute=False)
    page = client.get(response["Location"])
    content = page.content.decode()
    assert page.status_code == 200
    # No automatic reload (RGAA 13.1): the agent refreshes when they choose.
    assert 'http-equiv="refresh"' not in content
    assert ">Actualiser</a>" in content
    assert 'role="status"' in content
    assert "PDF en attente de préparation" in content
    assert client.get(f"{response['Location']}fichier/")["Location"] == response["Location"]


def test_second_pdf_request_while_pending_reuses_the_export(client, agent, march, django_capture_on_commit_callbacks):
    client.force_login(agent)
    first = request_pdf(client, django_capture_on_commit_callbacks, execute=False)
    second = request_pdf(client, django_capture_on_commit_callbacks, "periode=annee", execute=False)
    assert second.status_code == 303
    assert second["Location"] == first["Location"]
    assert DashboardExport.objects.count() == 1
    # It asked for another period: the page says which export it is waiting for instead.
    page = unescape(client.get(second["Location"]).content.decode())
    assert "Un export PDF est déjà en préparation pour vous" in page
    assert "demandez le suivant quand celui-ci sera prêt" in page


def test_the_same_pdf_request_twice_says_nothing_more(client, agent, march, django_capture_on_commit_callbacks):
    client.force_login(agent)
    request_pdf(client, django_capture_on_commit_callbacks, execute=False)
    second = request_pdf(client, django_capture_on_commit_callbacks, execute=False)
    assert "déjà en préparation" not in client.get(second["Location"]).content.decode()


def test_stale_pending_export_gives_way_to_a_new_one(client, agent, march, django_capture_on_commit_callbacks):
    client.force_login(agent)
    first = request_pdf(client, django_capture_on_commit_callbacks, execute=False)
    with time_machine.travel(datetime.timedelta(minutes=20)):
        second = request_pdf(client, django_capture_on_commit_callbacks, execute=False)
    assert second["Location"] != first["Location"]
    assert list(DashboardExport.objects.order_by("pk").values_list("status", flat=True)) == [
        ExportStatus.FAILED,
        ExportStatus.PENDING,
    ]


def test_pdf_export_fails_with_a_message_when_the_broker_is_down(
    client, agent, march, django_capture_on_commit_callbacks, monkeypatch
):
    from dashboards.tasks import generate_dashboard_pdf_task

    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(generate_dashboard_pdf_task, "apply_async", refuse)
    client.force_login(agent)
    response = request_pdf(client, django_capture_on_commit_callbacks)
    assert DashboardExport.objects.get().status == ExportStatus.FAILED
    assert "momentanément indisponible" in client.get(response["Location"]).content.decode()


def test_task_delivered_twice_leaves_the_export_to_the_first_worker(agent, march, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        export = export_service.request_dashboard_pdf(by=agent, query={})
    assert export_service.claim(export.pk)
    assert export_service.generate_dashboard_pdf(export.pk) is None
    assert DashboardExport.objects.get().status == ExportStatus.RUNNING


@pytest.mark.parametrize("suffix", ["", "fichier/"])
def test_agent_cannot_see_export_of_another_user(
    client, agent, sibling_agent, march, django_capture_on_commit_callbacks, suffix
):
    client.force_login(agent)
    location = request_pdf(client, django_capture_on_commit_callbacks, execute=False)["Location"]
    client.force_login(sibling_agent)
    assert client.get(f"{location}{suffix}").status_code == 404


# --- Expiry ------------------------------------------------------------------------------------


def test_expired_export_is_gone_with_its_file(client, agent):
    export = ready_export(agent)
    location = f"/agents/tableau-de-bord/exports/{export.public_id}/"
    client.force_login(agent)
    assert client.get(f"{location}fichier/").status_code == 200
    with time_machine.travel(datetime.timedelta(hours=25)):
        client.force_login(agent)  # sessions last 8 hours
        # Past its expiry and before the hourly purge: already refused.
        assert client.get(f"{location}fichier/").status_code == 410
        assert purge_dashboard_exports_task.delay().get() == 1
        page = client.get(location)
        download = client.get(f"{location}fichier/")
    assert not default_storage.exists(export.file.name)
    export.refresh_from_db()
    assert (export.status, export.file.name) == (ExportStatus.EXPIRED, "")
    assert page.status_code == 410
    assert "Ce fichier a expiré" in page.content.decode()
    assert download.status_code == 410


def test_purge_keeps_exports_still_valid(agent):
    export = ready_export(agent)
    with time_machine.travel(datetime.timedelta(hours=23)):
        assert export_service.purge_expired_exports() == 0
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert default_storage.exists(export.file.name)


def test_purge_fails_exports_a_dead_worker_left_running(agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        export = export_service.request_dashboard_pdf(by=agent, query={})
    export_service.claim(export.pk)
    with time_machine.travel(datetime.timedelta(hours=1)):
        export_service.purge_expired_exports()
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert export.error == export_lifecycle.INTERRUPTED
