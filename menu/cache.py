"""The public menu's cache: one version for the whole menu, answers marked with it.

Reading the menu is the busiest thing the site does, and the menu changes rarely.
So a rendered answer is kept in Django's cache (Redis in the production profile,
local memory by default), marked with the menu's *version* it was rendered from,
and every save or delete of a restaurant, category or dish moves the version on
(``menu.signals``). An answer is served only while its version is current, so
nothing cached before an edit is ever served after it.

The version lives in the cache as well, and is read together with the answer: a
warm read costs one round trip to the cache and no database query. All processes
that serve the API must then share one cache (Redis) for an edit made through one
of them to reach the others; local memory suits a single process such as
``runserver``.

Clients and shared caches get validators as well: a strong ``ETag`` (a digest of the
body) and a ``Last-Modified`` date, so that a revalidation is a bodiless 304.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

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


def answer_key(request: HttpRequest) -> str:
    """The cache key of one answer: the full URL and the Accept header.

    The URL includes scheme and host because paginated answers hold absolute links;
    the Accept header chooses the representation (JSON or the browsable API).
    """
    url = request.build_absolute_uri()
    accept = request.headers.get("Accept", "")
    digest = hashlib.sha256(f"{url}\n{accept}".encode()).hexdigest()
    return f"{ANSWER_PREFIX}:{digest}"


def lookup(request: HttpRequest) -> tuple[MenuVersion, str, CachedAnswer | None]:
    """The menu's version, the request's key, and the answer kept for it, if current.

    The version and the answer are read in one round trip; an answer rendered from
    another version is left unused (the next miss overwrites it).
    """
    key = answer_key(request)
    found = cache.get_many([VERSION_KEY, key])
    stored = found.get(VERSION_KEY)
    version = MenuVersion(*stored) if stored else current_version()
    answer = found.get(key)
    if answer is not None and answer.version != version.token:
        answer = None
    return version, key, answer


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
    cache.set(key, answer, timeout=ANSWER_TIMEOUT)
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
