"""Count what one authentication spends: database queries and cache operations.

Queries are counted with Django's ``CaptureQueriesContext``. Cache operations are
counted twice over: at Django's cache API, by a counting copy of each configured
backend (a subclass, put in place with ``override_settings`` for the count only),
and, when a cache is Redis, by the Redis server itself, whose command counters say
how many round trips reached it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django_redis.cache import RedisCache

# Calls counted at the Redis server; the least count is kept.
REDIS_TRIES = 3
READS = ("get", "get_many", "has_key", "get_or_set")
WRITES = ("set", "add", "set_many", "delete", "delete_many", "touch", "incr", "decr")


class CountingCache:
    """Count the calls made to a cache backend's API, reads and writes apart.

    Only the outermost call counts: Django's own ``get_many`` of the local-memory
    backend is a loop of ``get``, one operation for its caller.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reads = 0
        self.writes = 0
        self.depth = 0


def counted(name: str, kind: str) -> Callable:
    def method(self, *args, **kwargs):
        if self.depth == 0:
            setattr(self, kind, getattr(self, kind) + 1)
        self.depth += 1
        try:
            return getattr(super(CountingCache, self), name)(*args, **kwargs)
        finally:
            self.depth -= 1

    method.__name__ = name
    return method


for _name in READS:
    setattr(CountingCache, _name, counted(_name, "reads"))
for _name in WRITES:
    setattr(CountingCache, _name, counted(_name, "writes"))


class CountingLocMemCache(CountingCache, LocMemCache):
    """Django's local-memory cache, counted."""


class CountingRedisCache(CountingCache, RedisCache):
    """django-redis's cache, counted."""


COUNTING_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache": (
        "bench.counting.CountingLocMemCache"
    ),
    "django_redis.cache.RedisCache": "bench.counting.CountingRedisCache",
}


@dataclass(frozen=True)
class Spent:
    """What one call spent."""

    queries: int
    cache_reads: int
    cache_writes: int
    # Commands the Redis server received; None when the cache is not Redis.
    redis_commands: int | None
    result: Any


def redis_servers() -> list:
    """A client of each Redis server the caches use (none when no cache is Redis)."""
    import redis

    locations = {
        urlsplit(cache["LOCATION"])._replace(path="").geturl()
        for cache in settings.CACHES.values()
        if cache["BACKEND"] == "django_redis.cache.RedisCache"
    }
    return [redis.Redis.from_url(location) for location in sorted(locations)]


def commands_run(servers: list) -> int:
    """Commands the Redis servers have run so far, but ``INFO`` (this count's own)."""
    return sum(
        figures["calls"]
        for server in servers
        for name, figures in server.info("commandstats").items()
        if name != "cmdstat_info"
    )


def spent(call: Callable[[], Any]) -> Spent:
    """Run ``call`` twice, and count what the second run spends.

    The first run warms everything a process does once (a connection, a lookup);
    the second is the steady state a server lives in. Every cache the settings
    name is counted.
    """
    counting = {
        alias: {**cache, "BACKEND": COUNTING_BACKENDS[cache["BACKEND"]]}
        for alias, cache in settings.CACHES.items()
    }
    with override_settings(CACHES=counting):
        call()
        for cache in caches.all():
            cache.reads = cache.writes = 0
        with CaptureQueriesContext(connection) as queries:
            result = call()
        reads = sum(cache.reads for cache in caches.all())
        writes = sum(cache.writes for cache in caches.all())
    # The servers' count, with the configured backends themselves. Anyone else
    # using the same server only adds commands: the least of a few counts is ours.
    servers = redis_servers()
    round_trips = None
    if servers:
        counts = []
        for _ in range(REDIS_TRIES):
            before = commands_run(servers)
            call()
            counts.append(commands_run(servers) - before)
        round_trips = min(counts)
        for server in servers:
            server.close()
    return Spent(
        queries=len(queries),
        cache_reads=reads,
        cache_writes=writes,
        redis_commands=round_trips,
        result=result,
    )
