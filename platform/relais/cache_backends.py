"""The Django cache on Redis, failing open: when Redis is down or hung, the
cache behaves as an empty one that forgets what it is given, so that no page
breaks (sessions read through to the database, pages and figures are worked
out again, rate limits count nothing).

Django's own `RedisCache` raises on every connection error and offers no
option to ignore them; this subclass catches redis-py's errors around each
public method. After one error the cache is not asked again for
`RETRY_AFTER` seconds (5 by default, a top-level key of the CACHES entry) in
this process: a hung Redis then costs one socket timeout per process in that
time, not one per cache call. One warning is logged each time it gives up.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Per cache location: until when (time.monotonic()) it is treated as down.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self._retry_after = float(params.get("RETRY_AFTER", 5))

    def _available(self) -> bool:
        return time.monotonic() >= _down_until.get(self._location, 0.0)

    def _failed(self, operation: str, exc: Exception) -> None:
        with _lock:
            already = not self._available()
            _down_until[self._location] = time.monotonic() + self._retry_after
        if not already:
            logger.warning(
                "cache unavailable (%s in %s: %s): treated as empty for %.0f s",
                type(exc).__name__,
                operation,
                exc,
                self._retry_after,
            )

    def _call(self, operation: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._available():
            return fallback
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except RedisError as exc:
            self._failed(operation, exc)
            return fallback

    # Reads miss; writes are taken as done (add answers True, so that a
    # caller holding a lock with add() goes on rather than waiting).
    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    # A counter starts again from nothing: the first hit of a window.
    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, key, delta, version)

    def clear(self):
        return self._call("clear", False)
