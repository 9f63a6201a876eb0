"""« Signaler un document complexe » in a real browser: the keyboard-only path with an attachment, the page
with errors, the confirmation and « Documents simplifiés », with no serious or critical axe violation."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from simplification.models import ComplexDocumentReport, ReportState
from tests.e2e.axe import blocking_violations
from tests.factories import TypologyFactory
from tests.simplification.conftest import OWNER, pdf_bytes

pytestmark = pytest.mark.e2e

DESCRIPTION = "Le courrier parle de « régularisation de l'assiette » sans dire ce que je dois faire ni avant quand."


@pytest.fixture
def taxes(transactional_db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return TypologyFactory(name="Centre des finances publiques", keywords="taxe foncière")


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus: it is reachable with the keyboard."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} n'est jamais atteint au clavier.")


def test_citizen_reports_a_document_with_the_keyboard_alone(page: Page, live_server, taxes, tmp_path):
    document = tmp_path / "avis.pdf"
    document.write_bytes(pdf_bytes())
    page.goto(live_server.url + "/documents-complexes/signaler/")
    assert blocking_violations(page) == []

    page.locator("h1").focus()
    tab_to(page, "#id_kind_0")
    page.keyboard.press("Space")
    tab_to(page, "#id_title")
    page.keyboard.type("Avis de taxe foncière")
    tab_to(page, "#id_description")
    page.keyboard.type(DESCRIPTION)
    tab_to(page, "button[value=suggest]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("radio", name="Centre des finances publiques")).to_be_visible()
    page.locator("h1").focus()
    tab_to(page, f"#id_typology_{taxes.pk}")
    page.keyboard.press("Space")
    tab_to(page, "#id_document")
    # Space opens the browser's own file dialog, which no test drives reliably: choose the file on the focused input.
    page.locator("#id_document").set_input_files(str(document))
    tab_to(page, "#id_email")
    page.keyboard.type("camille@example.org")
    tab_to(page, "button.fr-btn[value=send]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, votre signalement a bien été envoyé")
    expect(page.get_by_text("c***@example.org")).to_be_visible()
    assert blocking_violations(page) == []
    report = ComplexDocumentReport.objects.get()
    assert (report.state, report.typology, report.kind) == (ReportState.RECEIVED, taxes, "courrier")
    assert report.file_type == "application/pdf"
    assert OWNER.encode() not in report.file.read()


def test_report_page_with_errors_has_no_blocking_violation(page: Page, live_server, taxes, tmp_path):
    forged = tmp_path / "avis.pdf"
    forged.write_bytes(b"MZ\x90\x00 not a document")
    page.goto(live_server.url + "/documents-complexes/signaler/")
    page.get_by_label("Quel document ?").fill("<script>alert(1)</script>")
    page.get_by_label("Le document (facultatif)").set_input_files(str(forged))
    page.get_by_role("button", name="Envoyer mon signalement").click()

    expect(page).to_have_title(re.compile("^Erreur : Signaler un document complexe"))
    expect(page.get_by_text("Le document doit être un PDF ou une image (PNG ou JPEG)").first).to_be_visible()
    expect(page.get_by_label("Quel document ?")).to_have_value("<script>alert(1)</script>")
    assert blocking_violations(page) == []


def test_simplified_documents_page_has_no_blocking_violation(page: Page, live_server, taxes):
    ComplexDocumentReport.objects.create(
        kind="formulaire",
        title="Demande d'aide au logement",
        description=DESCRIPTION,
        reporter_email="usager@example.org",
        typology=taxes,
        state=ReportState.SIMPLIFIED,
        original_excerpt="Veuillez produire les justificatifs afférents à votre situation.",
        simplified_version="Joignez vos trois dernières fiches de paie.",
        is_published_example=True,
        published_at=timezone.now(),
    )
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Documents simplifiés").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Documents simplifiés")
    expect(page.get_by_text("Joignez vos trois dernières fiches de paie.")).to_be_visible()
    assert blocking_violations(page) == []


def test_moderator_reads_the_flags_and_closes_a_report_without_blocking_violation(page: Page, live_server, taxes):
    from simplification.services import submit_report
    from tests.factories import ModeratorFactory

    report = submit_report(
        kind="courrier",
        title="Avis de taxe foncière",
        description="Rappelez-moi au 06 12 34 56 78 : je ne comprends pas la « régularisation de l'assiette ».",
        email="usager@example.org",
        typology=taxes,
    )
    moderator = ModeratorFactory(email="moderatrice@ditp.gouv.fr")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Adresse e-mail").fill(moderator.email)
    page.get_by_label("Mot de passe").fill("mot-de-passe-solide-2026")
    page.get_by_role("button", name="Connexion").click()

    page.goto(live_server.url + "/admin/simplification/complexdocumentreport/")
    assert blocking_violations(page) == []
    page.get_by_role("link", name="Avis de taxe foncière").click()
    expect(page.locator("mark", has_text="06 12 34 56 78")).to_be_visible()
    expect(page.get_by_text("u***@example.org")).to_be_visible()
    assert blocking_violations(page) == []

    page.get_by_label("Rejeter ou classer sans suite, avec le motif").check()
    page.get_by_label("Motif du rejet ou du classement sans suite").fill("Ce courrier a déjà été simplifié en 2025.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.get_by_text("Signalement enregistré.")).to_be_visible()
    report.refresh_from_db()
    assert report.state == ReportState.CLOSED


def test_routed_agent_reads_the_report_and_downloads_its_file(page: Page, live_server, taxes):
    from simplification import services
    from simplification.uploads import clean_document
    from structures.models import Role
    from tests.factories import MembershipFactory, ModeratorFactory, StructureFactory
    from tests.simplification.conftest import upload

    office = StructureFactory(name="Service des impôts des particuliers de Lyon 3e")
    agent = MembershipFactory(structure=office, role=Role.AGENT).user
    report = services.submit_report(
        kind="courrier",
        title="Avis de taxe foncière",
        description=DESCRIPTION,
        email="usager@example.org",
        typology=taxes,
        document=clean_document(upload("avis.pdf", pdf_bytes())),
    )
    services.accept_report(report=report, by=ModeratorFactory(), structures=[office])
    page.goto(live_server.url + "/agents/connexion/")
    page.get_by_role("textbox", name="Adresse e-mail").fill(agent.email)
    page.get_by_label("Mot de passe", exact=True).fill("mot-de-passe-solide-2026")
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("link", name="Documents signalés", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents signalés")
    assert blocking_violations(page) == []
    page.get_by_role("link", name="Avis de taxe foncière").click()
    expect(page.get_by_text(DESCRIPTION)).to_be_visible()
    assert "usager@example.org" not in page.content()
    assert blocking_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger le document joint")).click()
    assert download.value.suggested_filename == f"signalement-{report.pk}.pdf"
