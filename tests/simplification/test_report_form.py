"""« Signaler un document complexe » without JavaScript: validation, suggestions, upload checks, rate limit."""

import html

import pytest
from django.core import mail
from django.test import Client

from notifications.models import OutboxEmail
from simplification.models import ComplexDocumentReport, ReportState
from tests.factories import TypologyFactory

from .conftest import DESCRIPTION, OWNER, REPORTER_EMAIL, pdf_bytes, upload

pytestmark = pytest.mark.django_db

REPORT_URL = "/documents-complexes/signaler/"


@pytest.fixture
def taxes(db):
    return TypologyFactory(name="Centre des finances publiques", keywords="taxe foncière\nimpôts")


def valid_data(chosen, **overrides) -> dict:
    data = {
        "kind": "courrier",
        "title": "Avis de taxe foncière",
        "description": DESCRIPTION,
        "typology": str(chosen.pk),
        "organism_name": "",
        "email": REPORTER_EMAIL,
        "website": "",
        "token": "",
        "action": "send",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_form_page_warns_to_hide_personal_data_before_attaching(client):
    response = client.get(REPORT_URL)

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    assert "masquez vos données personnelles" in page_text(response)


def test_citizen_reports_a_document_with_a_pdf_and_is_told_by_email(client, taxes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REPORT_URL, {**valid_data(taxes), "document": upload("avis.pdf", pdf_bytes())})

    assert response.status_code == 302
    report = ComplexDocumentReport.objects.get()
    assert (report.state, report.typology, report.file_type) == (ReportState.RECEIVED, taxes, "application/pdf")
    assert OWNER.encode() not in report.file.read()
    assert [m.to for m in mail.outbox] == [[REPORTER_EMAIL]]
    assert "est bien reçu" in mail.outbox[0].subject
    done = client.get(response.url)
    assert "u***@example.org" in page_text(done)
    assert REPORTER_EMAIL not in page_text(done)


def test_search_button_suggests_the_administration_from_the_text_without_judging(client, taxes):
    response = client.post(REPORT_URL, valid_data(taxes, typology=None, action="suggest"))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'id="id_typology_{taxes.pk}"' in content
    assert "error-summary" not in content
    assert not ComplexDocumentReport.objects.exists()


def test_typed_administration_replaces_a_suggestion(client, taxes):
    response = client.post(REPORT_URL, valid_data(taxes, typology=None, organism_name="Mairie de Lyon"))

    assert response.status_code == 302
    assert ComplexDocumentReport.objects.get().administration == "Mairie de Lyon"


def test_without_administration_the_form_says_what_to_fix(client, taxes):
    response = client.post(REPORT_URL, valid_data(taxes, typology=None))

    assert response.status_code == 200
    assert "Choisissez l'administration parmi les propositions, ou saisissez son nom." in page_text(response)
    assert not ComplexDocumentReport.objects.exists()


def test_executable_renamed_pdf_is_refused_and_nothing_typed_is_lost(client, taxes):
    forged = upload("avis.pdf", b"MZ\x90\x00\x03 not a document", "application/pdf")

    response = client.post(REPORT_URL, {**valid_data(taxes), "document": forged})

    assert response.status_code == 200
    text = page_text(response)
    assert "Le document doit être un PDF ou une image (PNG ou JPEG)" in text
    assert DESCRIPTION in text and 'value="Avis de taxe foncière"' in text
    assert not ComplexDocumentReport.objects.exists()


def test_too_big_document_is_refused(client, taxes):
    too_big = upload("gros.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024), "application/pdf")

    response = client.post(REPORT_URL, {**valid_data(taxes), "document": too_big})

    assert "Le document dépasse 5 Mo" in page_text(response)
    assert not ComplexDocumentReport.objects.exists()


def test_free_text_is_escaped_when_shown_back(client, taxes):
    response = client.post(REPORT_URL, valid_data(taxes, title="<script>alert(1)</script>", email="pas-une-adresse"))

    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()


def test_double_click_records_one_report(client, taxes):
    data = valid_data(taxes, token="jeton-du-formulaire")

    assert client.post(REPORT_URL, data).status_code == 302
    assert client.post(REPORT_URL, data).status_code == 302

    assert ComplexDocumentReport.objects.count() == 1


def test_honeypot_gets_a_thank_you_and_nothing_is_stored(client, taxes):
    response = client.post(REPORT_URL, valid_data(taxes, website="http://spam.example"))

    assert response.status_code == 302
    assert not ComplexDocumentReport.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_same_email_reporting_too_often_gets_the_form_back_with_everything_typed(taxes):
    for index in range(5):
        assert Client(REMOTE_ADDR=f"192.0.2.{index}").post(REPORT_URL, valid_data(taxes)).status_code == 302

    refused = Client(REMOTE_ADDR="192.0.2.99").post(REPORT_URL, valid_data(taxes))

    assert refused.status_code == 429
    assert "Votre saisie est conservée ci-dessous" in page_text(refused)
    assert DESCRIPTION in page_text(refused)
    assert ComplexDocumentReport.objects.count() == 5


def test_one_address_is_limited_after_ten_reports(taxes):
    counter = Client(REMOTE_ADDR="198.51.100.20")
    for index in range(10):
        assert counter.post(REPORT_URL, valid_data(taxes, email=f"usager{index}@example.org")).status_code == 302

    assert counter.post(REPORT_URL, valid_data(taxes, email="usager10@example.org")).status_code == 429
    assert ComplexDocumentReport.objects.count() == 10


def test_confirmation_page_is_only_for_the_browser_that_reported(client):
    assert client.get("/documents-complexes/signaler/merci/").url == REPORT_URL


def test_report_form_needs_csrf_token(taxes):
    response = Client(enforce_csrf_checks=True).post(REPORT_URL, valid_data(taxes))

    assert response.status_code == 403
    assert not ComplexDocumentReport.objects.exists()


def test_too_big_document_is_skipped_as_it_streams_in_and_the_rest_of_the_form_kept(client, taxes):
    too_big = upload("gros.jpg", b"\xff\xd8\xff" + b"0" * (6 * 1024 * 1024), "image/jpeg")

    response = client.post(REPORT_URL, {**valid_data(taxes), "document": too_big})

    assert "Le document dépasse 5 Mo" in page_text(response)
    assert 'value="Avis de taxe foncière"' in page_text(response)
    assert not response.wsgi_request.FILES
