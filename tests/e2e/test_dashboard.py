"""An agent opens the dashboard of their structure, switches the children off, and the page stays accessible."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from structures.models import Role
from tests import factories as f
from tests.e2e.axe import blocking_violations

pytestmark = pytest.mark.e2e


def test_agent_reads_the_dashboard_of_their_structure(page: Page, live_server):
    parent = f.StructureFactory(name="Direction départementale de la Gironde")
    child = f.StructureFactory(parent=parent, name="Agence de Bordeaux")
    agent = f.MembershipFactory(structure=parent, role=Role.AGENT).user
    now = timezone.now()
    for days, structure, feeling in ((3, parent, "negative"), (5, child, "positive"), (8, child, "neutral")):
        experience = f.ExperienceFactory(published_at=now - datetime.timedelta(days=days), feeling=feeling)
        f.AssignmentFactory(
            experience=experience, structure=structure, first_response_at=now - datetime.timedelta(days=days - 1)
        )
    page.goto(live_server.url + "/agents/connexion/")
    page.get_by_role("textbox", name="Adresse e-mail").fill(agent.email)
    page.get_by_label("Mot de passe", exact=True).fill("mot-de-passe-solide-2026")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Tableau de bord").click()

    expect(page.get_by_text("3 expériences publiées sur la période")).to_be_visible()
    expect(page.get_by_role("cell", name="Agence de Bordeaux")).to_be_visible()
    assert blocking_violations(page) == []
    page.screenshot(path="/tmp/dashboard.png", full_page=True)

    page.locator("label[for=filles-non]").click()
    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_text("1 expérience publiée sur la période")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
