"""Pages axe-core had not yet looked at, opened as a visitor or an agent would, with enough rows to paginate."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from structures.models import Role
from tests import factories as f
from tests.e2e.axe import blocking_violations

pytestmark = pytest.mark.e2e

PASSWORD = "mot-de-passe-solide-2026"


@pytest.fixture
def structure(live_server):
    """A structure with two pages of experiences (the first answered) and two pages of public actions."""
    found = f.StructureFactory(code="DDFIP-2B", name="Direction des finances publiques de Haute-Corse")
    for number in range(12):
        experience = f.ExperienceFactory(title=f"Un rendez-vous obtenu en {number + 2} jours")
        f.AssignmentFactory(experience=experience, structure=found)
    f.ResponseFactory(
        assignment__experience=f.ExperienceFactory(title="Une réponse claire à ma question"),
        assignment__structure=found,
        body="Merci pour votre message, nous le transmettons à l'équipe d'accueil.",
    )
    for number in range(21):
        f.ImprovementActionFactory(
            structure=found, title=f"Action d'amélioration n° {number + 1}", is_public=True, published_at=timezone.now()
        )
    return found


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/actions-amelioration/", "Les actions d'amélioration"),
        ("/actions-amelioration/?page=2", "Les actions d'amélioration"),
        ("/structures/DDFIP-2B/", "Direction des finances publiques de Haute-Corse"),
        ("/accessibilite/", "Déclaration d'accessibilité"),
        ("/mentions-legales/", "Mentions légales"),
        ("/agents/connexion/", "Connexion à l'espace agent"),
    ],
)
def test_visitor_page_has_no_blocking_accessibility_violation(page: Page, live_server, structure, path, heading):
    page.goto(live_server.url + path)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert blocking_violations(page) == []


def test_visitor_reads_an_answered_experience_without_blocking_violation(page: Page, live_server, structure):
    page.goto(live_server.url + "/structures/DDFIP-2B/")
    page.get_by_role("link", name="Une réponse claire à ma question").click()

    expect(page.get_by_text("Merci pour votre message")).to_be_visible()
    assert blocking_violations(page) == []


def test_agent_lists_and_opens_an_experience_without_blocking_violation(page: Page, live_server, structure):
    agent = f.MembershipFactory(structure=structure, role=Role.AGENT).user
    f.PolitenessFormulaFactory(user=agent, text="Madame, Monsieur,")
    f.SignatureFactory(user=agent, text="Le service des impôts de Bastia")

    page.goto(live_server.url + "/agents/")
    page.get_by_role("textbox", name="Adresse e-mail").fill(agent.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Les expériences de mes structures")).to_be_visible()
    assert blocking_violations(page) == []

    page.get_by_role("link", name="Un rendez-vous obtenu en 2 jours").click()
    expect(page.get_by_label("Votre réponse")).to_be_visible()
    assert blocking_violations(page) == []
