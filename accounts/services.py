"""The front desk's rules: registering, issuing, rotating and ending tokens."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts import signals
from accounts.exceptions import InactiveAccount, UsernameTaken
from accounts.models import Role, User
from accounts.revocation import (
    FAMILY_CLAIM,
    blacklist_once,
    new_family_id,
    record_outstanding,
    revoke_family,
    revoke_user_tokens,
)
from accounts.tokens import (
    AccessToken,
    RefreshToken,
    RefreshTokenReused,
    UntypedToken,
    claim_user_id,
)
from accounts.verification import verify_card, verify_refresh_card

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TokenPair:
    """A fresh access token and the refresh token that can renew it."""

    access: AccessToken
    refresh: RefreshToken

    @property
    def access_expires_at(self) -> datetime:
        return datetime_from_epoch(self.access["exp"])

    @property
    def refresh_expires_at(self) -> datetime:
        return datetime_from_epoch(self.refresh["exp"])


def register_customer(*, username: str, password: str, email: str = "") -> User:
    """Create a customer account; raise ``UsernameTaken`` if the name is in use."""
    try:
        with transaction.atomic():
            return User.objects.create_user(
                username=username, password=password, email=email, role=Role.CUSTOMER
            )
    except IntegrityError as exc:
        raise UsernameTaken(username) from exc


def issue_token_pair(*, user: User, family: str | None = None) -> TokenPair:
    """Sign a new pair for a user whose identity has just been checked.

    The claims are the user's id, username and role: enough for the waiter, and
    nothing a reader of the token should not see. ``fam`` names the login the pair
    belongs to: a new one at login, the old one when a refresh token is rotated.
    """
    refresh = RefreshToken()
    refresh["user_id"] = str(user.pk)
    refresh["username"] = user.get_username()
    refresh["role"] = user.role
    refresh[FAMILY_CLAIM] = family or new_family_id()
    record_outstanding(jti=refresh["jti"], user_id=user.pk, exp=refresh["exp"])
    return TokenPair(access=refresh.access_token, refresh=refresh)


@transaction.atomic
def log_in(*, user: User) -> TokenPair:
    """Issue a pair after a password check, and note the time of the login.

    Raises ``InactiveAccount`` when the account was disabled or deleted since its
    password was checked. Noting the time locks the account's row until the pair
    is recorded, so a deletion under way waits, then ends this pair with the rest
    (``accounts.receivers``).
    """
    now = timezone.now()
    if not User.objects.filter(pk=user.pk, is_active=True).update(last_login=now):
        raise InactiveAccount(user.pk)
    user.last_login = now
    pair = issue_token_pair(user=user)
    signals.announce(
        signals.ISSUED,
        user_id=user.pk,
        username=user.get_username(),
        jti=pair.refresh["jti"],
        reason="logged in: a new pair",
    )
    return pair


@transaction.atomic
def rotate_refresh_token(*, raw_token: str) -> TokenPair:
    """Trade a refresh token for a new pair; the old one is blacklisted for good.

    The user is read again, so a disabled account gets nothing and a changed role
    shows in the new access token. A refresh token that was already traded in
    means two parties hold copies of it: the whole family is revoked (with instant
    revocation on) and the event is logged.
    """
    try:
        refresh, user = verify_refresh_card(raw_token)
    except RefreshTokenReused as exc:
        _family_reused(exc.payload)
        raise
    # Hold the account until the new pair is recorded: a deletion under way
    # finishes first (and this refresh finds no account), or waits and ends the
    # new pair with the rest (accounts.receivers).
    if not User.objects.select_for_update(no_key=True).filter(pk=user.pk).exists():
        raise InactiveAccount(user.pk)
    blacklist_once(jti=refresh["jti"], user_id=user.pk, exp=refresh["exp"])
    signals.announce(
        signals.REFRESHED,
        user_id=user.pk,
        username=user.get_username(),
        jti=refresh["jti"],
        reason="rotated: this refresh token is blacklisted, a new pair issued",
    )
    return issue_token_pair(user=user, family=refresh.get(FAMILY_CLAIM))


def _family_reused(claims: dict) -> None:
    user_id = claim_user_id(claims)
    family = claims.get(FAMILY_CLAIM)
    revoke_family(user_id=user_id, family=family)
    signals.announce(
        signals.REUSED,
        user_id=user_id,
        username=str(claims.get("username", "")),
        jti=str(claims.get("jti", "")),
        reason="a rotated refresh token came back: its whole login is revoked",
    )
    logger.warning(
        "refresh token reused",
        extra={"event": "refresh_token_reused", "user_id": user_id, "family": family},
    )


def revoke_refresh_token(*, raw_token: str) -> None:
    """Log out: the given refresh token can never be used again.

    With instant revocation on, every access token of the same login ends too.
    """
    refresh = RefreshToken(raw_token)
    user_id = claim_user_id(refresh.payload)
    blacklist_once(jti=refresh["jti"], user_id=user_id, exp=refresh["exp"])
    revoke_family(user_id=user_id, family=refresh.get(FAMILY_CLAIM))
    signals.announce(
        signals.LOGGED_OUT,
        user_id=user_id,
        username=str(refresh.get("username", "")),
        jti=refresh["jti"],
        reason="logged out: this refresh token is blacklisted",
    )


def log_out_everywhere(*, user_id: int) -> int:
    """End every token of the user; return how many refresh tokens were ended.

    Access tokens end at once only with instant revocation on; otherwise they run
    out within their short lifetime.
    """
    ended = revoke_user_tokens(user_id=user_id)
    signals.announce(signals.REVOKED, user_id=user_id, reason="logged out everywhere")
    return ended


def verify_token(*, raw_token: str) -> None:
    """Raise ``TokenError`` (or ``InactiveAccount``) unless the token is valid.

    An access token is judged as the waiter judges it (``verify_card``); a refresh
    token as the front desk does before a refresh (``verify_refresh_card``).
    """
    kind = UntypedToken(raw_token, verify=False).get("token_type")
    if kind == "refresh":
        verify_refresh_card(raw_token)
    else:
        verify_card(raw_token)
