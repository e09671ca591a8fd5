"""Ending tokens: refresh tokens in the database, access tokens through the cache.

Refresh tokens are blacklisted in the database, one at a time (logout, rotation) or
all of a user's at once, whatever the settings.

With ``JWT_INSTANT_REVOCATION`` on, access tokens can be ended before they expire
too. Two kinds of mark are written to the "security" cache (shared by every
server through Redis, and kept apart from what anonymous clients can fill, so that
no flood of requests can push a mark out and bring a revoked token back):

- a user's *not-before* mark ends every token of every login (family) born before
  it: log out everywhere, a password change, a deactivation;
- a family mark ends every token of one login: logout, or a refresh token
  presented again after it was traded in.

Checking a token reads both marks in one round trip and never the database. A mark
lives as long as the longest-lived token it could concern, then expires by itself.
With the setting off, nothing is written and nothing is read: verification stays
stateless.
"""

import re
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)
from rest_framework_simplejwt.utils import datetime_from_epoch


def record_outstanding(*, jti: str, user_id: int | None, exp: int) -> OutstandingToken:
    """Note a refresh token as issued, so that it can be blacklisted later.

    The token itself is not stored: a copy of the database must not hold cards
    that still work.
    """
    outstanding, _ = OutstandingToken.objects.get_or_create(
        jti=jti,
        defaults={
            "user_id": user_id,
            "token": "",
            "created_at": timezone.now(),
            "expires_at": datetime_from_epoch(exp),
        },
    )
    return outstanding


def blacklist_once(*, jti: str, user_id: int | None, exp: int) -> None:
    """Blacklist a refresh token; raise ``TokenError`` if it already was.

    The unique constraint on the blacklist decides, so two concurrent requests with
    the same token cannot both succeed.
    """
    outstanding = record_outstanding(jti=jti, user_id=user_id, exp=exp)
    try:
        with transaction.atomic():
            BlacklistedToken.objects.create(token=outstanding)
    except IntegrityError as exc:
        raise TokenError("Token is blacklisted") from exc


def is_blacklisted(*, jti: str) -> bool:
    return BlacklistedToken.objects.filter(token__jti=jti).exists()


def revoke_refresh_tokens(*, user_id: int) -> int:
    """Blacklist every unexpired refresh token of a user; return how many."""
    outstanding = OutstandingToken.objects.filter(
        user_id=user_id,
        expires_at__gt=timezone.now(),
        blacklistedtoken__isnull=True,
    ).values_list("pk", flat=True)
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token_id=pk) for pk in outstanding],
        ignore_conflicts=True,
    )
    return len(created)


# --- Instant revocation -------------------------------------------------------

FAMILY_CLAIM = "fam"
USER_REVOKED = (
    "Every token of this user was revoked: log out everywhere, a new password "
    "or a disabled account."
)
FAMILY_REVOKED = (
    "This login was ended: a logout, or its refresh token was presented twice."
)
# A family id starts with its birth in milliseconds, in this many hex digits,
# followed by 64 random bits.
_BIRTH_DIGITS = 12
FAMILY_ID = re.compile(r"[0-9a-f]{28}")


def instant_revocation_enabled() -> bool:
    return bool(getattr(settings, "JWT_INSTANT_REVOCATION", False))


def _now_ms() -> int:
    return int(timezone.now().timestamp() * 1000)


def new_family_id() -> str:
    """An id for a new login's tokens: its birth in milliseconds, then 64 random bits.

    The birth is what a user's not-before mark is compared with: ``iat`` counts
    whole seconds, too coarse to tell a token issued just before a password change
    from one issued just after it. Every token of a family is ended with it, even
    one rotated after the mark.
    """
    return f"{_now_ms():0{_BIRTH_DIGITS}x}{secrets.token_hex(8)}"


def family_birth_ms(claims: Mapping[str, Any]) -> int:
    """When the token's family was born: the start of its ``fam`` claim, which
    ``accounts.tokens`` has checked."""
    return int(claims[FAMILY_CLAIM][:_BIRTH_DIGITS], 16)


def _marks() -> BaseCache:
    """The cache of the marks: "security", which anonymous traffic cannot fill."""
    return caches["security"]


def _user_key(user_id: int) -> str:
    return f"revoked:user:{user_id}"


def _family_key(user_id: int, family: str) -> str:
    return f"revoked:family:{user_id}:{family}"


def _mark_lifetime() -> int:
    """Seconds a mark must outlive: the longest a token issued before it can live."""
    simple_jwt = settings.SIMPLE_JWT
    longest = max(
        simple_jwt["ACCESS_TOKEN_LIFETIME"], simple_jwt["REFRESH_TOKEN_LIFETIME"]
    )
    return int(longest.total_seconds()) + 60


class RevocationListUnavailable(Exception):
    """The cache that holds the revocation marks did not answer."""


@contextmanager
def revocation_list() -> Iterator[None]:
    """Turn an outage of the cache that holds the marks into one domain error."""
    try:
        yield
    except (ConnectionInterrupted, RedisError, OSError) as exc:
        raise RevocationListUnavailable from exc


def revoke_family(*, user_id: int, family: str | None) -> None:
    """End every token of one login, on every server (instant revocation only)."""
    if instant_revocation_enabled() and family:
        with revocation_list():
            _marks().set(
                _family_key(user_id, family), _now_ms(), timeout=_mark_lifetime()
            )


def revoke_user_tokens(*, user_id: int) -> int:
    """End every token a user holds; return how many refresh tokens were ended.

    The refresh tokens are blacklisted in the database; with instant revocation
    on, the access tokens end too, through the user's not-before mark.
    """
    if instant_revocation_enabled():
        with revocation_list():
            _marks().set(_user_key(user_id), _now_ms(), timeout=_mark_lifetime())
    return revoke_refresh_tokens(user_id=user_id)


class TokenRevoked(TokenError):
    """A token whose signature and expiry are fine, but which was revoked."""

    def __init__(self, reason: str, *, user_id: int) -> None:
        super().__init__("Token has been revoked")
        self.reason = reason
        self.user_id = user_id


def why_revoked(*, user_id: int, claims: Mapping[str, Any]) -> str | None:
    """Why a verified token was revoked, or ``None``: one cache round trip.

    Returns ``None`` without reading anything when instant revocation is off.
    """
    if not instant_revocation_enabled():
        return None
    family = claims.get(FAMILY_CLAIM)
    keys = [_user_key(user_id)]
    if isinstance(family, str) and family:
        keys.append(_family_key(user_id, family))
    with revocation_list():
        marks = _marks().get_many(keys)
    not_before = marks.get(keys[0])
    if not_before is not None and family_birth_ms(claims) < not_before:
        return USER_REVOKED
    if len(keys) > 1 and keys[1] in marks:
        return FAMILY_REVOKED
    return None


def ensure_not_revoked(*, user_id: int, claims: Mapping[str, Any]) -> None:
    """Raise ``TokenRevoked`` if ``why_revoked`` finds a reason."""
    reason = why_revoked(user_id=user_id, claims=claims)
    if reason is not None:
        raise TokenRevoked(reason, user_id=user_id)
