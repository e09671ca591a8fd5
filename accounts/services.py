"""The front desk's rules: registering, issuing, rotating and ending tokens."""

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.utils import datetime_from_epoch

from accounts import signals
from accounts.exceptions import InactiveAccount, UsernameTaken
from accounts.models import Login, LoginEnd, Role, User
from accounts.revocation import (
    FAMILY_CLAIM,
    blacklist_once,
    end_login,
    end_logins,
    new_family_id,
    record_outstanding,
)
from accounts.tokens import AccessToken, RefreshToken, UntypedToken
from accounts.verification import RefreshCard, verify_card, verify_refresh_card


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
    """Create a customer account; raise ``UsernameTaken`` if the name is in use.

    The password is hashed before the transaction begins: hashing takes a fifth of
    a second on purpose, and SQLite's write lock (taken when the transaction
    begins) would otherwise keep every other writer waiting that long.
    """
    user = User(
        username=User.normalize_username(username),
        email=User.objects.normalize_email(email),
        role=Role.CUSTOMER,
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise UsernameTaken(username) from exc
    return user


def issue_token_pair(
    *, user: User, device: str = "", address: str | None = None
) -> TokenPair:
    """Open a new login for a user whose identity has just been checked; its pair.

    The login is recorded (``accounts.models.Login``) with the device and address
    it came from, and the id of its first refresh token, never the token.
    """
    now = timezone.now()
    login = Login.objects.create(
        user=user,
        family=new_family_id(),
        device=device,
        address=address,
        created_at=now,
        expires_at=now + RefreshToken.lifetime,
        refresh_jti=uuid4().hex,
    )
    record_outstanding(
        jti=login.refresh_jti, user_id=user.pk, exp=int(login.expires_at.timestamp())
    )
    return sign_pair(user=user, login=login)


def sign_pair(*, user: User, login: Login) -> TokenPair:
    """The login's current refresh token, signed, and a fresh access token from it.

    The refresh token is made again from what the login row names (its id and
    times) rather than kept anywhere, so the same one can be handed out twice
    (``rotate_refresh_token``'s grace period) without the database ever holding
    a card that works. The claims are the user's id, username and role, enough
    for the waiter and nothing a reader of the token should not see, and ``fam``,
    the login.
    """
    refresh = RefreshToken()
    refresh["jti"] = login.refresh_jti
    refresh.set_iat(at_time=login.refresh_issued_at)
    refresh["exp"] = int(login.expires_at.timestamp())
    refresh["user_id"] = str(user.pk)
    refresh["username"] = user.get_username()
    refresh["role"] = user.role
    refresh[FAMILY_CLAIM] = login.family
    return TokenPair(access=refresh.access_token, refresh=refresh)


@transaction.atomic
def log_in(*, user: User, device: str = "", address: str | None = None) -> TokenPair:
    """Open a login after a password check, and note its time on the account.

    Raises ``InactiveAccount`` when the account was disabled or deleted since its
    password was checked. Noting the time locks the account's row until the pair
    is recorded, so a deletion under way waits, then ends this login with the rest
    (``accounts.receivers``).
    """
    now = timezone.now()
    if not User.objects.filter(pk=user.pk, is_active=True).update(last_login=now):
        raise InactiveAccount(user.pk)
    user.last_login = now
    pair = issue_token_pair(user=user, device=device, address=address)
    signals.announce(
        signals.ISSUED,
        user_id=user.pk,
        username=user.get_username(),
        jti=pair.refresh["jti"],
        family=pair.refresh[FAMILY_CLAIM],
        reason="logged in: a new pair",
    )
    return pair


class RenewedMeanwhile(Exception):
    """Another request traded the same refresh token in first, or ended its login."""


def rotate_refresh_token(*, raw_token: str) -> TokenPair:
    """Trade a refresh token for a new pair; the old one is blacklisted for good.

    The user is read again, so a disabled account gets nothing and a changed role
    shows in the new access token. A refresh token that was already traded in
    means two parties hold copies of it: its whole login ends
    (``verify_refresh_card``), and that verdict is kept although this request is
    refused, since it is reached outside this function's transaction.

    Within the grace period after a renewal, the token it traded in gets the same
    refresh token again (and a fresh access token): two tabs that renew at once
    both stay logged in, with one refresh token between them. Of two requests
    that race, the login row's update lets exactly one renew; the other waits for
    it and is then answered as such a repeat.
    """
    card = verify_refresh_card(raw_token)
    if not card.repeated:
        try:
            login = _renew(card)
        except RenewedMeanwhile:
            card = verify_refresh_card(raw_token)  # a repeat now, or refused
        else:
            _announce_renewal(card, "rotated: this refresh token is blacklisted")
            return sign_pair(user=card.user, login=login)
    _announce_renewal(card, "traded in again within the grace period: same pair")
    return sign_pair(user=card.user, login=card.login)


def _announce_renewal(card: RefreshCard, reason: str) -> None:
    signals.announce(
        signals.REFRESHED,
        user_id=card.user.pk,
        username=card.user.get_username(),
        jti=card.claims["jti"],
        family=card.login.family,
        reason=reason,
    )


@transaction.atomic
def _renew(card: RefreshCard) -> Login:
    """Move the login on to a new refresh token and blacklist the traded one."""
    login, claims = card.login, card.claims
    # Hold the account until the new token is recorded: a deletion under way
    # finishes first (and this renewal finds no account), or waits and ends the
    # login with the rest (accounts.receivers).
    if (
        not User.objects.select_for_update(no_key=True)
        .filter(pk=login.user_id)
        .exists()
    ):
        raise InactiveAccount(login.user_id)
    now = timezone.now()
    new_jti = uuid4().hex
    expires_at = now + RefreshToken.lifetime
    renewed = Login.objects.filter(
        pk=login.pk, ended_at=None, refresh_jti=claims["jti"]
    ).update(
        refresh_jti=new_jti,
        rotated_jti=claims["jti"],
        renewed_at=now,
        expires_at=expires_at,
    )
    if not renewed:
        raise RenewedMeanwhile
    blacklist_once(jti=claims["jti"], user_id=card.user.pk, exp=claims["exp"])
    record_outstanding(
        jti=new_jti, user_id=card.user.pk, exp=int(expires_at.timestamp())
    )
    login.refresh_jti, login.rotated_jti = new_jti, claims["jti"]
    login.renewed_at, login.expires_at = now, expires_at
    return login


def revoke_refresh_token(*, raw_token: str) -> None:
    """Log out: the given refresh token and its whole login end.

    With instant revocation on, every access token of the same login ends too.
    """
    card = verify_refresh_card(raw_token)
    if not card.repeated:
        blacklist_once(
            jti=card.claims["jti"], user_id=card.user.pk, exp=card.claims["exp"]
        )
    end_login(login=card.login, reason=LoginEnd.LOGGED_OUT)
    signals.announce(
        signals.LOGGED_OUT,
        user_id=card.user.pk,
        username=card.user.get_username(),
        jti=card.claims["jti"],
        family=card.login.family,
        reason="logged out: this refresh token is blacklisted, its login ended",
    )


def log_out_everywhere(*, user_id: int) -> int:
    """End every login of the user; return how many were open.

    Access tokens end at once only with instant revocation on; otherwise they run
    out within their short lifetime.
    """
    ended = end_logins(user_id=user_id, reason=LoginEnd.EVERYWHERE)
    signals.announce(signals.REVOKED, user_id=user_id, reason="logged out everywhere")
    return ended


def end_own_login(*, user_id: int, login_id: int, current_family: str | None) -> Login:
    """End one of a person's logins: "end this login" on ``/account/`` or the API.

    ``Login.DoesNotExist`` when the person has no such login (someone else's is
    no different). Ending the login the request came from (``current_family``) is
    logging out; any other is ended from this one. Every refresh token of the
    login is refused from now on, and with instant revocation on its access tokens
    too. Returns the login as it now stands.
    """
    login = Login.objects.select_related("user").get(pk=login_id, user_id=user_id)
    if login.family == current_family:
        reason, kind = LoginEnd.LOGGED_OUT, signals.LOGGED_OUT
    else:
        reason, kind = LoginEnd.ENDED, signals.REVOKED
    if end_login(login=login, reason=reason):
        signals.announce(
            kind,
            user_id=user_id,
            username=login.user.get_username(),
            jti=login.refresh_jti,
            reason=f"{reason.label.lower()}: every token of that login ends",
        )
    login.refresh_from_db(fields=["ended_at", "ended_reason"])
    return login


def change_password(*, user: User, new_password: str, keep_login: str | None) -> int:
    """Set a person's new password; every login but ``keep_login`` ends.

    The password must have been checked and validated already (the old one
    confirmed, Django's validators passed). ``keep_login`` is the family of the
    login the person changed it from, which stays open: that device keeps its
    cards. ``User.save`` ends the others and announces it. Returns how many logins
    ended. The password is hashed before the transaction, as at registration.
    """
    user.set_password(new_password)
    with transaction.atomic():
        others = Login.objects.filter(user_id=user.pk, ended_at=None)
        if keep_login is not None:
            others = others.exclude(family=keep_login)
        ending = others.count()
        user.save(update_fields=["password"], keep_login=keep_login)
    return ending


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
