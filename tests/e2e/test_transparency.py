"""A referent tests the sample-like file, reads its two errors, fixes them, executes; the results go public."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from structures.models import Role
from tests import factories as f
from tests.e2e.axe import blocking_violations
from tests.e2e.test_agent_journey import PASSWORD, sign_in
from tests.transparency.conftest import csv_bytes, row

pytestmark = pytest.mark.e2e


@pytest.fixture
def common_indicators(live_server):
    """live_server flushes the tables after each browser test: load the migration's indicators again."""
    migration = importlib.import_module("transparency.migrations.0002_common_indicators")
    migration.create_common_indicators(apps, None)


def test_referent_imports_results_that_reach_the_public_pages(page: Page, live_server, common_indicators, tmp_path):
    root = f.StructureFactory(name="Direction générale des finances publiques", code="DGFIP0")
    f.StructureFactory(parent=root, code="SIPLYON3", name="SIP Lyon 3e", insee_commune="69123", city="LYON")
    referent = f.MembershipFactory(structure=root, role=Role.REFERENT, user__email="referent@dgfip.gouv.fr").user
    referent.set_password(PASSWORD)
    referent.save()
    broken = tmp_path / "resultats.csv"
    broken.write_bytes(csv_bytes(row("SIPLYON3", value="985"), row("SIPLYON", indicator="IND-6")))
    fixed = tmp_path / "resultats-corrige.csv"
    fixed.write_bytes(csv_bytes(row("SIPLYON3", value="98,5"), row("SIPLYON3", indicator="IND-6")))

    sign_in(page, live_server.url, referent.email)
    menu = page.get_by_role("navigation", name="Menu de l'espace agent")
    menu.get_by_role("link", name="Imports de données").click()
    expect(page.get_by_role("heading", name="Imports de données")).to_be_visible()
    expect(menu.get_by_role("link", name="Imports de données")).to_have_attribute("aria-current", "page")
    assert blocking_violations(page) == []
    page.get_by_label("Fichier").set_input_files(str(broken))
    page.get_by_role("button", name="Tester le fichier").click()
    expect(page.get_by_role("heading", name="2 erreurs à corriger")).to_be_visible()
    expect(page.get_by_text("la valeur doit être entre 0 et 100 pour l'indicateur IND-1 (%)")).to_be_visible()
    expect(page.get_by_text("aucune structure n'a le code « SIPLYON » dans le référentiel")).to_be_visible()
    assert blocking_violations(page) == []

    page.goto(live_server.url + "/agents/imports/")
    page.get_by_label("Fichier").set_input_files(str(fixed))
    page.get_by_role("button", name="Tester le fichier").click()
    expect(page.get_by_role("heading", name="Aucune erreur : le fichier peut être importé")).to_be_visible()
    page.get_by_role("button", name="Exécuter").click()
    expect(page.get_by_role("heading", name="Données importées")).to_be_visible()

    page.goto(live_server.url + "/resultats/")
    page.get_by_label("Ville").fill("Lyon")
    page.get_by_role("button", name="Afficher les résultats").click()
    expect(page.get_by_role("link", name="SIP Lyon 3e")).to_be_visible()
    expect(page.get_by_role("cell", name="98,5 %")).to_be_visible()
    assert "ville=Lyon" in page.url
    assert blocking_violations(page) == []
    page.get_by_role("link", name="SIP Lyon 3e").click()
    expect(page.get_by_role("heading", name="Ses résultats de qualité de service")).to_be_visible()
    assert blocking_violations(page) == []
