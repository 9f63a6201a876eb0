"""The diagnostic in the browser: an evaluator fills in a page with the keyboard alone, stops, comes back,
finishes and reads the results; the pages have no serious or critical axe violation."""

import pytest
from playwright.sync_api import Page, expect

from diagnostics.models import AnswerValue, Diagnostic
from structures.models import Role
from tests import factories as f
from tests.diagnostics.helpers import answer_all, completed
from tests.e2e.axe import blocking_violations

pytestmark = pytest.mark.e2e
PASSWORD = "mot-de-passe-solide-2026"


def sign_in(page: Page, live_server, user) -> None:
    page.goto(live_server.url + "/agents/connexion/")
    page.get_by_role("textbox", name="Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def answer_with_the_keyboard(page: Page) -> None:
    """Tab to each question's first answer and press Space, until the forward button, then Enter."""
    page.locator("h1").first.focus()
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.type, document.activeElement.checked, document.activeElement.textContent]"
        )
        kind, checked, label = focused
        if kind == "radio" and not checked:
            page.keyboard.press("Space")
        elif kind == "submit" and label.strip() == "Suivant":
            page.keyboard.press("Enter")
            return
    raise AssertionError("Le bouton « Suivant » n'est jamais atteint au clavier.")


def test_evaluator_fills_in_stops_resumes_and_reads_the_results(page: Page, live_server):
    structure = f.StructureFactory(name="Service des impôts des particuliers de Lyon")
    evaluator = f.MembershipFactory(structure=structure, role=Role.EVALUATOR).user
    sign_in(page, live_server, evaluator)

    page.get_by_role("link", name="Diagnostic", exact=True).click()
    expect(page.get_by_role("heading", name="Diagnostic Services Publics+")).to_be_visible()
    assert blocking_violations(page) == []
    page.get_by_role("button", name="Réaliser le diagnostic Services Publics+ en équipe").click()

    expect(page.get_by_text("Étape 1 sur 9")).to_be_visible()
    assert blocking_violations(page) == []
    answer_with_the_keyboard(page)
    expect(page.get_by_text("Étape 2 sur 9")).to_be_visible()

    # The team stops on page 2 with one answer and a note, and comes back later.
    page.locator("label", has_text="Plutôt oui").first.click()
    page.get_by_label("Points forts et pistes d'amélioration").fill("Afficher les heures d'affluence.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré")).to_be_visible()
    page.goto(live_server.url + "/agents/diagnostics/")
    page.get_by_role("link", name="Reprendre à l'engagement 2").click()
    expect(page.get_by_label("Points forts et pistes d'amélioration")).to_have_value("Afficher les heures d'affluence.")

    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_text("Répondez à cette question pour passer à la page suivante.").first).to_be_visible()
    assert blocking_violations(page) == []

    # The rest of the questionnaire, as the team would answer it, then the last pages in the browser.
    diagnostic = Diagnostic.objects.get()
    answer_all(diagnostic, AnswerValue.MOSTLY)
    page.goto(f"{live_server.url}/agents/diagnostics/{diagnostic.pk}/")
    for number in range(2, 9):
        page.get_by_role("button", name="Suivant").click()
        expect(page.get_by_text(f"Étape {number + 1} sur 9")).to_be_visible()
    page.get_by_role("button", name="Précédent").click()
    expect(page.get_by_text("Étape 8 sur 9")).to_be_visible()
    page.get_by_role("button", name="Suivant").click()
    page.get_by_role("button", name="Enregistrer le diagnostic").click()

    expect(page.get_by_role("heading", name="Résultats du diagnostic Services Publics+")).to_be_visible()
    expect(page.get_by_role("heading", name="Score global", exact=False)).to_be_visible()
    expect(page.get_by_role("img", name="Barres des scores par engagement", exact=False)).to_be_visible()
    assert blocking_violations(page) == []


def test_referent_reads_the_consolidated_results_and_filters_by_typology(page: Page, live_server):
    parent = f.StructureFactory(name="Direction régionale")
    typology = f.TypologyFactory(name="Service des impôts des entreprises")
    for name in ("Nord", "Sud", "Est"):
        completed(f.StructureFactory(parent=parent, name=f"Service {name}", typology=typology))
    referent = f.MembershipFactory(structure=parent, role=Role.REFERENT).user
    sign_in(page, live_server, referent)

    page.goto(live_server.url + "/agents/diagnostics/")
    page.get_by_role("link", name="Consulter les résultats consolidés des diagnostics Services Publics+").click()
    expect(page.get_by_text("3 structures filles")).to_be_visible()
    page.get_by_label("Typologie de structure").select_option(label="Service des impôts des entreprises")
    page.get_by_role("button", name="OK").click()

    expect(page.get_by_role("columnheader", name="Médiane")).to_be_visible()
    assert blocking_violations(page) == []
