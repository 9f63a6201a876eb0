"""The citizen's whole journey: share → the DITP publishes → find it by search → « moi aussi » → vote."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from experiences.models import Experience, ModerationState, ResponseStatus
from tests.e2e.axe import blocking_violations
from tests.factories import ResponseFactory, StructureFactory, TypologyFactory

pytestmark = pytest.mark.e2e

DESCRIPTION = (
    "Je suis allée à la sous-préfecture pour ma carte grise. L'agent d'accueil a été patient et "
    "m'a expliqué la démarche en ligne pas à pas : tout était réglé en vingt minutes."
)


def publish_and_answer(experience: Experience) -> None:
    """What the DITP moderator and then an agent do in the back-office (their own issues)."""
    experience.moderation_state = ModerationState.PUBLISHED
    experience.published_at = timezone.now()
    experience.save()
    structure = StructureFactory(name="Sous-préfecture de Sartène", typology=experience.typologies.get().typology)
    ResponseFactory(
        assignment__experience=experience,
        assignment__structure=structure,
        assignment__response_status=ResponseStatus.ANSWERED,
        body="Merci pour ce retour, nous le partageons avec l'équipe d'accueil.",
    )
    experience.refresh_status()


def test_citizen_shares_finds_and_votes(page: Page, live_server):
    typology = TypologyFactory(name="Sous-préfecture", keywords="sous-préfecture\ncarte grise")

    page.goto(live_server.url + "/experiences/partager/?source=bandeau-ants")
    page.get_by_label("Titre de votre expérience").fill("Une carte grise réglée en vingt minutes")
    page.get_by_label("Racontez votre expérience").fill(DESCRIPTION)
    page.locator(f"label[for=id_typologies_{typology.pk}]").click()
    page.locator(f"label[for=id_channels_{typology.pk}_desk]").click()
    page.locator("label[for=id_feeling_0]").click()
    page.locator("label[for=id_author_type_0]").click()
    page.get_by_label("Code postal").fill("20100")
    page.get_by_label("Pseudonyme").fill("Lucia")
    page.get_by_label("Adresse e-mail").fill("lucia@example.org")
    page.locator("label[for=id_charter]").click()
    page.get_by_role("button", name="Envoyer mon expérience").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, votre expérience a bien été envoyée")

    experience = Experience.objects.get()
    page.goto(live_server.url + experience.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).not_to_have_text(experience.title)  # not public yet

    publish_and_answer(experience)
    page.goto(live_server.url + "/experiences/")
    page.get_by_role("searchbox", name="Rechercher dans les expériences").fill("vingt minutes")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    result = page.get_by_role("link", name="Une carte grise réglée en vingt minutes")
    expect(result).to_be_visible()
    assert blocking_violations(page) == []

    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Une carte grise réglée en vingt minutes")
    expect(page.get_by_text("Merci pour ce retour")).to_be_visible()
    assert "lucia@example.org" not in page.content()
    page.get_by_role("button", name="Moi aussi").click()
    expect(page.locator(".spplus-me-too-count")).to_have_text("1")
    page.get_by_role("button", name="Utile (0)", exact=True).click()
    expect(page.get_by_role("button", name="Utile (1)", exact=True)).to_be_visible()

    experience.refresh_from_db()
    assert (experience.me_too_count, experience.source, experience.department_id) == (1, "bandeau-ants", "2A")
