"""The public menu's cache: one version for the whole menu, answers marked with it.

Reading the menu is the busiest thing the site does, and the menu changes rarely.
So a rendered answer is kept, marked with the menu's *version* it was rendered
from, and every save or delete of a restaurant, category or dish moves the
version on (``menu.signals``). An answer is served only while its version is
current, so nothing cached before an edit is ever served after it.

The version is one entry of the shared cache (Redis in the production profile),
so an edit made through one process reaches every other at once. The answers are
kept by each process in its own bounded cache (the "menu" cache of
``settings.CACHES``): anyone can ask for a new answer with a new query, and such
answers must neither grow the shared cache without end nor crowd out what else
it holds. A warm read costs one round trip to the shared cache and no database
query. When the shared cache does not answer, the menu is served from the
database, uncached.

Clients and shared caches get validators as well: a strong ``ETag`` (a digest of the
body) and a ``Last-Modified`` date, so that a revalidation is a bodiless 304.
"""

import hashlib
import json
import secrets
import time
from dataclasses import dataclass

from django.core.cache import BaseCache, cache, caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

VERSION_KEY = "menu:version"
ANSWER_PREFIX = "menu:answer"
# An answer of a version no longer current is never served; this only bounds memory.
ANSWER_TIMEOUT = 10 * 60
# How long a browser or a shared cache may reuse an answer without asking again.
SHARED_MAX_AGE = 60
# Response headers kept with a cached body, so that a hit answers like a miss.
REPLAYED_HEADERS = ("Allow", "Vary")


@dataclass(frozen=True)
class MenuVersion:
    """The menu as of one edit: a random token and when it changed."""

    token: str
    # Whole seconds since the epoch; later than any Last-Modified date a client may
    # hold for an earlier version, so that If-Modified-Since never hides an edit.
    changed_at: int


@dataclass(frozen=True)
class CachedAnswer:
    """A rendered answer of the menu API, as kept in the cache."""

    # The token of the menu version the answer was rendered from.
    version: str
    body: bytes
    content_type: str
    # Strong: a digest of the body, so equal bodies have equal tags.
    etag: str
    headers: tuple[tuple[str, str], ...]


def _following(previous: tuple[str, int] | None) -> tuple[str, int]:
    # A date one second ahead of the clock is later than any date given out so
    # far: a Last-Modified is never ahead of the clock (see respond()), so a copy
    # fetched earlier within this very second carries an older date. A previous
    # version dated further ahead was never shown with its own date either, which
    # lets a burst of edits share it instead of running ever further ahead.
    changed_at = int(time.time()) + 1
    if previous is not None:
        changed_at = max(changed_at, previous[1])
    return secrets.token_hex(8), changed_at


def current_version() -> MenuVersion:
    """The menu's version; a new one is made when the cache has none (cold start)."""
    stored = cache.get(VERSION_KEY)
    if stored is None:
        fresh = _following(None)
        # add() keeps the first of several processes starting at once.
        cache.add(VERSION_KEY, fresh, timeout=None)
        stored = cache.get(VERSION_KEY) or fresh
    return MenuVersion(*stored)


def bump_version() -> None:
    """Move the menu on to a new version: every cached answer is left behind."""
    cache.set(VERSION_KEY, _following(cache.get(VERSION_KEY)), timeout=None)


def menu_changed() -> None:
    """Record an edit of the menu, now and again once its transaction commits.

    The first bump makes the writer's own later reads miss the cache. The second
    matters when the edit is inside a transaction: a reader may have filled the
    cache from the rows as they were before the commit, under the version of the
    first bump, and the second leaves that entry behind.
    """
    bump_version()
    transaction.on_commit(bump_version)


class VersionUnavailable(Exception):
    """The shared cache that holds the menu's version did not answer."""


def answers() -> BaseCache:
    """This process's bounded cache of rendered answers."""
    return caches["menu"]


def answer_key(request: HttpRequest, *, representation: str) -> str:
    """The cache key of one answer: the URL and the representation.

    The URL includes scheme and host because paginated answers hold absolute
    links; the caller lets through only queries of parameters the view reads.
    The representation is the renderer's choice (JSON, and its indent), not the
    ``Accept`` header, which a client may vary at will.
    """
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        sorted(request.GET.items()),
        representation,
    ]
    digest = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
    return f"{ANSWER_PREFIX}:{digest}"


def lookup(key: str) -> tuple[MenuVersion, CachedAnswer | None]:
    """The menu's version and the answer kept under ``key``, if it is current.

    Raises ``VersionUnavailable`` when the shared cache does not answer. An answer
    rendered from another version is left unused (the next miss overwrites it).
    """
    try:
        stored = cache.get(VERSION_KEY)
        version = MenuVersion(*stored) if stored else current_version()
    except (ConnectionInterrupted, RedisError, OSError) as exc:
        raise VersionUnavailable from exc
    answer = answers().get(key)
    if answer is not None and answer.version != version.token:
        answer = None
    return version, answer


def keep_answer(
    key: str, version: MenuVersion, response: HttpResponseBase
) -> CachedAnswer | None:
    """Render a fresh DRF answer and keep it, if it is a public JSON 200.

    The browsable API's HTML and every error are left out: they are not worth
    keeping, and an error must never outlive its cause.
    """
    renderer = getattr(response, "accepted_renderer", None)
    if (
        response.status_code != 200
        or renderer is None
        or renderer.format != "json"
        or response.cookies
    ):
        return None
    response.render()
    answer = CachedAnswer(
        version=version.token,
        body=response.content,
        content_type=response["Content-Type"],
        etag=quote_etag(hashlib.sha256(response.content).hexdigest()[:32]),
        headers=tuple(
            (name, response[name]) for name in REPLAYED_HEADERS if name in response
        ),
    )
    answers().set(key, answer, timeout=ANSWER_TIMEOUT)
    return answer


def respond(
    request: HttpRequest, answer: CachedAnswer, version: MenuVersion
) -> HttpResponseBase:
    """The answer with its validators, or a bodiless 304 when the client is current."""
    response = HttpResponse(answer.body, content_type=answer.content_type)
    for name, value in answer.headers:
        response[name] = value
    response["ETag"] = answer.etag
    # A date may not lie ahead of the server's clock (RFC 9110, 8.8.2.1).
    response["Last-Modified"] = http_date(min(version.changed_at, int(time.time())))
    response["Cache-Control"] = f"public, max-age={SHARED_MAX_AGE}"
    return get_conditional_response(
        request,
        etag=answer.etag,
        last_modified=version.changed_at,
        response=response,
    )
