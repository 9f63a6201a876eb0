"""Similar experiences in a real browser: live on the share form, « Vérifier » without JavaScript, the
agents' « Partir de cette réponse »; axe on each."""

import pytest
from playwright.sync_api import Page, expect

from experiences import similar
from experiences.models import Experience, Response
from structures.models import Role
from tests import factories as f
from tests.e2e.axe import blocking_violations
from tests.e2e.test_agent_journey import sign_in

pytestmark = pytest.mark.e2e

APL_TITLE = "APL suspendue après mon déménagement"
APL_TEXT = (
    "Depuis mon déménagement, la caisse a suspendu mes aides au logement. J'ai envoyé mon nouveau bail et "
    "l'attestation du bailleur, personne ne répond au téléphone et le loyer s'accumule."
)
NEW_TITLE = "Aides au logement bloquées depuis que j'ai déménagé"
NEW_TEXT = (
    "J'ai déménagé, plus d'aide au logement. Bail et attestation du bailleur envoyés, toujours suspendue, "
    "impossible d'avoir quelqu'un au téléphone et mon loyer s'accumule."
)
OTHER = (
    "Accueil désagréable au guichet",
    "L'agent du guichet a refusé de regarder mes justificatifs et m'a parlé sèchement devant la file d'attente.",
)


@pytest.fixture
def caf(transactional_db):
    similar.forget_frequencies()
    typology = f.TypologyFactory(name="Caisse d'allocations familiales", keywords="aide au logement\nAPL\nCAF")
    yield typology
    similar.forget_frequencies()


def published(typology, title, description, **kwargs) -> Experience:
    experience = f.ExperienceFactory(title=title, description=description, **kwargs)
    f.ExperienceTypologyFactory(experience=experience, typology=typology)
    return experience


def test_live_suggestion_and_me_too_keep_what_the_citizen_typed(page: Page, live_server, caf):
    apl = published(caf, APL_TITLE, APL_TEXT)
    published(caf, *OTHER)
    page.goto(live_server.url + "/experiences/partager/")
    expect(page.locator("#similar-button")).to_be_hidden()
    page.get_by_label("Titre de votre expérience").fill(NEW_TITLE)
    page.get_by_label("Racontez votre expérience").fill(NEW_TEXT)

    card = page.locator("#similar-results")
    expect(card.get_by_role("link", name=APL_TITLE)).to_be_visible()
    expect(card.get_by_text(OTHER[0])).to_have_count(0)
    assert blocking_violations(page) == []

    card.get_by_role("button", name="Moi aussi").click()
    expect(page.locator("#me-too-notice")).to_be_focused()
    expect(page.locator("#me-too-notice")).to_contain_text("Merci, c'est noté")
    expect(page.get_by_label("Titre de votre expérience")).to_have_value(NEW_TITLE)
    expect(page.get_by_text("Votre « moi aussi » est compté")).to_be_visible()
    assert blocking_violations(page) == []
    apl.refresh_from_db()
    assert apl.me_too_count == 1
    assert Experience.objects.count() == 2


def test_checking_without_javascript_offers_the_same_story(browser, live_server, caf):
    published(caf, APL_TITLE, APL_TEXT)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/experiences/partager/")
    page.get_by_label("Titre de votre expérience").fill(NEW_TITLE)
    page.get_by_label("Racontez votre expérience").fill(NEW_TEXT)
    page.get_by_role("button", name="Vérifier s'il existe des expériences semblables").click()

    expect(page.locator("#similar-results").get_by_role("link", name=APL_TITLE)).to_be_visible()
    expect(page.get_by_label("Racontez votre expérience")).to_have_value(NEW_TEXT)
    context.close()


def test_agent_starts_from_a_past_answer_and_saves_a_draft(page: Page, live_server, caf):
    office = f.StructureFactory(name="CAF de Lyon")
    agent = f.MembershipFactory(structure=office, role=Role.AGENT, user__email="agent@caf.fr").user
    past = f.AssignmentFactory(experience=published(caf, APL_TITLE, APL_TEXT), structure=office)
    f.ResponseFactory(assignment=past, body="Vos aides au logement sont rétablies depuis le 3 mars.")
    waiting = f.AssignmentFactory(experience=published(caf, NEW_TITLE, NEW_TEXT), structure=office)

    sign_in(page, live_server.url, agent.email)
    page.goto(live_server.url + f"/agents/experiences/{waiting.experience.public_id}/")
    page.get_by_role("button", name="Réponses déjà publiées à des expériences semblables (1)").click()
    assert blocking_violations(page) == []
    page.get_by_role("link", name="Partir de cette réponse").click()

    expect(page.get_by_label("Votre réponse")).to_have_value("Vos aides au logement sont rétablies depuis le 3 mars.")
    assert not Response.objects.filter(assignment=waiting).exists()
    assert blocking_violations(page) == []
    page.get_by_label("Votre réponse").fill("Vos aides au logement sont rétablies : le rappel arrive ce mois-ci.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    assert Response.objects.get(assignment=waiting).state == "draft"
