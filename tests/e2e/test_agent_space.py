"""Issue 18 in the browser: a referent opens an agent's account from « Habilitations », the agent chooses a
password from the e-mail, finds the import template by searching « transparence » and opens their structure's
promotion kit — each new page reached and used with the keyboard, none with a serious axe violation."""

import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from resources.models import Resource, ResourceKind, Theme
from structures.models import Role
from tests import factories as f
from tests.e2e.axe import blocking_violations
from tests.e2e.test_agent_journey import sign_in, sign_out

pytestmark = pytest.mark.e2e

NEW_AGENT = "ines.garnier@example.gouv.fr"
NEW_PASSWORD = "un-tout-nouveau-secret-2026"


def tab_to(page: Page, element_id: str, limit: int = 150) -> None:
    """Press Tab until the element with `element_id` has the focus, as a keyboard user reaches it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} n'est jamais atteint au clavier.")


def tab_to_text(page: Page, text: str, limit: int = 150) -> None:
    """Press Tab until a link or button whose text starts with `text` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if (page.evaluate("document.activeElement.textContent") or "").strip().startswith(text):
            return
    raise AssertionError(f"« {text} » n'est jamais atteint au clavier.")


@pytest.fixture
def library(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    theme = Theme.objects.create(name="Transparence des résultats", slug="transparence")
    guide = Resource.objects.create(
        kind=ResourceKind.PAGE,
        title="Guide pratique de l'import des données de transparence",
        summary="Préparer, tester et exécuter l'import.",
        body="Téléchargez le modèle, remplissez-le, testez-le.",
    )
    template = Resource(
        kind=ResourceKind.DOCUMENT,
        title="Modèle type de fichier d'import",
        summary="Le fichier CSV à remplir pour la transparence.",
    )
    template.file.save("modele-import-resultats.csv", ContentFile(b"Valeur;Code\n"), save=True)
    for resource in (guide, template):
        resource.themes.add(theme)


def test_referent_opens_an_account_and_the_agent_finds_resources_and_the_kit(page: Page, live_server, library):
    root = f.StructureFactory(name="Direction générale des finances publiques", code="DGFIP0")
    f.StructureFactory(parent=root, name="SIP Lyon 3e", code="SIPLYON3", tracking_key="sip-lyon-3")
    referent = f.MembershipFactory(structure=root, role=Role.REFERENT).user

    sign_in(page, live_server.url, referent.email)
    page.get_by_role("navigation", name="Menu de l'espace agent").get_by_role("link", name="Habilitations").click()
    expect(page.get_by_role("heading", name="Habilitations des agents")).to_be_visible()
    assert blocking_violations(page) == []
    tab_to_text(page, "Ajouter un agent")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ajouter un agent à une structure")).to_be_visible()
    assert blocking_violations(page) == []
    tab_to(page, "id_structure")
    page.keyboard.type("SIPLYON3")
    page.keyboard.press("Tab")
    page.keyboard.type(NEW_AGENT)
    page.keyboard.press("Tab")
    page.keyboard.type("Inès")
    page.keyboard.press("Tab")
    page.keyboard.type("Garnier")
    tab_to_text(page, "Ajouter l'agent")  # past the role's select, « Répondant » by default
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"{NEW_AGENT} est répondant de SIP Lyon 3e.")).to_be_visible()
    expect(page.get_by_role("cell", name="En attente du premier accès")).to_be_visible()
    assert blocking_violations(page) == []
    sign_out(page)

    (message,) = [m for m in mail.outbox if m.to == [NEW_AGENT]]
    link = re.search(r"https?://\S+?(/agents/mot-de-passe/\S+/)", message.body).group(1)
    page.goto(live_server.url + link)
    page.get_by_label(re.compile(r"^Nouveau mot de passe")).fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()
    page.goto(live_server.url + "/agents/")
    page.get_by_role("textbox", name="Adresse e-mail").fill(NEW_AGENT)
    page.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    menu = page.get_by_role("navigation", name="Menu de l'espace agent")
    expect(menu.get_by_role("link", name="Habilitations")).to_have_count(0)
    menu.get_by_role("link", name="Ressources et FAQ").click()
    expect(page.get_by_role("heading", name="Ressources et questions fréquentes")).to_be_visible()
    assert blocking_violations(page) == []
    tab_to(page, "id_q")
    page.keyboard.type("transparence")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="2 ressources pour « transparence »")).to_be_visible()
    assert blocking_violations(page) == []
    tab_to_text(page, "Modèle type de fichier d'import")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Modèle type de fichier d'import")).to_be_visible()
    assert blocking_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger modele-import-resultats.csv")).click()
    assert download.value.suggested_filename == "modele-import-resultats.csv"

    menu.get_by_role("link", name="Kit de promotion").click()
    expect(page.get_by_role("heading", name="Kit de promotion", exact=True)).to_be_visible()
    assert blocking_violations(page) == []
    tab_to_text(page, "SIP Lyon 3e")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kit de promotion : SIP Lyon 3e")).to_be_visible()
    tab_to(page, "id_campagne")
    page.keyboard.type("Rentrée")
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("cell", name=re.compile(r"source=sip-lyon-3&canal=banniere&campagne=Rentr"))
    ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("QR code menant au formulaire de partage"))).to_be_visible()
    expect(page.get_by_label("Code HTML : Pavé")).to_have_value(re.compile("Aidez le service public"))
    assert blocking_violations(page) == []


def test_referent_removes_a_membership_with_the_keyboard_after_confirming(page: Page, live_server):
    root = f.StructureFactory(name="Direction générale des finances publiques", code="DGFIP0")
    office = f.StructureFactory(parent=root, name="SIP Lyon 3e", code="SIPLYON3")
    referent = f.MembershipFactory(structure=root, role=Role.REFERENT).user
    f.MembershipFactory(structure=office, role=Role.AGENT, user__email="partant@example.gouv.fr")

    sign_in(page, live_server.url, referent.email)
    page.goto(live_server.url + "/agents/habilitations/")
    tab_to_text(page, "Retirer")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Retirer une habilitation")).to_be_visible()
    assert blocking_violations(page) == []
    tab_to_text(page, "Retirer l'habilitation")
    page.keyboard.press("Enter")
    expect(page.get_by_text("L'habilitation de partant@example.gouv.fr sur SIP Lyon 3e est retirée.")).to_be_visible()
    expect(page.get_by_role("cell", name="Habilitation retirée")).to_be_visible()
    assert blocking_violations(page) == []
