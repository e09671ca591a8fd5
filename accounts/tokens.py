"""The signed ID cards: access and refresh tokens, and the user a token stands for.

The classes are simplejwt's, with its documented extension points: the token
backend (``accounts.backends``), and ``verify()``, which simplejwt runs after the
signature and expiry and which subclasses extend. On top of simplejwt's checks,
every claim the server reads is checked for its type and range here, before any
of it reaches a query, a cache key or a datetime.

The pair is issued by ``accounts.services``, not by ``for_user()`` (see
``accounts/__init__.py``).
"""

import re
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from rest_framework_simplejwt import tokens
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.models import TokenUser as SimpleTokenUser

from accounts.backends import KeySetTokenBackend, token_backend
from accounts.models import Role
from accounts.revocation import FAMILY_CLAIM, FAMILY_ID

# The last second datetime can hold (9999-12-31T23:59:59Z): simplejwt turns
# ``exp`` into a datetime, which fails past it.
LATEST_EPOCH = 253_402_300_799
LARGEST_ID = 2**63 - 1
TOKEN_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex, as simplejwt writes it
ROLES = frozenset(Role.values)


def claim_user_id(payload: Mapping[str, Any]) -> int:
    """The ``user_id`` claim as an integer; ``TokenError`` when it is not one.

    simplejwt writes the id as a string of digits; a number is accepted too.
    """
    value = payload.get("user_id")
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if type(value) is int and 0 < value <= LARGEST_ID:
        return value
    raise TokenError("Token has no valid user_id claim")


def check_claims(payload: Mapping[str, Any]) -> None:
    """Raise ``TokenError`` unless every claim the server reads is well formed.

    PyJWT has checked the signature, that ``exp``, ``iat``, ``jti`` and
    ``token_type`` are present, that ``exp`` is an integer in the future and
    ``iat`` a number not in the future. What is left is what only this server
    knows: the shapes it writes and the ranges its code and database can hold.
    """
    exp, iat = payload["exp"], payload["iat"]
    if type(exp) is not int or not 0 < exp <= LATEST_EPOCH:
        raise TokenError("Token has no valid exp claim")
    if type(iat) not in (int, float) or not 0 <= iat <= exp:
        raise TokenError("Token has no valid iat claim")
    jti = payload["jti"]
    if type(jti) is not str or not TOKEN_ID.fullmatch(jti):
        raise TokenError("Token has no valid jti claim")
    claim_user_id(payload)
    username = payload.get("username")
    if type(username) is not str or not 0 < len(username) <= 150:
        raise TokenError("Token has no valid username claim")
    if payload.get("role") not in ROLES:
        raise TokenError("Token has no valid role claim")
    family = payload.get(FAMILY_CLAIM)
    if type(family) is not str or not FAMILY_ID.fullmatch(family):
        raise TokenError("Token has no valid fam claim")


class SignedWithKeySet:
    """Sign and verify with the server's key set, and check every claim.

    The claims are checked before simplejwt's own ``verify()`` (and so, for a
    refresh token, before its id is looked up in the blacklist).
    """

    @property
    def token_backend(self) -> KeySetTokenBackend:
        return token_backend()

    def verify(self) -> None:
        check_claims(self.payload)
        super().verify()


class AccessToken(SignedWithKeySet, tokens.AccessToken):
    """The short-lived card shown with every request."""


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
