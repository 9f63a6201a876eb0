"""Configuration comes from the environment: defaults that run with nothing, production that passes check --deploy."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3U9x-production-like-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "spplus.example.gouv.fr",
    "DATABASE_URL": "postgres://spplus:secret@db.internal:5432/spplus",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
}
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'cache': s.CACHES['default']['BACKEND'], "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'email': s.EMAIL_BACKEND, 'debug': s.DEBUG}))"
)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "spplus.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_defaults_run_with_nothing_installed():
    probe = json.loads(_run(["-c", PROBE], {}).stdout)
    assert probe == {
        "db": "django.db.backends.sqlite3",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "eager": True,
        "email": "django.core.mail.backends.filebased.EmailBackend",
        "debug": True,
    }


def test_production_environment_selects_postgres_redis_and_smtp():
    probe = json.loads(_run(["-c", PROBE], PRODUCTION).stdout)
    assert probe == {
        "db": "django.db.backends.postgresql",
        "cache": "spplus.cache.DegradingRedisCache",
        "eager": False,
        "email": "django.core.mail.backends.smtp.EmailBackend",
        "debug": False,
    }


def test_check_deploy_passes_with_production_values():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_rejects_the_development_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout
