"""Sharing an experience in a real browser, on a phone: counters, live suggestions, channels, confirmation, axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from experiences.models import Experience, ModerationState
from tests.e2e.axe import blocking_violations
from tests.factories import TypologyFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESCRIPTION = (
    "Je suis allé à la préfecture pour renouveler mon titre de séjour. L'agent m'a expliqué chaque pièce "
    "à fournir et j'ai eu un rendez-vous rapidement."
)


@pytest.fixture
def prefecture(transactional_db):
    return TypologyFactory(name="Préfecture", keywords="préfecture\ntitre de séjour")


def test_citizen_shares_experience_on_a_phone(page: Page, live_server, prefecture):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/experiences/partager/?utm_source=qr-code&utm_campaign=accueil")
    expect(page).to_have_title("Partager une expérience — Services Publics+")

    page.get_by_label("Titre de votre expérience").fill("Un accueil rapide")
    expect(page.locator("#id_title-counter")).to_have_text("17 / 230 caractères")
    page.get_by_label("Racontez votre expérience").press_sequentially(DESCRIPTION[:60])
    expect(page.locator("#id_description-counter")).to_contain_text("au minimum")

    suggestion = page.get_by_role("checkbox", name="Préfecture")
    expect(suggestion).to_be_attached()  # suggested while the citizen is still typing
    page.get_by_label("Racontez votre expérience").fill(DESCRIPTION)
    expect(page.locator("#id_description-counter")).to_have_text(f"{len(DESCRIPTION)} / 2000 caractères")
    expect(page.locator("#suggest-button")).to_be_hidden()

    page.locator(f"label[for=id_typologies_{prefecture.pk}]").click()
    channels = page.locator(f"#id_channels_{prefecture.pk}")
    expect(channels).to_be_visible()
    channels.locator(f"label[for=id_channels_{prefecture.pk}_desk]").click()
    channels.get_by_label("Votre ressenti pour « Accueil »").select_option("positive")

    page.locator("#id_typologies").screenshot(path="/tmp/spplus-share-services.png")
    page.locator("label[for=id_feeling_0]").click()
    page.locator("label[for=id_author_type_0]").click()
    expect(page.get_by_label("Pays")).to_be_hidden()
    page.get_by_label("Code postal").fill("20090")
    page.get_by_label("Pseudonyme").fill("Camille")
    page.get_by_label("Adresse e-mail").fill("camille@example.org")
    page.locator("label[for=id_charter]").click()
    page.screenshot(path="/tmp/spplus-share-filled.png", full_page=True)
    page.get_by_role("button", name="Envoyer mon expérience").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, votre expérience a bien été envoyée")
    expect(page.get_by_text("c***@example.org")).to_be_visible()
    assert "camille@example.org" not in page.content()
    page.screenshot(path="/tmp/spplus-share-done.png", full_page=True)

    experience = Experience.objects.get()
    assert experience.moderation_state == ModerationState.SUBMITTED
    assert (experience.department_id, experience.source, experience.campaign) == ("2A", "qr-code", "accueil")
    service = experience.typologies.get()
    assert service.typology == prefecture
    assert list(service.channels.values_list("channel", "feeling")) == [("desk", "positive")]


def test_share_page_has_no_serious_accessibility_violation_even_with_errors(page: Page, live_server, prefecture):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/experiences/partager/")
    assert blocking_violations(page) == []

    page.get_by_label("Titre de votre expérience").fill("Ma carte à la préfecture <script>")
    page.get_by_role("button", name="Envoyer mon expérience").click()

    expect(page).to_have_title(re.compile("^Erreur : Partager une expérience"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Racontez votre expérience en quelques phrases.")
    expect(page.get_by_label("Titre de votre expérience")).to_have_value("Ma carte à la préfecture <script>")
    page.screenshot(path="/tmp/spplus-share-errors.png")
    assert blocking_violations(page) == []
    assert not Experience.objects.exists()


def test_citizen_shares_experience_without_javascript(browser, live_server, prefecture):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/experiences/partager/")
    page.get_by_label("Titre de votre expérience").fill("Un accueil rapide")
    page.get_by_label("Racontez votre expérience").fill(DESCRIPTION)
    page.get_by_role("button", name="Rechercher les services dans mon texte").click()

    expect(page.get_by_label("Titre de votre expérience")).to_have_value("Un accueil rapide")
    page.locator(f"label[for=id_typologies_{prefecture.pk}]").click()
    expect(page.locator(f"#id_channels_{prefecture.pk}")).to_be_visible()  # CSS opens it, no script
    page.locator(f"label[for=id_channels_{prefecture.pk}_phone]").click()
    page.locator("label[for=id_feeling_2]").click()
    page.locator("label[for=id_author_type_1]").click()
    page.get_by_label("Code postal").fill("97110")
    page.get_by_label("Pseudonyme").fill("Camille")
    page.get_by_label("Adresse e-mail").fill("camille@example.org")
    page.get_by_role("button", name="Envoyer mon expérience").click()

    expect(page.locator("#error-summary")).to_contain_text("Acceptez la charte de modération")
    page.locator("label[for=id_charter]").click()
    page.get_by_role("button", name="Envoyer mon expérience").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, votre expérience a bien été envoyée")
    experience = Experience.objects.get()
    assert (experience.feeling, experience.author_type, experience.department_id) == ("negative", "relative", "971")
    assert list(experience.typologies.get().channels.values_list("channel", flat=True)) == ["phone"]
    context.close()


def _fill_everything_but_send(page: Page, prefecture) -> None:
    page.get_by_label("Titre de votre expérience").fill("Un accueil rapide")
    page.get_by_label("Racontez votre expérience").fill(DESCRIPTION)
    page.locator(f"label[for=id_typologies_{prefecture.pk}]").click()
    page.locator(f"label[for=id_channels_{prefecture.pk}_phone]").click()
    page.locator("label[for=id_feeling_0]").click()
    page.locator("label[for=id_author_type_0]").click()
    page.get_by_label("Code postal").fill("75011")
    page.get_by_label("Adresse e-mail").fill("camille@example.org")
    page.locator("label[for=id_charter]").click()


def test_citizen_sends_the_form_by_pressing_enter_in_a_text_field(page: Page, live_server, prefecture):
    page.goto(live_server.url + "/experiences/partager/")
    _fill_everything_but_send(page, prefecture)

    page.get_by_label("Pseudonyme").press_sequentially("Camille")
    page.get_by_label("Pseudonyme").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, votre expérience a bien été envoyée")
    assert Experience.objects.get().pseudonym == "Camille"


def test_enter_without_javascript_sends_the_form_and_the_search_button_still_searches(browser, live_server, prefecture):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/experiences/partager/")
    page.get_by_label("Titre de votre expérience").fill("Un accueil rapide")
    page.get_by_label("Racontez votre expérience").fill(DESCRIPTION)
    page.get_by_role("button", name="Rechercher les services dans mon texte").click()
    expect(page.locator(f"label[for=id_typologies_{prefecture.pk}]")).to_be_visible()
    expect(page.locator("#error-summary")).to_have_count(0)

    _fill_everything_but_send(page, prefecture)
    page.get_by_label("Pseudonyme").fill("Camille")
    page.get_by_label("Pseudonyme").press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, votre expérience a bien été envoyée")
    assert Experience.objects.count() == 1
    context.close()
