"""The production build in Chromium: collectstatic with DEBUG=false, then gunicorn and whitenoise as in the Dockerfile.

Found in a browser: the manifest storage rewrote DSFR's stylesheets while their `integrity` attribute kept the
original files' hash, so Chromium refused them and every page came out unstyled. A status code cannot see that.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import Page

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parent.parent.parent
# What the Dockerfile's build step and docker-compose.yml's web service set (SECURE_SSL_REDIRECT=false is the
# compose default: TLS ends at the proxy in front).
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3U9x-production-like-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
}
# Every page's stylesheets must have loaded: Chromium leaves `sheet` empty on a link whose integrity fails.
UNLOADED_STYLESHEETS = """() => [...document.querySelectorAll('link[rel=stylesheet]')]
    .filter(link => link.sheet === null).map(link => link.href)"""


def _environment(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "REDIS_URL")}
    return {**base, "DJANGO_SETTINGS_MODULE": "spplus.settings", **PRODUCTION, **extra}


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    """The Dockerfile's collectstatic (~40 s: DSFR ships 2,000 files), once for the module."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=_environment(STATIC_ROOT=str(root)),
        check=True,
        timeout=300,
    )
    return root


@pytest.fixture
def production_url(live_server, static_root):
    """gunicorn on the test database; live_server commits the test's rows so gunicorn's workers see them."""
    # The socket is bound and listening before gunicorn starts: requests wait in its backlog, so no polling.
    listener = socket.create_server(("127.0.0.1", 0))
    command = [sys.executable, "-m", "gunicorn", "spplus.wsgi", "--bind", f"fd://{listener.fileno()}"]
    server = subprocess.Popen(
        # No control socket: its default path is shared by every gunicorn of the machine.
        [*command, "--workers", "1", "--no-control-socket"],
        cwd=ROOT,
        env=_environment(STATIC_ROOT=str(static_root), DATABASE_URL=_test_database_url()),
        pass_fds=[listener.fileno()],
    )
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        listener.close()


def _console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


@pytest.mark.parametrize("path", ["/", "/agents/connexion/"])
def test_visitor_sees_dsfr_styled_page_in_production(page: Page, production_url, path):
    errors = _console_errors(page)
    page.goto(production_url + path)

    assert page.evaluate(UNLOADED_STYLESHEETS) == []
    # DSFR's core stylesheet sets the Marianne typeface on the body; the browser's default is a serif.
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Marianne")
    # DSFR's script (also behind an integrity attribute) started.
    assert page.evaluate("typeof window.dsfr") == "function"
    assert [error for error in errors if "integrity" in error] == []


def test_moderator_sees_styled_admin_login_in_production(page: Page, production_url):
    errors = _console_errors(page)
    page.goto(production_url + "/admin/login/")

    assert page.evaluate(UNLOADED_STYLESHEETS) == []
    # The admin keeps Django's own stylesheets, which define its colour variables.
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--primary')").strip()
    assert [error for error in errors if "integrity" in error] == []
