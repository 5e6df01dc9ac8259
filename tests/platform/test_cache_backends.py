"""relais.cache_backends.RedisCache: Redis away reads as an empty cache that
forgets what it is given, with one log line, and is left alone a while."""

from __future__ import annotations

import logging
import socket

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from relais import cache_backends


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: connections are refused


@pytest.fixture
def unreachable():
    location = f"redis://127.0.0.1:{closed_port()}/0"
    cache = cache_backends.RedisCache(
        location,
        {
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
            "RETRY_AFTER": 60,
        },
    )
    yield cache
    cache_backends._down_until.pop(location, None)


def test_django_redis_cache_raises_when_redis_is_away(unreachable):
    plain = DjangoRedisCache(unreachable._location, {})
    with pytest.raises(Exception, match="Connection refused"):
        plain.get("k")


def test_reads_miss_and_writes_are_taken_as_done(unreachable):
    assert unreachable.get("k", "default") == "default"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("k") is False
    assert unreachable.add("k", 1) is True
    assert unreachable.set("k", 1) is None
    assert unreachable.set_many({"a": 1}) == []
    assert unreachable.delete("k") is False
    assert unreachable.incr("counter") == 1
    assert unreachable.get_or_set("k", "computed") == "computed"


def test_one_warning_then_redis_is_left_alone(unreachable, caplog):
    with caplog.at_level(logging.WARNING, logger="relais.cache_backends"):
        unreachable.get("a")
        unreachable.set("b", 1)
        unreachable.get_many(["c"])
    warnings = [r for r in caplog.records if r.name == "relais.cache_backends"]
    assert len(warnings) == 1
    assert "cache unavailable" in warnings[0].getMessage()
    assert not unreachable._available()
