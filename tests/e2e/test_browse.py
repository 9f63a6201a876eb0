"""The list of experiences in a real browser: search a word, apply a filter, no serious axe violation."""

import pytest
from playwright.sync_api import Page, expect

from experiences.models import Feeling
from tests.e2e.axe import blocking_violations
from tests.factories import ExperienceFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def experiences(db):
    ExperienceFactory(
        title="Carte grise obtenue en ligne", feeling=Feeling.POSITIVE, department_id="13", region_id="93"
    )
    ExperienceFactory(title="Carte grise : dossier perdu", feeling=Feeling.NEGATIVE)
    ExperienceFactory(title="Accueil de la mairie", feeling=Feeling.NEUTRAL)


def test_visitor_searches_a_word_then_filters_by_feeling(page: Page, live_server, experiences):
    page.goto(live_server.url + "/experiences/")
    expect(page).to_have_title("Les expériences — Services Publics+")
    expect(page.locator(".spplus-experience-card")).to_have_count(3)

    page.get_by_role("searchbox", name="Rechercher dans les expériences").fill("grise")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    expect(page.locator("#result-count")).to_have_text("2 résultats")

    page.get_by_label("Ressenti").select_option("negatif")
    page.get_by_role("button", name="Appliquer les filtres").click()

    # Empty fields are dropped: the URL is short enough to share.
    expect(page).to_have_url(live_server.url + "/experiences/?q=grise&ressenti=negatif")
    cards = page.locator(".spplus-experience-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Carte grise : dossier perdu")
    expect(page.get_by_role("link", name="Retirer le critère Ressenti : Négatif")).to_be_visible()
    page.screenshot(path="/tmp/spplus-list.png", full_page=True)
    assert blocking_violations(page) == []


def test_empty_state_helps_and_has_no_serious_accessibility_violation(page: Page, live_server, experiences):
    page.goto(live_server.url + "/experiences/?q=introuvable&ressenti=negatif")

    expect(page.get_by_role("heading", name="Aucune expérience ne correspond à votre recherche")).to_be_visible()
    page.get_by_role("link", name="retirer le critère « Rechercher : introuvable »").click()
    expect(page.locator(".spplus-experience-card")).to_have_count(1)
    page.go_back()
    page.screenshot(path="/tmp/spplus-list-empty.png", full_page=True)
    assert blocking_violations(page) == []
