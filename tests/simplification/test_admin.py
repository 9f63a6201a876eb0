"""The moderators' admin over reports, tried over HTTP as a moderator: queue, flags, masked e-mail, decisions."""

import pytest
from django.urls import reverse

from notifications.models import OutboxEmail
from simplification.models import ReportState
from tests.helpers import admin_form_data

from .conftest import REPORTER_EMAIL, make_report, pdf_bytes

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:simplification_complexdocumentreport_changelist")


def page(report) -> str:
    return reverse("admin:simplification_complexdocumentreport_change", args=[report.pk])


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def decide(moderator_client, report, **fields):
    data = admin_form_data(moderator_client.get(page(report)))
    data.update(fields)
    return moderator_client.post(page(report), data, follow=True)


def test_queue_counts_personal_data_and_filters_on_it(moderator_client, report):
    flagged = make_report(description="Mon numéro est le 06 12 34 56 78, rappelez-moi pour m'expliquer ce courrier.")

    response = moderator_client.get(QUEUE, {"donnees_personnelles": "oui"})

    rows = list(response.context["cl"].result_list)
    assert rows == [flagged]
    assert REPORTER_EMAIL not in response.content.decode()


def test_moderation_page_highlights_personal_data_and_masks_the_email(moderator_client):
    report = make_report(
        document=pdf_bytes(), description="Appelez-moi au 06 12 34 56 78 pour <b>parler</b> de mon avis d'imposition."
    )

    content = moderator_client.get(page(report)).content.decode()

    assert '<mark title="numéro de téléphone">06 12 34 56 78</mark>' in content
    assert "&lt;b&gt;parler&lt;/b&gt;" in content
    assert "u***@example.org" in content
    assert REPORTER_EMAIL not in content
    assert reverse("agents:document_report_file", args=[report.pk]) in content


def test_moderator_accepts_routes_simplifies_and_publishes(moderator_client, report, structure_tree):
    decide(moderator_client, report, decision="accept", structures=[str(structure_tree["mine"].pk)])
    report.refresh_from_db()
    assert report.state == ReportState.IN_REVIEW
    assert list(report.routings.values_list("structure", flat=True)) == [structure_tree["mine"].pk]

    decide(moderator_client, report, decision="simplify", simplified_version="Payez 30 € avant le 15 mars.")
    response = decide(
        moderator_client, report, decision="publish", original_excerpt="Régularisation de l'assiette de la taxe."
    )

    report.refresh_from_db()
    assert (report.state, report.is_published_example) == (ReportState.SIMPLIFIED, True)
    assert "Signalement enregistré." in response.content.decode()
    assert OutboxEmail.objects.filter(kind="document_report_simplified").count() == 1


def test_refused_decision_says_why_and_changes_nothing(moderator_client, report):
    response = decide(moderator_client, report, decision="accept")

    assert "Décision non enregistrée : Pour accepter le signalement, choisissez entre une et trois structures." in (
        response.content.decode().replace("&#x27;", "'")
    )
    report.refresh_from_db()
    assert report.state == ReportState.RECEIVED


def test_moderator_rejects_with_a_reason(moderator_client, report):
    decide(moderator_client, report, decision="close", reason="Document privé, sans lien avec une administration.")

    report.refresh_from_db()
    assert report.state == ReportState.CLOSED
    assert report.closing_reason == "Document privé, sans lien avec une administration."


def test_moderator_cannot_add_or_delete_reports(moderator_client, report):
    assert moderator_client.get(reverse("admin:simplification_complexdocumentreport_add")).status_code == 403
    delete = reverse("admin:simplification_complexdocumentreport_delete", args=[report.pk])
    assert moderator_client.get(delete).status_code == 403


def test_queue_cannot_be_searched_by_the_reporter_email(moderator_client, report):
    response = moderator_client.get(QUEUE, {"reporter_email__startswith": "u"})

    assert response.status_code == 400
    assert list(moderator_client.get(QUEUE, {"q": REPORTER_EMAIL}).context["cl"].result_list) == []


def test_structures_autocomplete_answers_the_moderator(moderator_client, structure_tree):
    response = moderator_client.get(
        "/admin/autocomplete/",
        {"app_label": "simplification", "model_name": "reportrouting", "field_name": "structure", "term": "voisine"},
    )

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(structure_tree["sibling"].pk)]


def test_administrator_erases_a_report_and_its_file(client, superuser, report, django_capture_on_commit_callbacks):
    client.force_login(superuser)
    storage, name = report.file.storage, report.file.name
    assert storage.exists(name)

    delete = reverse("admin:simplification_complexdocumentreport_delete", args=[report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete, {"post": "yes"})

    assert response.status_code == 302
    assert not storage.exists(name)
    assert not type(report).objects.filter(pk=report.pk).exists()


def test_moderator_removes_a_name_from_the_title_before_publishing(moderator_client, routed_report, moderator):
    from simplification import services

    services.mark_simplified(report=routed_report, by=moderator, simplified_version="Payez avant le 15 mars.")

    decide(
        moderator_client,
        routed_report,
        title="Avis de taxe foncière",
        decision="publish",
        original_excerpt="Régularisation de l'assiette.",
    )

    routed_report.refresh_from_db()
    assert (routed_report.title, routed_report.is_published_example) == ("Avis de taxe foncière", True)
