"""The Content-Security-Policy in Chromium: the pages people use daily work under it without a single violation,
and a script injected into a page does not run."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from experiences.models import ModerationState
from structures.models import Role
from tests import factories as f

pytestmark = pytest.mark.e2e

PASSWORD = "mot-de-passe-solide-2026"
# Recorded from the first script of each document on, before any of the page's own.
RECORD_VIOLATIONS = """window.cspViolations = [];
document.addEventListener('securitypolicyviolation',
    event => window.cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"""


class Violations:
    """Every violation Chromium reports on its console over the test's pages, and those the current page saw."""

    def __init__(self, page: Page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda message: self._record(message.text))

    def _record(self, text: str) -> None:
        if "Content Security Policy" in text:
            self.console.append(text)

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        # Directives in any order: only this page's own scripts may run.
        directives = dict(
            directive.strip().split(" ", 1)
            for directive in response.headers["content-security-policy"].split(";")
            if " " in directive.strip()
        )
        assert directives["script-src"] == "'self'"

    def all(self) -> list[str]:
        return self.console + self.page.evaluate("window.cspViolations")


@pytest.fixture
def violations(page: Page) -> Violations:
    return Violations(page)


@pytest.fixture
def published(transactional_db):
    structure = f.StructureFactory(name="Caisse d'allocations familiales de la Gironde")
    now = timezone.now()
    for days, feeling in ((3, "negative"), (5, "positive"), (40, "neutral")):
        experience = f.ExperienceFactory(published_at=now - datetime.timedelta(days=days), feeling=feeling)
        f.AssignmentFactory(
            experience=experience, structure=structure, first_response_at=now - datetime.timedelta(days=days - 1)
        )
    return structure


def test_visitor_browses_and_shares_without_any_policy_violation(page: Page, live_server, published, violations):
    for path in ("/", "/experiences/partager/", "/experiences/"):
        violations.visit(live_server.url + path)
    # The share form's script runs: it shows the live counter under the title as the citizen types.
    violations.visit(live_server.url + "/experiences/partager/")
    page.get_by_label("Titre").first.fill("Un accueil rapide")
    expect(page.locator("#id_title-counter")).to_contain_text("17 / ")

    assert violations.all() == []


def test_agent_reads_the_dashboard_charts_without_any_policy_violation(page: Page, live_server, published, violations):
    agent = f.MembershipFactory(structure=published, role=Role.AGENT).user
    violations.visit(live_server.url + "/agents/connexion/")
    page.get_by_role("textbox", name="Adresse e-mail").fill(agent.email)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    violations.visit(live_server.url + "/agents/tableau-de-bord/")

    expect(page.locator("svg.spplus-chart").first).to_be_visible()
    assert violations.all() == []


def test_moderator_routes_with_the_autocomplete_without_any_policy_violation(
    page: Page, live_server, published, violations
):
    moderator = f.ModeratorFactory()
    experience = f.ExperienceFactory(moderation_state=ModerationState.SUBMITTED)
    violations.visit(live_server.url + "/admin/login/")
    page.get_by_label("Adresse e-mail").fill(moderator.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    violations.visit(live_server.url + f"/admin/experiences/experiencetomoderate/{experience.pk}/change/")

    # select2 opens its search box and lists the structures it fetched.
    page.locator(".field-structures .select2-selection").click()
    page.locator(".select2-search__field").fill("Gironde")
    expect(page.locator(".select2-results__option", has_text="Caisse d'allocations familiales")).to_be_visible()
    assert violations.all() == []


def test_script_injected_into_a_page_does_not_run(page: Page, live_server, violations):
    violations.visit(live_server.url + "/")
    page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.body.append(script);
    }""")

    # The violation event comes asynchronously; by then the script would have run, had it been allowed.
    page.wait_for_function("window.cspViolations.length > 0")
    assert page.evaluate("window.injected") is None
    assert any(violation.startswith("script-src") for violation in violations.all())
