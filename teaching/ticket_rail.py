"""The ticket rail: a short, newest-first feed of what happens to tokens.

In a kitchen, order tickets hang on a rail in the order they came. Here the
tickets are token events (issued, refreshed, logged out, revoked, reused, refused)
so an instructor can show the room what the front desk and the waiter just did.
The front desk announces them (``accounts.signals.token_event``); the rail listens
(``teaching.apps``).

A ticket names the user, the token's ``jti``, its login (``family``) and the
reason for a refusal, never the token itself. Recording one costs a single write
to the cache (one Redis round trip, or a local list without Redis); accepted
requests record nothing. The rail keeps the latest ``RAIL_LENGTH`` tickets and
forgets the rest. The token inspector reads a login's tickets back to draw its
renewals (``teaching.families``).
"""

import json
import threading
from collections import deque
from dataclasses import asdict, dataclass
from datetime import datetime

from django.core.cache import cache, caches
from django.utils import timezone
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

RAIL_LENGTH = 200
RAIL_KEY = "ticket-rail"


@dataclass(frozen=True)
class Ticket:
    kind: str
    at: str
    user_id: int | None = None
    username: str = ""
    jti: str = ""
    family: str = ""
    reason: str = ""
    path: str = ""

    @property
    def moment(self) -> datetime:
        """``at`` as an aware datetime, for the page to show in a readable form."""
        return datetime.fromisoformat(self.at)


class LocalRail:
    """The rail of one process, for the default local-memory cache."""

    def __init__(self) -> None:
        self._tickets: deque[str] = deque(maxlen=RAIL_LENGTH)
        self._lock = threading.Lock()

    def push(self, line: str) -> None:
        with self._lock:
            self._tickets.appendleft(line)

    def latest(self, limit: int) -> list[str]:
        with self._lock:
            return list(self._tickets)[:limit]

    def clear(self) -> None:
        with self._lock:
            self._tickets.clear()


class RedisRail:
    """The rail shared by every server, as a capped Redis list."""

    def __init__(self) -> None:
        from django_redis import get_redis_connection

        self._redis = get_redis_connection("default")
        self._key = cache.make_key(RAIL_KEY)

    def push(self, line: str) -> None:
        # One round trip, one atomic write: add the ticket and drop the oldest.
        pipe = self._redis.pipeline(transaction=True)
        pipe.lpush(self._key, line)
        pipe.ltrim(self._key, 0, RAIL_LENGTH - 1)
        pipe.execute()

    def latest(self, limit: int) -> list[str]:
        return [raw.decode() for raw in self._redis.lrange(self._key, 0, limit - 1)]

    def clear(self) -> None:
        self._redis.delete(self._key)


_local_rail = LocalRail()


def rail() -> LocalRail | RedisRail:
    """Redis when the default cache is Redis, so every branch shares one rail."""
    if isinstance(caches["default"], RedisCache):
        return RedisRail()
    return _local_rail


def record(
    kind: str,
    *,
    user_id: int | None = None,
    username: str = "",
    jti: str = "",
    family: str = "",
    reason: str = "",
    path: str = "",
) -> None:
    """Hang one ticket on the rail. A cache outage loses the ticket, not the request."""
    ticket = Ticket(
        kind=kind,
        at=timezone.now().isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        user_id=user_id,
        username=username,
        jti=jti,
        family=family,
        reason=reason,
        path=path[:200],
    )
    try:
        rail().push(json.dumps(asdict(ticket)))
    except (ConnectionInterrupted, RedisError, OSError):
        return


def on_token_event(
    *, kind: str, signal: object, sender: object, fingerprint: str = "", **about
) -> None:
    """Receiver of ``accounts.signals.token_event``: one ticket per event.

    A refused card's fingerprint is not on the ticket: the rail says what
    happened, not which card.
    """
    record(kind, **about)


def latest(limit: int = 100) -> list[Ticket]:
    """The newest tickets first; none while the cache that holds them is down."""
    try:
        lines = rail().latest(limit)
    except (ConnectionInterrupted, RedisError, OSError):
        return []
    return [Ticket(**json.loads(line)) for line in lines]
