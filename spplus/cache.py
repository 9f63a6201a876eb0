"""The shared cache (Redis), degrading to a miss when Redis is unreachable: an outage costs speed, not service."""

import functools
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# TimeoutError covers a Redis that accepts connections but no longer answers.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


# After a failure, Redis is not asked again for this long: a Redis that drops packets would otherwise
# cost each cache call its whole socket timeout.
RETRY_AFTER_SECONDS = 5


class _Outage:
    """One warning when the cache becomes unreachable and one line when it answers again, per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.is_down = False
        self.failed_at = 0.0

    def should_wait(self) -> bool:
        return self.is_down and time.monotonic() - self.failed_at < RETRY_AFTER_SECONDS

    def failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            self.failed_at = time.monotonic()
            if self.is_down:
                return
            self.is_down = True
        logger.warning("Cache injoignable (%s : %s) : les pages sont calculées sans cache.", operation, error)

    def answered(self) -> None:
        if not self.is_down:
            return
        with self._lock:
            if not self.is_down:
                return
            self.is_down = False
        logger.warning("Cache de nouveau joignable.")


outage = _Outage()


def _degrades_to(fallback):
    """Run the operation; if Redis is unreachable, log once and return `fallback(*args, **kwargs)` instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if outage.should_wait():
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNREACHABLE as error:
                outage.failed(method.__name__, error)
                return fallback(*args, **kwargs)
            outage.answered()
            return result

        return wrapper

    return decorate


def _miss_for_incr(*args, **kwargs):
    # What Django's caches do for a missing key; django-ratelimit then lets the request through
    # (RATELIMIT_FAIL_OPEN).
    raise ValueError("Cache injoignable : compteur indisponible.")


class DegradingRedisCache(RedisCache):
    """Django's RedisCache whose operations behave as a miss or a no-op while Redis is unreachable.

    Reads miss (the page computes its figures), writes are dropped, `add` says the key was new so that
    once-only guards (the share form's token) and rate limits let the request through. DRF's throttles
    read a miss as « no request yet ». /healthz still reports the outage: what it writes does not read back.
    """

    @_degrades_to(lambda key, value, *args, **kwargs: True)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_degrades_to(lambda key, default=None, *args, **kwargs: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_degrades_to(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_degrades_to(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_degrades_to(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_degrades_to(lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_degrades_to(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_degrades_to(_miss_for_incr)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_degrades_to(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_degrades_to(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_degrades_to(lambda *args, **kwargs: None)
    def clear(self):
        return super().clear()
