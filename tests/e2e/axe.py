"""axe-core accessibility check shared by the browser tests."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING_IMPACTS = {"critical", "serious"}
# Rules that block whatever impact axe gives them: a skip link to nowhere strands a keyboard user
# on their very first key press, yet axe rates it only « moderate ».
BLOCKING_RULES = {"skip-link"}


def blocking_violations(page: Page) -> list[str]:
    """The serious and critical axe violations on the page (and BLOCKING_RULES'), one readable line each."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING_IMPACTS or v["id"] in BLOCKING_RULES
    ]
