"""Ending tokens: logins in the database, access tokens through the cache.

A login (``accounts.models.Login``) ends in the database, one at a time (logout,
"end this login", a refresh token presented again after it was traded in) or all
of a user's at once (log out everywhere, a new password, a disabled account),
whatever the settings: every refresh token of an ended login is refused from then
on. A single refresh token is also blacklisted when it is traded in or logged out.

With ``JWT_INSTANT_REVOCATION`` on, access tokens can be ended before they expire
too. Two kinds of mark are written to the "security" cache (shared by every
server through Redis, and kept apart from what anonymous clients can fill, so that
no flood of requests can push a mark out and bring a revoked token back):

- a user's *not-before* mark ends every token of every login (family) born before
  it: log out everywhere, a new password set by an administrator, a deactivation;
- a family mark ends every token of one login: logout, "end this login", a
  password change for the logins it ends, or a refresh token presented again
  after it was traded in.

Checking a token reads both marks in one round trip and never the database. A mark
lives as long as the longest-lived token it could concern, then expires by itself.
With the setting off, nothing is written and nothing is read: verification stays
stateless.
"""

import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
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

from accounts.models import Login, LoginEnd


def record_outstanding(*, jti: str, user_id: int, exp: int) -> OutstandingToken:
    """Note a new refresh token as issued, so that it can be blacklisted later.

    The token itself is not stored: a copy of the database must not hold cards
    that still work.
    """
    return OutstandingToken.objects.create(
        jti=jti,
        user_id=user_id,
        token="",
        created_at=timezone.now(),
        expires_at=datetime_from_epoch(exp),
    )


def blacklist_once(*, jti: str, user_id: int | None, exp: int) -> None:
    """Blacklist a refresh token; raise ``TokenError`` if it already was.

    The unique constraint on the blacklist decides, so two concurrent requests with
    the same token cannot both succeed.
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
    try:
        with transaction.atomic():
            BlacklistedToken.objects.create(token=outstanding)
    except IntegrityError as exc:
        raise TokenError("Token is blacklisted") from exc


def is_blacklisted(*, jti: str) -> bool:
    return BlacklistedToken.objects.filter(token__jti=jti).exists()


class LoginEnded(TokenError):
    """A refresh token whose login is over (or was never on record)."""

    def __init__(self, reason: str) -> None:
        super().__init__("Token's login has ended")
        self.reason = reason


def end_login(*, login: Login, reason: LoginEnd) -> bool:
    """End one login: every refresh token of its family is refused from now on.

    With instant revocation on, its access tokens end too. Returns whether the
    login was open until now. The mark is written even for a login that had
    already ended, in case the cache was down when it ended.
    """
    ended = Login.objects.filter(pk=login.pk, ended_at=None).update(
        ended_at=timezone.now(), ended_reason=reason
    )
    revoke_families(user_id=login.user_id, families=[login.family])
    return bool(ended)


def revoke_user_tokens(*, user_id: int) -> None:
    """End everything an account about to be deleted holds.

    Its logins end (and go with its row), every refresh token issued to it is
    blacklisted while the outstanding tokens still name it, and with instant
    revocation on its access tokens end at once.
    """
    end_logins(user_id=user_id, reason=LoginEnd.ACCOUNT_DISABLED)
    outstanding = OutstandingToken.objects.filter(
        user_id=user_id,
        expires_at__gt=timezone.now(),
        blacklistedtoken__isnull=True,
    ).values_list("pk", flat=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token_id=pk) for pk in outstanding],
        ignore_conflicts=True,
    )


def end_logins(
    *, user_id: int, reason: LoginEnd, keep_family: str | None = None
) -> int:
    """End every open login of a user but ``keep_family``; return how many ended.

    With instant revocation on, their access tokens end too: through the user's
    not-before mark when every login ends, through one family mark per ended login
    when one is kept.
    """
    now = timezone.now()
    open_logins = Login.objects.filter(user_id=user_id, ended_at=None)
    if keep_family is None:
        ended = open_logins.update(ended_at=now, ended_reason=reason)
        revoke_user(user_id=user_id)
        return ended
    ended = open_logins.exclude(family=keep_family).update(
        ended_at=now, ended_reason=reason
    )
    if ended and instant_revocation_enabled():
        families = Login.objects.filter(
            user_id=user_id, ended_at=now, ended_reason=reason
        ).values_list("family", flat=True)
        revoke_families(user_id=user_id, families=families)
    return ended


# --- Instant revocation -------------------------------------------------------

FAMILY_CLAIM = "fam"
USER_REVOKED = (
    "Every token of this user was revoked: log out everywhere, a new password "
    "or a disabled account."
)
FAMILY_REVOKED = (
    'This login was ended: a logout, "end this login", a new password, or its '
    "refresh token was presented twice."
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


def revoke_families(*, user_id: int, families: Iterable[str]) -> None:
    """Mark logins as ended, on every server (instant revocation only)."""
    if not instant_revocation_enabled():
        return
    now = _now_ms()
    marks = {_family_key(user_id, family): now for family in families}
    if marks:
        with revocation_list():
            _marks().set_many(marks, timeout=_mark_lifetime())


def revoke_user(*, user_id: int) -> None:
    """Mark every login born until now as ended (instant revocation only)."""
    if instant_revocation_enabled():
        with revocation_list():
            _marks().set(_user_key(user_id), _now_ms(), timeout=_mark_lifetime())


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
    # A login born in the mark's own millisecond counts as born before it: the
    # safe side (its owner logs in again), never a card that outlives the mark.
    if not_before is not None and family_birth_ms(claims) <= not_before:
        return USER_REVOKED
    if len(keys) > 1 and keys[1] in marks:
        return FAMILY_REVOKED
    return None


def ensure_not_revoked(*, user_id: int, claims: Mapping[str, Any]) -> None:
    """Raise ``TokenRevoked`` if ``why_revoked`` finds a reason."""
    reason = why_revoked(user_id=user_id, claims=claims)
    if reason is not None:
        raise TokenRevoked(reason, user_id=user_id)
