"""simplejwt's token backend, signing and verifying with the server's key set.

simplejwt builds one ``TokenBackend`` from its settings when it is imported
(``rest_framework_simplejwt.state.token_backend``), holding one verifying key. This
project's backend is the same class with two additions, both through its public
methods: it names the signing key in a ``kid`` header, and it picks the verifying
key by that ``kid`` from the server's own key set (``accounts.keys``), so that a
retired key keeps verifying until it is removed. It never fetches a key from a URL
or from the token. With HS256, ``decode`` first offers the card to a fast path
(``accounts.hs256_fast_path``) that can accept the server's own cards and leaves
every other verdict to PyJWT.

It is built once from the settings, like simplejwt's, and again when a test
changes them.
"""

from functools import cache
from typing import Any

import jwt
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import (
    TokenBackendError,
    TokenBackendExpiredToken,
)

from accounts.hs256_fast_path import ALGORITHM as FAST_PATH_ALGORITHM
from accounts.hs256_fast_path import PreparedHS256
from accounts.keys import KeySet, current_key_set

# Every card this server signs carries these; PyJWT refuses one that lacks any.
REQUIRED_CLAIMS = ["exp", "iat", "jti", "token_type"]


class KeySetTokenBackend(TokenBackend):
    """A ``TokenBackend`` that knows every key of the server's key set."""

    def __init__(self, key_set: KeySet, **options: Any) -> None:
        super().__init__(key_set.algorithm, **options)
        self.key_set = key_set
        # The fast path of the card's bench target (accounts.hs256_fast_path): for
        # HS256 cards meant for no audience and no issuer, this server's own.
        self.fast_path = None
        if (
            key_set.algorithm == FAST_PATH_ALGORITHM
            and self.audience is None
            and self.issuer is None
        ):
            leeway = self.get_leeway().total_seconds()
            self.fast_path = PreparedHS256(key_set.signing_key, leeway=leeway)

    def get_verifying_key(self, token: Any) -> Any:
        """The secret (HS256), or the public key that the token's ``kid`` names."""
        if self.key_set.is_asymmetric:
            return self.key_set.verifying_key_for(token)
        return super().get_verifying_key(token)

    def encode(self, payload: dict[str, Any]) -> str:
        """simplejwt's ``encode``, plus the signing key's ``kid`` in the header."""
        claims = payload.copy()
        if self.audience is not None:
            claims["aud"] = self.audience
        if self.issuer is not None:
            claims["iss"] = self.issuer
        kid = self.key_set.signing_kid
        return jwt.encode(
            claims,
            self.prepared_signing_key,
            algorithm=self.algorithm,
            headers={"kid": kid} if kid else None,
        )

    def decode(self, token: Any, verify: bool = True) -> dict[str, Any]:
        """simplejwt's ``decode``, with two rules PyJWT leaves to the caller.

        - The claims every card carries must be present (``REQUIRED_CLAIMS``).
        - An ``aud`` claim is refused when the server expects none: simplejwt
          turns PyJWT's audience check off in that case, which lets through a token
          meant for another service (RFC 7519, 4.1.3, says to reject it).

        A card of this server's own shape is first offered to the fast path
        (``accounts.hs256_fast_path``), which can only accept; anything it does not
        accept is decided here by PyJWT.
        """
        if verify and self.fast_path is not None:
            claims = self.fast_path.accept(token)
            if claims is not None:
                return claims
        try:
            return jwt.decode(
                token,
                self.get_verifying_key(token),
                algorithms=[self.algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.get_leeway(),
                options={
                    "verify_signature": verify,
                    "verify_aud": verify,
                    "require": REQUIRED_CLAIMS if verify else [],
                },
            )
        except jwt.InvalidAlgorithmError as exc:
            raise TokenBackendError(_("Invalid algorithm specified")) from exc
        except jwt.ExpiredSignatureError as exc:
            raise TokenBackendExpiredToken(_("Token is expired")) from exc
        except jwt.InvalidTokenError as exc:
            raise TokenBackendError(_("Token is invalid")) from exc


@cache
def token_backend() -> KeySetTokenBackend:
    """The backend the settings describe, built once (as simplejwt builds its own)."""
    simple_jwt = settings.SIMPLE_JWT
    return KeySetTokenBackend(
        current_key_set(),
        signing_key=simple_jwt["SIGNING_KEY"],
        audience=simple_jwt.get("AUDIENCE"),
        issuer=simple_jwt.get("ISSUER"),
        leeway=simple_jwt.get("LEEWAY", 0),
    )


@receiver(setting_changed)
def forget_token_backend(*, setting: str, **kwargs: Any) -> None:
    if setting in {"SIMPLE_JWT", "JWT_PREVIOUS_PUBLIC_KEYS"}:
        token_backend.cache_clear()
