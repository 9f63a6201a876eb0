"""The API documentation in a real browser: served whole by the site, in French, under a strict policy."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Route, expect

from tests.e2e.axe import BLOCKING_IMPACTS

pytestmark = pytest.mark.e2e


@pytest.fixture
def outside_requests(page: Page, live_server) -> list[str]:
    """Every request the page sends beyond the site, refused as a machine without internet access would."""
    site = urlsplit(live_server.url).netloc
    refused = []

    def only_the_site(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == site or url.startswith("data:"):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", only_the_site)
    return refused


def test_api_docs_show_the_operations_without_internet_access(page: Page, live_server, outside_requests):
    page.goto(live_server.url + "/api/docs/")

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="API Services Publics+")).to_be_visible()
    expect(page.get_by_text("/api/v1/structures/", exact=True).first).to_be_visible()
    assert outside_requests == []


# What a Content-Security-Policy refusing inline scripts and styles allows: the site's own files only.
SITE_FILES_ONLY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"


def test_api_docs_work_under_a_policy_refusing_inline_scripts(page: Page, live_server):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    def with_policy(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": SITE_FILES_ONLY})

    page.route(live_server.url + "/api/docs/", with_policy)
    page.goto(live_server.url + "/api/docs/")

    expect(page.get_by_text("/api/v1/experiences/", exact=True).first).to_be_visible()
    assert errors == []


def test_api_docs_page_has_no_serious_accessibility_violation_of_ours(page: Page, live_server):
    page.goto(live_server.url + "/api/docs/")
    expect(page.get_by_text("/api/v1/structures/", exact=True).first).to_be_visible()

    # Swagger UI's generated markup (its colours, nested buttons, unlabelled selects) is not ours to fix:
    # axe checks the document around it, which this project writes.
    results = Axe().run(page, context={"exclude": [["#swagger-ui"]]})

    assert [v["id"] for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS] == []
    assert {"html-has-lang", "html-lang-valid", "document-title"} <= {r["id"] for r in results.response["passes"]}
