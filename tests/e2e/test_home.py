"""The home page in a real browser: DSFR loaded, commitments visible, skip link, no serious axe violation."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import blocking_violations

pytestmark = pytest.mark.e2e


def test_visitor_discovers_platform_and_commitments_on_home(page: Page, live_server):
    page.goto(live_server.url + "/")

    expect(page).to_have_title("Accueil — Services Publics+")
    header = page.get_by_role("banner")
    expect(header.locator(".fr-logo")).to_have_text(re.compile(r"République\s*Française"))
    expect(header.get_by_text("Services Publics+", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()
    commitments = page.locator(".spplus-commitment")
    expect(commitments).to_have_count(9)
    for index in range(9):
        expect(commitments.nth(index)).to_be_visible()
    expect(commitments.nth(8)).to_contain_text("Nous sommes éco-responsables")
    # The DSFR stylesheet is really served and applied, not a raw HTML page.
    blue_france = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--background-action-high-blue-france')"
    )
    assert blue_france.strip() == "#000091"
    expect(page.get_by_role("link", name="Partager une expérience").first).to_have_css("overflow", "visible")

    page.screenshot(path="/tmp/spplus-home.png", full_page=True)
    assert blocking_violations(page) == []


def test_visitor_jumps_to_content_with_skip_link(page: Page, live_server):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    skip_link.press("Enter")

    expect(page).to_have_url(re.compile(r"#content$"))
    assert page.evaluate("document.querySelector('#content').getBoundingClientRect().top") < 50


def test_commitments_page_has_no_serious_accessibility_violation(page: Page, live_server):
    page.goto(live_server.url + "/engagements/")

    expect(page).to_have_title("Les engagements — Services Publics+")
    expect(page.locator(".spplus-commitment")).to_have_count(9)
    assert blocking_violations(page) == []
