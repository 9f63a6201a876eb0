"""Diagnostics PDFs end to end: requested on a page, prepared by the Celery task with WeasyPrint (the real DSFR
stylesheets), stored, downloaded by the requester only, read back with pdftotext; expiry and purge."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics import exports
from diagnostics.models import AnswerValue as V
from diagnostics.models import DiagnosticExport, ExportStatus
from structures.models import Role
from tests import factories as f
from tests.diagnostics.helpers import completed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def evaluator(structure_tree):
    return f.MembershipFactory(structure=structure_tree["mine"], role=Role.EVALUATOR).user


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "export.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def download(client, response, django_capture_on_commit_callbacks) -> bytes:
    export = DiagnosticExport.objects.get()
    assert response.status_code == 303
    assert export.status == ExportStatus.READY, export.error
    file = client.get(reverse("agents:diagnostic_export_file", args=[export.public_id]))
    assert file["Content-Type"] == "application/pdf"
    return b"".join(file.streaming_content)


def test_blank_questionnaire_pdf_holds_every_commitment_and_question(
    client, evaluator, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(evaluator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agents:diagnostic_blank_pdf"))

    text = pdf_text(download(client, response, django_capture_on_commit_callbacks), tmp_path)
    assert "Questionnaire du diagnostic Services Publics+" in text
    assert "9. Éco-responsabilité" in text
    assert "Ne relève pas de la structure" in text
    assert "un système de gestion de la file d'attente" in text.lower()


def test_results_pdf_holds_the_scores_and_the_rule(
    client, evaluator, structure_tree, django_capture_on_commit_callbacks, tmp_path
):
    diagnostic = completed(structure_tree["mine"], value=V.MOSTLY, by_commitment={9: V.NO})
    client.force_login(evaluator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agents:diagnostic_pdf", args=[diagnostic.pk]))

    text = pdf_text(download(client, response, django_capture_on_commit_callbacks), tmp_path)
    assert structure_tree["mine"].code in text
    assert "Score global" in text
    assert "Comment les scores sont calculés" in text
    assert "Éco-responsabilité" in text and "0 %" in text
    assert "Créer une action" not in text


def test_consolidated_pdf_holds_the_distributions(client, structure_tree, django_capture_on_commit_callbacks, tmp_path):
    completed(structure_tree["mine"], value=V.YES)
    completed(structure_tree["sibling"], value=V.NO)
    referent = f.MembershipFactory(structure=structure_tree["root"], role=Role.REFERENT).user
    client.force_login(referent)
    url = reverse("agents:diagnostics_consolidated_pdf") + f"?structure={structure_tree['root'].code}"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    text = pdf_text(download(client, response, django_capture_on_commit_callbacks), tmp_path)
    assert "Résultats consolidés" in text
    assert "Médiane" in text and "50 %" in text


def test_results_pdf_of_a_diagnostic_out_of_scope_is_a_404(client, evaluator, structure_tree):
    diagnostic = completed(structure_tree["sibling"])
    client.force_login(evaluator)

    assert client.post(reverse("agents:diagnostic_pdf", args=[diagnostic.pk])).status_code == 404
    assert not DiagnosticExport.objects.exists()


def test_another_user_cannot_open_the_export(client, evaluator, structure_tree):
    export = DiagnosticExport.objects.create(requested_by=evaluator, kind="blank", label="x")
    client.force_login(f.MembershipFactory(structure=structure_tree["mine"], role=Role.EVALUATOR).user)

    assert client.get(reverse("agents:diagnostic_export", args=[export.public_id])).status_code == 404


def test_purge_deletes_expired_files_and_the_page_says_expired(client, evaluator, django_capture_on_commit_callbacks):
    client.force_login(evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agents:diagnostic_blank_pdf"))
    export = DiagnosticExport.objects.get()

    purged = exports.purge_expired_exports(now=timezone.now() + datetime.timedelta(hours=25))

    export.refresh_from_db()
    assert purged == 1 and export.status == ExportStatus.EXPIRED and not export.file
    assert client.get(reverse("agents:diagnostic_export", args=[export.public_id])).status_code == 410


def test_a_task_delivered_twice_renders_once(client, evaluator, django_capture_on_commit_callbacks):
    client.force_login(evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agents:diagnostic_blank_pdf"))

    assert exports.generate_export(DiagnosticExport.objects.get().pk) is None


def test_a_file_gone_from_the_storage_reads_as_expired(client, evaluator, django_capture_on_commit_callbacks):
    client.force_login(evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agents:diagnostic_blank_pdf"))
    export = DiagnosticExport.objects.get()
    export.file.storage.delete(export.file.name)

    response = client.get(reverse("agents:diagnostic_export_file", args=[export.public_id]))

    assert response.status_code == 410
    assert "expiré" in response.content.decode()
