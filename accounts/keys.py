"""The keys that sign and check the ID cards, and the public keys published as a JWKS.

With HS256 (the default) one secret both signs and verifies, so every service that
can check a card could also forge one. With RS256 or ES256 the front desk signs with
a private key and publishes only public keys (a JWKS), so other services (other
restaurant branches) can check cards without being able to make them.

Each public key is named by its ``kid``, the RFC 7638 thumbprint of the key: the
same key gives the same ``kid`` on every server, with nothing to configure. A token
names its ``kid`` in its header; the verifying key is picked from this server's own
key set by that name, never from a key or key URL the token offers (``jwk``,
``jku``, ``x5u`` headers are ignored), and the algorithm is the server's, never the
token's.
"""

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
    load_pem_public_key,
)
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenBackendError

SYMMETRIC_ALGORITHMS = frozenset({"HS256"})
ASYMMETRIC_ALGORITHMS = frozenset({"RS256", "ES256"})
MIN_RSA_BITS = 2048
PEM_BLOCK = re.compile(
    r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL
)

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64uint(number: int, length: int | None = None) -> str:
    size = length or max(1, (number.bit_length() + 7) // 8)
    return b64url(number.to_bytes(size, "big"))


def public_jwk(public_key: PublicKey) -> dict[str, str]:
    """The key's required JWK members (RFC 7518), without ``kid`` or ``alg``."""
    if isinstance(public_key, rsa.RSAPublicKey):
        numbers = public_key.public_numbers()
        return {"kty": "RSA", "n": b64uint(numbers.n), "e": b64uint(numbers.e)}
    point = public_key.public_numbers()
    size = (public_key.curve.key_size + 7) // 8
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": b64uint(point.x, size),
        "y": b64uint(point.y, size),
    }


def key_id(public_key: PublicKey) -> str:
    """The RFC 7638 thumbprint: SHA-256 of the key's required members, sorted."""
    canonical = json.dumps(
        public_jwk(public_key), sort_keys=True, separators=(",", ":")
    )
    return b64url(hashlib.sha256(canonical.encode()).digest())


def check_key_fits(key: PublicKey, algorithm: str, what: str) -> None:
    if algorithm == "RS256":
        if not isinstance(key, rsa.RSAPublicKey):
            raise ImproperlyConfigured(f"{what} is not an RSA key, as RS256 needs.")
        if key.key_size < MIN_RSA_BITS:
            raise ImproperlyConfigured(
                f"{what} has {key.key_size} bits; RS256 needs {MIN_RSA_BITS} or more."
            )
    elif not (
        isinstance(key, ec.EllipticCurvePublicKey)
        and isinstance(key.curve, ec.SECP256R1)
    ):
        raise ImproperlyConfigured(f"{what} is not a P-256 EC key, as ES256 needs.")


def split_public_keys(bundle: str) -> list[str]:
    """The PEM public keys in a text holding any number of them, in order.

    Text without a single ``PUBLIC KEY`` block is a mistake (a private key, a
    certificate, a path given as the key itself), not an empty list.
    """
    blocks = PEM_BLOCK.findall(bundle)
    if bundle.strip() and not blocks:
        raise ImproperlyConfigured(
            "JWT_PREVIOUS_PUBLIC_KEYS holds no PEM public key "
            "(-----BEGIN PUBLIC KEY-----, as `openssl pkey -pubout` writes)."
        )
    return blocks


def new_rsa_pem() -> str:
    """A new 2048-bit RSA private key, as PEM (PKCS#8): an RS256 signing key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()


@dataclass(frozen=True)
class KeySet:
    """The algorithm, the key that signs new cards, and every key that checks them.

    ``signing_kid`` is ``None`` with HS256: a shared secret is never published and
    its tokens carry no ``kid``.
    """

    algorithm: str
    signing_key: Any
    signing_kid: str | None
    verifying_keys: dict[str, Any]

    @property
    def is_asymmetric(self) -> bool:
        return self.algorithm in ASYMMETRIC_ALGORITHMS

    def verifying_key_for(self, token: str | bytes) -> Any:
        """The key that checks ``token``: the secret, or the public key its kid names.

        Raises ``TokenBackendError`` for a token without a known ``kid``.
        """
        if not self.is_asymmetric:
            return self.signing_key
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.InvalidTokenError as exc:
            raise TokenBackendError(_("Token is invalid")) from exc
        key = self.verifying_keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise TokenBackendError(_("Token is invalid"))
        return key

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The public keys as a JSON Web Key Set; empty with a shared secret."""
        if not self.is_asymmetric:
            return {"keys": []}
        return {
            "keys": [
                {**public_jwk(key), "kid": kid, "alg": self.algorithm, "use": "sig"}
                for kid, key in self.verifying_keys.items()
            ]
        }


@lru_cache(maxsize=8)
def load_key_set(
    algorithm: str, signing_key: str, previous_public_keys: tuple[str, ...] = ()
) -> KeySet:
    """Parse the configured keys once; raise ``ImproperlyConfigured`` if unusable.

    ``previous_public_keys`` are the public halves of keys that signed before the
    current one: their tokens still verify until the keys are removed.
    """
    if algorithm in SYMMETRIC_ALGORITHMS:
        return KeySet(algorithm, signing_key, None, {})
    if algorithm not in ASYMMETRIC_ALGORITHMS:
        raise ImproperlyConfigured(
            f"JWT_ALGORITHM {algorithm!r} is not one of HS256, RS256 or ES256."
        )
    try:
        private_key = load_pem_private_key(signing_key.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "The JWT private key is not an unencrypted PEM private key."
        ) from exc
    public_key = private_key.public_key()
    check_key_fits(public_key, algorithm, "The JWT private key")
    verifying = {key_id(public_key): public_key}
    for number, pem in enumerate(previous_public_keys, start=1):
        try:
            previous = load_pem_public_key(pem.encode())
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"Previous public key #{number} is not a PEM public key."
            ) from exc
        check_key_fits(previous, algorithm, f"Previous public key #{number}")
        verifying.setdefault(key_id(previous), previous)
    return KeySet(algorithm, private_key, key_id(public_key), verifying)


def current_key_set() -> KeySet:
    """The key set the settings describe now (parsed once per distinct setting)."""
    simple_jwt = settings.SIMPLE_JWT
    return load_key_set(
        simple_jwt["ALGORITHM"],
        simple_jwt["SIGNING_KEY"],
        tuple(split_public_keys(getattr(settings, "JWT_PREVIOUS_PUBLIC_KEYS", ""))),
    )


def check_signing_keys(**kwargs: Any) -> Sequence[checks.CheckMessage]:
    """System check: the configured keys parse and fit the algorithm."""
    try:
        current_key_set()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="accounts.E001")]
    return []
