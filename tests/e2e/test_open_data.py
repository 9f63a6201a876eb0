"""A visitor on /open-data/: reads the columns, downloads a file with its accents intact, no axe violation."""

import pytest
from playwright.sync_api import Page, expect

from opendata.services import generate_all
from tests.e2e.axe import blocking_violations
from tests.opendata.catalogue import build_catalogue

pytestmark = pytest.mark.e2e


def test_visitor_reads_the_columns_and_downloads_a_file_with_its_accents(page: Page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    build_catalogue()
    generate_all()

    page.goto(live_server.url + "/open-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Données ouvertes")
    assert blocking_violations(page) == []

    page.get_by_role("button", name="Les 26 colonnes").click()
    expect(page.get_by_role("rowheader", name="Code SP+ structure parent")).to_be_visible()
    assert blocking_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger structures.csv").click()
    content = download.value.path().read_bytes().decode("utf-8-sig")
    assert download.value.suggested_filename == "structures.csv"
    assert "Préfecture du Rhône" in content and "Intitulé du réseau" in content
