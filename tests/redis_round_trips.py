"""Count the round trips this process makes to Redis, through redis-py's
public `connection_class` option (which Django's RedisCache passes on to the
connection pool): every request sent to the server is one round trip, a
pipeline being one. Other clients of the same server are not counted.

    with count_round_trips() as trips:
        client.get(url)
    assert trips.count <= 3
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import redis

_local = threading.local()


class CountingConnection(redis.Connection):
    """A redis-py connection that counts what it sends, while a counter of
    this thread is open."""

    def send_packed_command(self, command, check_health=True):
        counter = getattr(_local, "counter", None)
        if counter is not None:
            counter.count += 1
        return super().send_packed_command(command, check_health)


@dataclass
class RoundTrips:
    count: int = 0


@contextlib.contextmanager
def count_round_trips() -> Iterator[RoundTrips]:
    counter = RoundTrips()
    _local.counter = counter
    try:
        yield counter
    finally:
        _local.counter = None


def counting_caches(caches: dict) -> dict:
    """`caches` (a CACHES setting) with every Redis cache counting its round
    trips; for `settings.CACHES = counting_caches(settings.CACHES)`."""
    counted = {}
    for alias, config in caches.items():
        config = dict(config)
        if config["BACKEND"].endswith("RedisCache"):
            config["OPTIONS"] = {
                **config.get("OPTIONS", {}),
                "connection_class": CountingConnection,
            }
        counted[alias] = config
    return counted
