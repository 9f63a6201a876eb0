"""An agent answers an experience and a super agent publishes it: the answer reaches the public page."""

import pytest
from playwright.sync_api import Page, expect

from structures.models import Role
from tests import factories as f
from tests.e2e.axe import blocking_violations

pytestmark = pytest.mark.e2e

PASSWORD = "mot-de-passe-solide-2026"
ANSWER = "Merci pour votre retour : l'accueil téléphonique est désormais ouvert jusqu'à 18 h."


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + "/agents/")
    page.get_by_role("textbox", name="Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()


def test_answer_validated_by_a_super_agent_reaches_the_public_page(page: Page, live_server):
    tree_root = f.StructureFactory(name="Direction départementale des finances publiques")
    office = f.StructureFactory(parent=tree_root, name="Service des impôts de Bastia")
    agent = f.MembershipFactory(structure=office, role=Role.AGENT, user__email="repondant@dgfip.gouv.fr").user
    f.PolitenessFormulaFactory(user=agent, text="Madame, Monsieur,")
    f.SignatureFactory(user=agent, text="Le service des impôts de Bastia")
    boss = f.MembershipFactory(structure=tree_root, role=Role.SUPER_AGENT, user__email="chef@dgfip.gouv.fr").user
    waiting = f.ExperienceFactory(title="Un rendez-vous fixé en deux jours", author_email="usager@example.org")
    f.AssignmentFactory(experience=waiting, structure=office)
    done = f.ExperienceFactory(title="Une démarche déjà traitée", status="answered")
    f.AssignmentFactory(experience=done, structure=office, response_status="answered")

    sign_in(page, live_server.url, agent.email)
    expect(page.get_by_role("heading", name="Les expériences de mes structures")).to_be_visible()
    page.locator("label[for=etat-a-traiter]").click()
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=done.title)).to_have_count(0)
    assert blocking_violations(page) == []
    page.get_by_role("link", name=waiting.title).click()

    page.get_by_label("Formule de politesse").select_option("Madame, Monsieur,")
    page.get_by_label("Votre réponse").fill(ANSWER)
    page.get_by_label("Signature").select_option("Le service des impôts de Bastia")
    page.get_by_role("button", name="Soumettre à validation").click()
    expect(page.get_by_text("Réponse soumise à validation : les super répondants sont prévenus.")).to_be_visible()
    assert blocking_violations(page) == []
    sign_out(page)

    sign_in(page, live_server.url, boss.email)
    page.goto(live_server.url + f"/agents/experiences/{waiting.public_id}/")
    expect(page.get_by_role("heading", name="Cette réponse attend votre validation")).to_be_visible()
    page.get_by_role("button", name="Valider et publier").click()
    expect(page.get_by_text("Réponse validée et publiée : l'usager est prévenu.")).to_be_visible()

    page.goto(live_server.url + waiting.get_absolute_url())
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.get_by_text("Le service des impôts de Bastia").first).to_be_visible()
