"""One experience in a real browser: « moi aussi » counts once, a vote shows, no serious axe violation."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from experiences.author_links import make_evaluation_token
from tests.e2e.axe import blocking_violations
from tests.factories import ExperienceFactory, ImprovementActionFactory, ResponseFactory, StructureFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def answered_experience(live_server):
    experience = ExperienceFactory(
        title="Un accueil attentif à la préfecture",
        description="L'agent a pris le temps de tout m'expliquer.\nJ'ai obtenu mon rendez-vous en une semaine.",
        pseudonym="Camille75",
    )
    structure = StructureFactory(name="Préfecture de police")
    ResponseFactory(
        assignment__experience=experience,
        assignment__structure=structure,
        body="Merci pour votre message, nous le transmettons à l'équipe d'accueil.",
    )
    action = ImprovementActionFactory(structure=structure, title="Horaires affichés à l'entrée", is_public=True)
    action.experiences.add(experience)
    return experience


def test_visitor_says_me_too_and_votes_then_sees_both_done(page: Page, live_server, answered_experience):
    page.goto(live_server.url + answered_experience.get_absolute_url())
    expect(page).to_have_title("Un accueil attentif à la préfecture — Services Publics+")
    expect(page.get_by_role("heading", level=1)).to_have_text("Un accueil attentif à la préfecture")
    expect(page.get_by_text("Merci pour votre message")).to_be_visible()
    expect(page.get_by_text("Personne n'a encore indiqué avoir vécu une expérience similaire.")).to_be_visible()

    page.get_by_role("button", name="Moi aussi").click()
    expect(page.get_by_text("vous avez vécu une expérience similaire")).to_be_visible()
    expect(page.locator(".spplus-me-too-count")).to_have_text("1")
    # Done: the button no longer looks like something to press again.
    expect(page.get_by_role("button", name="Moi aussi")).to_have_count(0)
    expect(page.get_by_role("button", name="Merci, c'est noté")).to_be_disabled()

    page.get_by_role("button", name="Utile (0)", exact=True).click()
    expect(page.get_by_text("votre avis sur cette réponse est enregistré")).to_be_visible()
    expect(page.get_by_text("vous avez trouvé cette réponse utile")).to_be_visible()
    expect(page.get_by_role("button", name="Utile (1)", exact=True)).to_be_disabled()
    expect(page.get_by_role("button", name="Pas utile (0)")).to_be_disabled()
    page.reload()
    expect(page.get_by_role("button", name="Merci, c'est noté")).to_be_disabled()
    expect(page.get_by_role("button", name="Utile (1)", exact=True)).to_be_disabled()
    assert blocking_violations(page) == []

    page.screenshot(path="/tmp/spplus-detail.png", full_page=True)


def test_experience_page_has_no_serious_accessibility_violation(page: Page, live_server, answered_experience):
    page.goto(live_server.url + answered_experience.get_absolute_url())

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert blocking_violations(page) == []


def test_author_evaluates_response_from_signed_link(page: Page, live_server, answered_experience):
    response = answered_experience.assignments.get().response
    page.goto(live_server.url + reverse("experiences:evaluate", kwargs={"token": make_evaluation_token(response)}))
    expect(page.get_by_text("Un accueil attentif à la préfecture")).to_be_visible()
    assert blocking_violations(page) == []

    page.get_by_role("button", name="Oui").click()

    expect(page.get_by_text("Merci, votre évaluation est enregistrée.")).to_be_visible()
    expect(page.get_by_role("button", name="Oui")).to_have_count(0)
    page.screenshot(path="/tmp/spplus-evaluation.png", full_page=True)
    page.reload()
    expect(page.get_by_role("heading", name="Vous avez déjà évalué cette réponse")).to_be_visible()
