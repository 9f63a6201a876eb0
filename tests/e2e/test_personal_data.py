"""A moderator sees a planted phone number and NIR flagged in the queue and removes each in one click."""

import pytest
from playwright.sync_api import Page, expect

from experiences.models import Experience, ExperienceEdit, ModerationState
from tests import factories as f

from .axe import blocking_violations

pytestmark = pytest.mark.e2e

PASSWORD = "mot-de-passe-solide-2026"  # tests/factories.py
PLANTED = "Rappelez-moi au 06 12 34 56 78, mon numéro de sécurité sociale est 1 85 05 78 006 084 91."


def test_moderator_removes_a_planted_phone_and_nir(page: Page, live_server):
    moderator = f.ModeratorFactory(email="moderatrice@ditp.gouv.fr")
    experience = f.ExperienceFactory(
        moderation_state=ModerationState.SUBMITTED,
        title="Ma prime d'activité suspendue",
        description=PLANTED,
        personal_data_flags=2,
    )
    f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED, title="Un accueil parfait")

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Adresse e-mail").fill(moderator.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("link", name="File de modération").click()
    page.get_by_role("link", name="Avec données personnelles").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list td.field-flags")).to_have_text("2")
    page.get_by_role("link", name=str(experience.public_id)).click()

    expect(page.locator("mark", has_text="06 12 34 56 78")).to_have_attribute("title", "numéro de téléphone")
    expect(page.locator("mark", has_text="1 85 05 78 006 084 91")).to_have_attribute(
        "title", "numéro de sécurité sociale"
    )
    assert blocking_violations(page) == []
    # Enter in the title saves the moderation form; it removes nothing.
    page.get_by_label("Titre").press("Enter")
    expect(page.get_by_role("heading", name="File de modération : 2 expériences à modérer")).to_be_visible()
    assert not ExperienceEdit.objects.filter(experience=experience).exists()
    page.get_by_role("link", name=str(experience.public_id), exact=True).click()
    expect(page.locator("mark")).to_have_count(2)

    for _ in range(2):
        page.get_by_role("button", name="remplacer par [supprimé]").first.click()
        expect(page.get_by_text("Donnée personnelle remplacée par [supprimé]")).to_be_visible()

    expect(page.locator("mark")).to_have_count(0)
    experience = Experience.objects.get(pk=experience.pk)
    assert experience.description == ("Rappelez-moi au [supprimé], mon numéro de sécurité sociale est [supprimé].")
    assert experience.personal_data_flags == 0
    assert ExperienceEdit.objects.filter(experience=experience).order_by("pk").first().before == PLANTED
