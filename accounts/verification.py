"""Is this ID card valid? One function decides, for everyone who asks.

The waiter (``accounts.authentication``), the site's cookie renewal, the front
desk's refresh and verify, the token inspector and the ticket rail all take their
verdict from ``verify_card`` or ``verify_refresh_card``; none of them has a rule of
its own, so they can never disagree about a card.
"""

import logging
from dataclasses import dataclass
from typing import Any

import jwt
from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError

from accounts import signals
from accounts.exceptions import InactiveAccount
from accounts.keys import current_key_set
from accounts.models import Login, LoginEnd, User
from accounts.revocation import (
    FAMILY_CLAIM,
    LoginEnded,
    end_login,
    ensure_not_revoked,
)
from accounts.tokens import AccessToken, RefreshToken, RefreshTokenReused, claim_user_id

logger = logging.getLogger(__name__)

NOT_ON_RECORD = "No login of this server issued it."


def verify_card(raw_token: str | bytes) -> AccessToken:
    """The verified access token, or ``TokenError`` saying why it is refused.

    Checked: the signature, with the server's own key and algorithm; the expiry;
    the type; every claim the server reads (``accounts.tokens``); and, with
    instant revocation on, the revocation marks (one cache round trip, and
    ``RevocationListUnavailable`` when the cache does not answer). Never a
    database query.
    """
    token = AccessToken(raw_token)
    ensure_not_revoked(user_id=claim_user_id(token.payload), claims=token.payload)
    return token


def expired_card_holder(raw_token: str | bytes) -> int | None:
    """Whose card this is, once ``verify_card`` refused it as expired.

    A refusal for expiry then says whose card it was, as one for revocation does
    (the log, the ticket rail). The signature is checked again with the server's
    own key and algorithm, the expiry set aside: a card this server did not sign
    names nobody (``None``).
    """
    key_set = current_key_set()
    try:
        payload = jwt.decode(
            raw_token,
            key_set.verifying_key_for(raw_token),
            algorithms=[key_set.algorithm],
            options={"verify_exp": False, "verify_aud": False},
        )
        return claim_user_id(payload)
    except (jwt.InvalidTokenError, TokenBackendError, TokenError):
        return None


@dataclass(frozen=True)
class RefreshCard:
    """A refresh token the front desk accepts, with its account and its login.

    ``repeated`` is true for a token traded in a moment ago (within
    ``JWT_REFRESH_GRACE_PERIOD``): a second request that renewed with the same
    token, such as a second tab. It is answered with the login's current pair,
    the one the first request got.
    """

    claims: dict[str, Any]
    user: User
    login: Login
    repeated: bool = False


def verify_refresh_card(raw_token: str | bytes) -> RefreshCard:
    """The refresh token as the front desk judges it before a refresh.

    The signature, expiry, type and claims as for ``verify_card``; the blacklist
    (one query); then the token's login and account, in one query: the database
    decides, so a refresh token needs no revocation mark. ``LoginEnded`` when the
    login is over or unknown, ``InactiveAccount`` when the account is disabled or
    gone. A login has one current refresh token. Any other of its tokens was
    traded in already, so two parties hold copies of it: unless it is the one
    traded in last, within the grace period, that ends the whole login, in the
    database and whatever the settings, is logged and announced, and raises
    ``RefreshTokenReused``.

    Every caller that is shown a refresh token (refresh, verify, logout, the
    inspector) calls this outside a transaction of its own, so that the end of a
    login is kept even though the request that revealed it is refused.
    """
    try:
        claims = RefreshToken(raw_token).payload
        traded_in = False
    except RefreshTokenReused as exc:
        claims, traded_in = exc.payload, True
    user_id = claim_user_id(claims)
    login = (
        Login.objects.select_related("user")
        .filter(family=claims[FAMILY_CLAIM], user_id=user_id)
        .first()
    )
    if login is None:
        if not User.objects.filter(pk=user_id, is_active=True).exists():
            raise InactiveAccount(user_id)
        raise LoginEnded(NOT_ON_RECORD)
    if not login.user.is_active:
        raise InactiveAccount(user_id)
    if login.ended_at is not None:
        raise LoginEnded(login.get_ended_reason_display())
    if not traded_in and claims["jti"] == login.refresh_jti:
        return RefreshCard(claims=claims, user=login.user, login=login)
    if claims["jti"] == login.rotated_jti and within_grace_period(login):
        return RefreshCard(claims=claims, user=login.user, login=login, repeated=True)
    end_reused_login(claims, login)
    raise RefreshTokenReused(claims)


def within_grace_period(login: Login) -> bool:
    """Whether the login's last renewal was a moment ago."""
    renewed_at = login.renewed_at
    return (
        renewed_at is not None
        and timezone.now() - renewed_at <= settings.JWT_REFRESH_GRACE_PERIOD
    )


def end_reused_login(claims: dict[str, Any], login: Login) -> None:
    """A traded-in refresh token came back: end its login, log it, announce it."""
    end_login(login=login, reason=LoginEnd.REUSED)
    logger.warning(
        "refresh token reused",
        extra={
            "event": "refresh_token_reused",
            "user_id": login.user_id,
            "family": login.family,
        },
    )
    signals.announce(
        signals.REUSED,
        user_id=login.user_id,
        username=login.user.get_username(),
        jti=claims["jti"],
        family=login.family,
        reason="a traded-in refresh token came back: its whole login is ended",
    )
