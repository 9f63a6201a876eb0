"""Improvement actions, a structure's page and the moderation charter in a real browser, checked by axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from actions.models import ImprovementActionStatus
from experiences.models import ResponseStatus
from tests.e2e.axe import blocking_violations
from tests.factories import AssignmentFactory, ExperienceFactory, ImprovementActionFactory, StructureFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def structure_with_actions(transactional_db):
    """A direction with an answered experience, two children and two public actions."""
    direction = StructureFactory(code="DIR-75", name="Direction départementale de Paris", address="1 rue de Rivoli")
    antenna = StructureFactory(code="ANT-7501", name="Antenne du 1er", parent=direction)
    StructureFactory(code="ANT-7502", name="Antenne du 2e", parent=direction, is_active=False)
    experience = ExperienceFactory(title="Un accueil attentif et rapide")
    AssignmentFactory(
        experience=experience,
        structure=antenna,
        response_status=ResponseStatus.ANSWERED,
        first_response_at=experience.published_at + datetime.timedelta(hours=5),
    )
    engaged = ImprovementActionFactory(structure=antenna, is_public=True, published_at=timezone.now())
    engaged.experiences.add(experience)
    ImprovementActionFactory(
        structure=direction,
        title="Rappel des usagers sous 48 h",
        is_public=True,
        published_at=timezone.now(),
        status=ImprovementActionStatus.DONE,
        done_on=timezone.localdate(),
    )
    return direction


def test_visitor_filters_actions_without_accessibility_violation(page: Page, live_server, structure_with_actions):
    page.goto(live_server.url + "/actions-amelioration/")

    expect(page).to_have_title("Actions d'amélioration — Services Publics+")
    expect(page.locator(".spplus-action")).to_have_count(2)
    assert blocking_violations(page) == []

    page.get_by_label("État").select_option(label="Action réalisée")
    page.get_by_role("button", name="Filtrer").click()

    expect(page).to_have_url(f"{live_server.url}/actions-amelioration/?reseau=&structure=&statut=done")
    expect(page.locator(".spplus-action")).to_have_count(1)
    expect(page.get_by_role("heading", name="Rappel des usagers sous 48 h")).to_be_visible()
    page.screenshot(path="/tmp/spplus-actions.png", full_page=True)


def test_structure_page_has_no_serious_accessibility_violation(page: Page, live_server, structure_with_actions):
    page.goto(live_server.url + "/structures/DIR-75/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Direction départementale de Paris")
    expect(
        page.get_by_role("navigation", name="Place dans l'organisation").get_by_role("link", name="Antenne du 1er")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Un accueil attentif et rapide")).to_be_visible()
    expect(page.get_by_text("100 %")).to_be_visible()
    expect(page.get_by_text("5 h", exact=True)).to_be_visible()
    page.screenshot(path="/tmp/spplus-structure.png", full_page=True)
    assert blocking_violations(page) == []


def test_inactive_structure_page_has_no_serious_accessibility_violation(
    page: Page, live_server, structure_with_actions
):
    page.goto(live_server.url + "/structures/ANT-7502/")

    expect(page.get_by_text("Cette structure n'est plus active")).to_be_visible()
    assert blocking_violations(page) == []


def test_charter_has_no_serious_accessibility_violation(page: Page, live_server):
    page.goto(live_server.url + "/charte-de-moderation/")

    expect(page).to_have_title("Charte de modération — Services Publics+")
    expect(page.get_by_role("link", name="Données personnelles").first).to_be_visible()
    page.screenshot(path="/tmp/spplus-charter.png", full_page=True)
    assert blocking_violations(page) == []
