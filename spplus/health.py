"""`/healthz`: is the whole stack up — database, cache, broker? For load balancers and monitoring."""

import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)

# A probe must answer before the load balancer gives up on it.
TIMEOUT_SECONDS = 2
MESSAGE_MAX_LENGTH = 200


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    # A key per probe: replicas probed at the same moment must not read each other's value.
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=TIMEOUT_SECONDS * 5)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise RuntimeError("la valeur écrite n'a pas été relue")
    return "ok"


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url or url.startswith("memory://"):
        # No broker (no REDIS_URL): tasks run eagerly in the web process.
        return "eager"
    options = {"socket_connect_timeout": TIMEOUT_SECONDS, "socket_timeout": TIMEOUT_SECONDS}
    with Connection(url, connect_timeout=TIMEOUT_SECONDS, transport_options=options) as broker:
        # max_retries=0: fail at once; kombu's default retry waits 2 s before its second try.
        broker.ensure_connection(max_retries=0, timeout=TIMEOUT_SECONDS)
        if broker.transport_cls in ("redis", "rediss"):
            broker.default_channel.client.ping()
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def _run(name: str, check: Callable[[], str]) -> tuple[str, bool]:
    try:
        return check(), True
    except Exception as error:  # any failure is a failed probe, named in the answer
        logger.warning("healthz: %s failed", name, exc_info=True)
        message = str(error).strip() or type(error).__name__
        return f"error: {message[:MESSAGE_MAX_LENGTH]}", False


@csrf_exempt
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with each part's state when all are up, 503 naming the part that failed."""
    body = {"status": "ok"}
    healthy = True
    for name, check in CHECKS.items():
        body[name], ok = _run(name, check)
        healthy = healthy and ok
    if not healthy:
        body["status"] = "error"
    return JsonResponse(body, status=200 if healthy else 503)
