"""/healthz: 200 when the database, the cache and the broker answer, 503 naming the one that does not."""

import os
from unittest import mock

import pytest
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def eager(settings):
    settings.CELERY_BROKER_URL = "memory://"


def test_healthz_is_ok_without_broker_in_eager_mode(client, eager):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "eager"}


def test_healthz_is_never_cached_and_needs_no_login(client, eager):
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_healthz_pings_redis_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://broker.example:6379/0"
    with mock.patch("spplus.health.Connection") as connection_class:
        broker = connection_class.return_value.__enter__.return_value
        broker.transport_cls = "redis"
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
    broker.ensure_connection.assert_called_once()
    broker.default_channel.client.ping.assert_called_once_with()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL absent : pas de Redis réel à interroger")
def test_healthz_is_ok_with_real_redis_cache_and_broker(client, settings):
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_healthz_answers_503_when_database_is_down(client, eager):
    refused = OperationalError("connection refused")
    with mock.patch.object(connections["default"], "cursor", side_effect=refused):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "error: connection refused"
    assert body["cache"] == "ok"


def test_healthz_answers_503_when_cache_is_down(client, eager, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": UNREACHABLE_REDIS}
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["cache"].startswith("error: ")
    assert "127.0.0.1:1" in body["cache"]
    assert body["database"] == "ok"


def test_healthz_answers_503_when_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"].startswith("error: ")
    assert body["database"] == "ok"
