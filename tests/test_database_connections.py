"""A web worker keeps its database connection between requests; a connection cut meanwhile must cost no 500."""

import io

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

from structures.models import Department, Region
from structures.territories import load_territories
from tests.factories import ExperienceFactory

# Not the test client: it unhooks close_old_connections from request_started and request_finished, and
# that hook is what marks a kept connection for a health check at the start of each request. This is
# the handler gunicorn calls. No test transaction either: a worker's connection is in autocommit.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _get(handler: WSGIHandler, path: str) -> int:
    status = []
    environ = RequestFactory().get(path).environ
    environ["wsgi.input"] = io.BytesIO()
    body = handler(environ, lambda line, headers, exc_info=None: status.append(line))
    b"".join(body)
    body.close()  # as a WSGI server does: fires request_finished
    return int(status[0].split()[0])


def _terminate_from_another_connection(backend_pid: int) -> None:
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])


def test_worker_answers_after_its_kept_database_connection_was_cut():
    load_territories(Region, Department)  # an earlier transactional test may have flushed them
    experience = ExperienceFactory()
    handler = WSGIHandler()
    assert _get(handler, experience.get_absolute_url()) == 200
    kept = connection.connection
    assert kept is not None, "CONN_MAX_AGE keeps the worker's connection between requests"

    _terminate_from_another_connection(kept.info.backend_pid)

    assert _get(handler, experience.get_absolute_url()) == 200
    assert connection.connection is not kept
