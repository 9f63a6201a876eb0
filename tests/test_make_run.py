"""`make run` serves this machine only, on the port asked for, and e-mail links follow that address."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run_target(tmp_path):
    """Runs `make run` for real, with a stand-in python that prints what it was asked and its SITE_URL."""
    python = tmp_path / "python"
    python.write_text('#!/bin/sh\necho "$* | SITE_URL=$SITE_URL"\n')
    python.chmod(0o755)
    installed = tmp_path / "installed-stamp"  # newer than pyproject.toml: nothing to install
    installed.touch()

    def run(*arguments: str, **environment: str) -> list[str]:
        base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
        result = subprocess.run(
            ["make", "--silent", "run", f"BIN={tmp_path}", f"STAMP={installed}", *arguments],
            cwd=ROOT,
            env={**base, **environment},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.splitlines()

    return run


def test_make_run_serves_localhost_on_port_8000_by_default(run_target):
    assert run_target() == [
        "manage.py migrate --noinput | SITE_URL=http://127.0.0.1:8000",
        "manage.py seed_demo --if-empty | SITE_URL=http://127.0.0.1:8000",
        "manage.py runserver 127.0.0.1:8000 | SITE_URL=http://127.0.0.1:8000",
    ]


def test_make_run_serves_the_port_asked_for_and_links_to_it(run_target):
    assert run_target("PORT=8123")[-1] == "manage.py runserver 127.0.0.1:8123 | SITE_URL=http://127.0.0.1:8123"


def test_make_run_keeps_the_site_url_given(run_target):
    lines = run_target("PORT=8123", SITE_URL="https://spplus.example.gouv.fr")

    assert lines[-1] == "manage.py runserver 127.0.0.1:8123 | SITE_URL=https://spplus.example.gouv.fr"
