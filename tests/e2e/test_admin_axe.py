"""The admin pages a DITP moderator spends the day on pass axe (no serious or critical violation) and fit 1280 px."""

import pytest
from playwright.sync_api import Page, expect

from experiences.models import ModerationState
from tests import factories as f

from .axe import blocking_violations

pytestmark = pytest.mark.e2e

PASSWORD = "mot-de-passe-solide-2026"  # tests/factories.py


@pytest.fixture
def experience_to_moderate(db):
    typology = f.TypologyFactory(name="Caisse d'allocations familiales")
    f.StructureFactory(name="CAF de la Gironde", typology=typology, insee_department="33")
    experience = f.ExperienceFactory(
        moderation_state=ModerationState.SUBMITTED,
        title="Un dossier de prime d'activité enfin débloqué après trois relances",
        department_id="33",
        region_id="75",
    )
    f.ExperienceTypologyFactory(experience=experience, typology=typology)
    return experience


@pytest.fixture
def moderator_page(page: Page, live_server) -> Page:
    moderator = f.ModeratorFactory(email="moderatrice@ditp.gouv.fr")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Adresse e-mail").fill(moderator.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    return page


def _moderation_page(page: Page, live_server, experience) -> None:
    page.goto(f"{live_server.url}/admin/experiences/experiencetomoderate/{experience.pk}/change/")
    expect(page.locator("#id_structures")).to_be_attached()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/experiences/experiencetomoderate/",
        "/admin/experiences/experience/",
        "/admin/notifications/outboxemail/",
        "/admin/accounts/user/",
    ],
)
def test_admin_page_has_no_blocking_axe_violation(moderator_page, live_server, experience_to_moderate, path):
    moderator_page.goto(live_server.url + path)
    assert blocking_violations(moderator_page) == []


def test_moderation_page_has_no_blocking_axe_violation(moderator_page, live_server, experience_to_moderate):
    _moderation_page(moderator_page, live_server, experience_to_moderate)
    assert blocking_violations(moderator_page) == []
    # The structures' autocomplete open, with its search field.
    moderator_page.locator(".field-structures .select2-selection").click()
    expect(moderator_page.locator(".field-structures .select2-search__field")).to_be_focused()
    assert blocking_violations(moderator_page) == []
    # Each typology row's business tags autocomplete: its search field is named after its column and row.
    expect(moderator_page.get_by_role("searchbox", name="Rechercher : Tags métier (ligne 1)")).to_be_attached()


def test_moderation_page_fits_1280_pixels(moderator_page, live_server, experience_to_moderate):
    _moderation_page(moderator_page, live_server, experience_to_moderate)
    overflow = moderator_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
