"""Browser tests without Chromium: skipped on a developer's machine, failed in CI (CI=true)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The e2e fixture, pointed at a Chromium that is not there, under a test that needs a browser.
CONFTEST = """
from pathlib import Path

import tests.e2e.conftest as e2e
from tests.e2e.conftest import browser_type_launch_args

e2e.CHROMIUM = Path("/nonexistent/chromium")
"""
BROWSER_TEST = """
def test_needs_a_browser(browser_type_launch_args):
    pass
"""


@pytest.fixture
def run_without_chromium(tmp_path):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_browser.py").write_text(BROWSER_TEST)

    def run(**environment: str) -> subprocess.CompletedProcess:
        base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
        return subprocess.run(
            # No pytest-django: the fixture needs no database, and the project's settings are not loaded.
            [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-rs", str(tmp_path)],
            cwd=tmp_path,
            env={**base, "PYTHONPATH": str(ROOT), **environment},
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def test_browser_tests_are_skipped_without_chromium_on_a_developer_machine(run_without_chromium):
    result = run_without_chromium()

    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "Chromium (paquet Debian chromium) absent : tests navigateur ignorés" in result.stdout


def test_browser_tests_fail_without_chromium_in_ci(run_without_chromium):
    result = run_without_chromium(CI="true")

    assert result.returncode == 1, result.stdout
    assert "1 error" in result.stdout
    assert "Chromium (paquet Debian chromium) absent en CI" in result.stdout
