"""A real Celery worker on Redis delivers a committed outbox e-mail (CI only: needs Redis and PostgreSQL)."""

import os
import subprocess
import sys
import time
import uuid
from email import message_from_bytes, policy
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction

from notifications.models import OutboxEmail, OutboxStatus
from spplus.celery import app as celery_app

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="Redis requis (REDIS_URL) pour lancer un vrai worker Celery : ignoré sans Redis",
    ),
]

DEADLINE = 60  # seconds: a cold worker imports Django, connects to Redis and PostgreSQL


def _test_database_url() -> str:
    """The test database (not the one DATABASE_URL names), where this test commits its rows."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or ""
    if host.startswith("/"):  # a Unix socket directory
        location, query = "", f"?host={quote(host, safe='')}"
    else:
        location, query = host + (f":{db['PORT']}" if db["PORT"] else ""), ""
    return f"postgres://{credentials}@{location}/{quote(db['NAME'], safe='')}{query}"


def _wait_until(condition, what: str, worker: subprocess.Popen) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if worker.poll() is not None:
            pytest.fail(f"Le worker s'est arrêté (code {worker.returncode}) avant : {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"Délai de {DEADLINE} s dépassé : {what}")
        time.sleep(0.2)


@pytest.fixture
def worker_queue():
    """A queue of this test's own, so no other worker on this Redis takes its tasks; the app sends to it."""
    if not str(celery_app.conf.broker_url).startswith("redis"):
        pytest.skip("Le courtier Celery de ce processus n'est pas Redis (REDIS_URL lu à l'import des réglages)")
    queue = f"outbox-test-{uuid.uuid4().hex[:12]}"
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    yield queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("territories")
def test_real_worker_delivers_a_committed_email(worker_queue, queue_rejection, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CELERY_QUEUE": worker_queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_FILE_PATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "spplus.settings",
    }
    env.pop("EMAIL_URL", None)  # the file backend, whatever this environment says
    command = [
        sys.executable, "-m", "celery", "-A", "spplus", "worker",
        "--pool=solo", "--concurrency=1", "-Q", worker_queue, "-n", f"{worker_queue}@%h",
        "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning",
    ]  # fmt: skip
    worker = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    passed = False
    try:
        # Committed here, so the task goes to Redis after the commit; the worker may still be starting.
        with transaction.atomic():
            email = queue_rejection()

        _wait_until(
            lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxStatus.SENT,
            "l'e-mail est marqué envoyé",
            worker,
        )

        (sent,) = tmp_path.iterdir()
        message = message_from_bytes(sent.read_bytes(), policy=policy.default)
        assert message["Subject"].strip() == email.subject  # folded by Django: the value starts with a space
        assert message["To"] == email.to
        assert message["Message-ID"].startswith(f"<outbox-{email.pk}@")
        passed = True
    finally:
        worker.terminate()
        try:
            _, stderr = worker.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            _, stderr = worker.communicate()
        if not passed:
            print("--- stderr du worker ---", stderr, sep="\n")
