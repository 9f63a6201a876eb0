"""A DITP moderator logs into the admin and publishes an experience from the queue, routed by the suggestion."""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from experiences.models import Experience, ModerationState
from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.e2e

PASSWORD = "mot-de-passe-solide-2026"


def test_moderator_publishes_from_the_queue(page: Page, live_server):
    moderator = f.ModeratorFactory(email="moderatrice@ditp.gouv.fr")
    typology = f.TypologyFactory(name="Caisse d'allocations familiales")
    caf = f.StructureFactory(name="CAF de la Gironde", typology=typology, insee_department="33")
    agent = f.MembershipFactory(structure=caf, role=Role.AGENT).user
    experience = f.ExperienceFactory(
        moderation_state=ModerationState.SUBMITTED,
        title="Un dossier de prime d'activité enfin débloqué",
        author_email="lucie.auteure@example.org",
        department_id="33",
        region_id="75",
    )
    f.ExperienceTypologyFactory(experience=experience, typology=typology)

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Adresse e-mail").fill(moderator.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("link", name="File de modération").click()
    expect(page.get_by_role("heading", name="File de modération : 1 expérience à modérer")).to_be_visible()
    page.get_by_role("link", name=str(experience.public_id)).click()

    # The routing suggestion is already chosen in the autocomplete.
    expect(page.locator("#id_structures")).to_have_values([str(caf.pk)])
    expect(page.get_by_text("couvre le département de l'usager")).to_be_visible()
    page.get_by_label("Publier et orienter vers les structures choisies").check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    expect(page.get_by_text("publiée et orientée vers : CAF de la Gironde")).to_be_visible()
    expect(page.get_by_role("heading", name="File de modération : 0 expérience à modérer")).to_be_visible()
    assert "lucie.auteure@example.org" not in page.content()
    experience = Experience.objects.get(pk=experience.pk)
    assert experience.is_published
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["lucie.auteure@example.org", agent.email])

    page.goto(live_server.url + experience.get_absolute_url())
    expect(page.get_by_role("heading", name=experience.title)).to_be_visible()
