"""Browser tests: Playwright drives Debian's Chromium (never a browser Playwright downloads itself)."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "Chromium (paquet Debian chromium) absent : tests navigateur ignorés"
CHROMIUM_MISSING_IN_CI = "Chromium (paquet Debian chromium) absent en CI : les tests navigateur doivent tourner"
# Without the background-networking flags Chromium keeps dialling out and the sandboxed machine refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in the test thread; Django then refuses ORM calls
# from it (live_server's database setup) unless told this is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        # A developer without Chromium still runs the rest; CI must not turn green by skipping them all.
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(CHROMIUM_MISSING_IN_CI, pytrace=False)
        pytest.skip(CHROMIUM_MISSING)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _territories(live_server):
    """live_server flushes every table after each browser test, the territories a data migration loaded
    included (serialized_rollback does not help: Playwright's greenlet sees other connections)."""
    from structures.models import Department, Region
    from structures.territories import load_territories

    load_territories(Region, Department)


@pytest.fixture(autouse=True)
def _questionnaire(live_server):
    """The diagnostics questionnaire a data migration loaded, flushed with every table like the territories."""
    from diagnostics.models import Question, QuestionnaireVersion
    from diagnostics.questionnaire import load_questionnaire

    load_questionnaire(QuestionnaireVersion, Question)
