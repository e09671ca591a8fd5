"""The signed ID cards: access and refresh tokens, and the user a token stands for."""

from functools import cached_property
from typing import Any

from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.models import TokenUser as SimpleTokenUser

from accounts.keys import token_backend
from accounts.models import Role

# Role.values builds a new list at every use; this check runs on every request.
ROLES = tuple(Role.values)


def claim_user_id(payload: dict[str, Any]) -> int:
    """The ``user_id`` claim as an integer; ``TokenError`` when it is not one."""
    value = payload.get("user_id")
    if isinstance(value, bool):
        raise TokenError("Token has no valid user_id claim")
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
        if 0 < number < 2**63:
            return number
    raise TokenError("Token has no valid user_id claim")


class SignedWithKeySet:
    """Sign and verify with ``accounts.keys.token_backend``.

    simplejwt's default backend knows one key, read once at import; this one knows
    the server's whole key set and names the signing key in a ``kid`` header.
    """

    _token_backend = token_backend

    def check_exp(self, claim: str = "exp", current_time: Any = None) -> None:
        """simplejwt's check, with an absurd date refused instead of crashing.

        simplejwt turns the claim into a datetime, which raises ``OverflowError``
        past the year 9999; PyJWT has already accepted such a number as an integer.
        """
        try:
            super().check_exp(claim, current_time)
        except (OverflowError, OSError, ValueError) as exc:
            raise TokenError(f"Token '{claim}' claim is out of range") from exc


class AccessToken(SignedWithKeySet, tokens.AccessToken):
    """The short-lived card shown with every request.

    On top of simplejwt's checks (signature, algorithm, ``exp``, ``jti``, type), the
    claims the project relies on must be present and well formed, so that nothing
    downstream meets a surprise.
    """

    def verify(self) -> None:
        super().verify()
        if not isinstance(self.payload.get("iat"), int | float):
            raise TokenError("Token has no 'iat' claim")
        claim_user_id(self.payload)
        if self.payload.get("role") not in ROLES:
            raise TokenError("Token has no valid role claim")
        if not isinstance(self.payload.get("username"), str):
            raise TokenError("Token has no valid username claim")


class RefreshTokenReused(TokenError):
    """A refresh token that was already traded in came back: a copy is loose.

    Raised only after the signature verified, so ``payload`` can be trusted.
    """

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__("Token is blacklisted")
        self.payload = payload


class RefreshToken(SignedWithKeySet, tokens.RefreshToken):
    """The longer-lived card traded at the front desk for a new pair.

    It carries a ``fam`` (family) claim, kept through every rotation and copied
    into each access token it makes, so that one login's tokens can be ended
    together.
    """

    access_token_class = AccessToken

    def check_blacklist(self) -> None:
        self.check_exp()  # an expired card is merely expired, whatever its history
        try:
            super().check_blacklist()
        except TokenError as exc:
            raise RefreshTokenReused(self.payload) from exc


class UntypedToken(SignedWithKeySet, tokens.UntypedToken):
    """A token of either type, decoded with the same key set."""


class TokenUser(SimpleTokenUser):
    """The person a valid access token speaks for, known without a database query."""

    @cached_property
    def id(self) -> int:
        return claim_user_id(self.token.payload)

    @cached_property
    def pk(self) -> int:
        return self.id

    @cached_property
    def role(self) -> str:
        return self.token["role"]

    @property
    def is_kitchen(self) -> bool:
        return self.role == Role.KITCHEN
