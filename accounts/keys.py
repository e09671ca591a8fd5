"""The keys that sign and check the ID cards, and the token backend that uses them.

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
import binascii
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache, lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import (
    load_pem_private_key,
    load_pem_public_key,
)
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from jwt.algorithms import HMACAlgorithm
from jwt.api_jws import PyJWS
from jwt.api_jwt import PyJWT
from jwt.exceptions import DecodeError
from jwt.utils import base64url_decode, base64url_encode
from rest_framework_simplejwt.backends import TokenBackend
from rest_framework_simplejwt.exceptions import (
    TokenBackendError,
    TokenBackendExpiredToken,
)

SYMMETRIC_ALGORITHMS = frozenset({"HS256"})
ASYMMETRIC_ALGORITHMS = frozenset({"RS256", "ES256"})
MIN_RSA_BITS = 2048
BASE64URL_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
PEM_BLOCK = re.compile(
    r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL
)

PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey
PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64uint(number: int, length: int | None = None) -> str:
    size = length or max(1, (number.bit_length() + 7) // 8)
    return _b64url(number.to_bytes(size, "big"))


def public_jwk(public_key: PublicKey) -> dict[str, str]:
    """The key's required JWK members (RFC 7518), without ``kid`` or ``alg``."""
    if isinstance(public_key, rsa.RSAPublicKey):
        numbers = public_key.public_numbers()
        return {"kty": "RSA", "n": _b64uint(numbers.n), "e": _b64uint(numbers.e)}
    point = public_key.public_numbers()
    size = (public_key.curve.key_size + 7) // 8
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": _b64uint(point.x, size),
        "y": _b64uint(point.y, size),
    }


def key_id(public_key: PublicKey) -> str:
    """The RFC 7638 thumbprint: SHA-256 of the key's required members, sorted."""
    canonical = json.dumps(
        public_jwk(public_key), sort_keys=True, separators=(",", ":")
    )
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def _check_key_fits(key: PublicKey, algorithm: str, what: str) -> None:
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
    _check_key_fits(public_key, algorithm, "The JWT private key")
    verifying = {key_id(public_key): public_key}
    for number, pem in enumerate(previous_public_keys, start=1):
        try:
            previous = load_pem_public_key(pem.encode())
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"Previous public key #{number} is not a PEM public key."
            ) from exc
        _check_key_fits(previous, algorithm, f"Previous public key #{number}")
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


@dataclass(frozen=True)
class CardRules:
    """What checking a card takes from the settings: keys, audience, issuer, leeway."""

    key_set: KeySet
    audience: str | None
    issuer: str | None
    leeway: int | float | timedelta


@cache
def card_rules() -> CardRules:
    """The settings that verification needs, read once; again after a change.

    Reading ``settings.SIMPLE_JWT`` a dozen times per request was a measurable part
    of checking a card (bench/README.md). The settings do not change while the
    server runs; when a test changes them, ``setting_changed`` forgets this copy.
    """
    simple_jwt = settings.SIMPLE_JWT
    return CardRules(
        key_set=current_key_set(),
        audience=simple_jwt.get("AUDIENCE"),
        issuer=simple_jwt.get("ISSUER"),
        leeway=simple_jwt.get("LEEWAY", 0),
    )


@receiver(setting_changed)
def forget_card_rules(*, setting: str, **kwargs: Any) -> None:
    if setting in {"SIMPLE_JWT", "JWT_PREVIOUS_PUBLIC_KEYS"}:
        card_rules.cache_clear()


@lru_cache(maxsize=8)
def _prepared_hmac_key(key: str | bytes) -> bytes:
    return HMACAlgorithm(HMACAlgorithm.SHA256).prepare_key(key)


class PreparedOnceHMAC(HMACAlgorithm):
    """HS256 whose secret is checked and prepared once, not with every token.

    Before each verification PyJWT makes sure that an HMAC secret is not really a
    PEM, SSH, DER or JSON key (a defence against algorithm confusion): four parsing
    attempts, about a fifth of the cost of checking a card under load
    (bench/README.md). For the server's own secret the answer never changes, so
    it is remembered per secret; a secret that fails is refused every time.
    """

    def __init__(self) -> None:
        super().__init__(HMACAlgorithm.SHA256)

    def prepare_key(self, key: str | bytes) -> bytes:
        return _prepared_hmac_key(key)


class CardJWS(PyJWS):
    """PyJWT's JWS layer (segments, header, signature), minus two repeated costs.

    - HS256 prepares its secret once (``PreparedOnceHMAC``).
    - A segment's alphabet is checked in one C call. PyJWT refuses a segment
      holding anything but the base64url alphabet (and up to two ``=``) before
      decoding it, which is right, but it looks at one character at a time in a
      Python loop, a tenth of the cost of checking a card under load
      (bench/README.md). ``_decode_base64url_segment`` is PyJWT's own, rule for
      rule, with ``bytes.translate`` finding any character outside the alphabet;
      tests/accounts/test_keys.py holds the two to the same answers.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.unregister_algorithm("HS256")
        self.register_algorithm("HS256", PreparedOnceHMAC())

    @staticmethod
    def _decode_base64url_segment(segment: bytes, name: str) -> bytes:
        stripped = segment.rstrip(b"=")
        padding = len(segment) - len(stripped)
        if padding > 2 or (padding and len(segment) % 4):
            raise DecodeError(f"Invalid {name} padding")
        if len(stripped) % 4 == 1 or stripped.translate(None, BASE64URL_ALPHABET):
            raise DecodeError(f"Invalid {name} padding")
        try:
            decoded = base64url_decode(stripped)
        except (TypeError, binascii.Error) as err:
            raise DecodeError(f"Invalid {name} padding") from err
        if base64url_encode(decoded) != stripped:
            raise DecodeError(f"Invalid {name} padding")
        return decoded


class CardDecoder(PyJWT):
    """PyJWT's decoder (claims, then ``CardJWS`` for the signature), for the cards
    this server checks. Nothing global is changed: ``jwt.decode`` stays PyJWT's."""

    def __init__(self) -> None:
        super().__init__()
        self._jws = CardJWS(options=self._get_sig_options())


card_decoder = CardDecoder()


class KeySetTokenBackend(TokenBackend):
    """simplejwt's token backend, signing and verifying with the server's key set.

    simplejwt's own backend (``rest_framework_simplejwt.state.token_backend``) holds
    one verifying key, copied from the settings once at import. This one follows
    the settings (``card_rules``), adds the ``kid`` header to what it signs and
    picks the verifying key by ``kid`` from the server's key set, so a rotated-out
    key keeps verifying until it is removed. It never fetches keys from a URL.
    """

    jwks_client = None
    json_encoder = None

    def __init__(self) -> None:
        """Nothing is copied: every property below reads ``card_rules()``."""

    @property
    def key_set(self) -> KeySet:
        return card_rules().key_set

    @property
    def algorithm(self) -> str:
        return self.key_set.algorithm

    @property
    def audience(self) -> str | None:
        return card_rules().audience

    @property
    def issuer(self) -> str | None:
        return card_rules().issuer

    @property
    def leeway(self) -> int | float | timedelta:
        return card_rules().leeway

    @property
    def prepared_signing_key(self) -> Any:
        return self.key_set.signing_key

    def get_verifying_key(self, token: Any) -> Any:
        return self.key_set.verifying_key_for(token)

    def encode(self, payload: dict[str, Any]) -> str:
        key_set = self.key_set
        claims = dict(payload)
        if self.audience is not None:
            claims["aud"] = self.audience
        if self.issuer is not None:
            claims["iss"] = self.issuer
        headers = {"kid": key_set.signing_kid} if key_set.signing_kid else None
        return jwt.encode(
            claims, key_set.signing_key, algorithm=key_set.algorithm, headers=headers
        )

    def decode(self, token: Any, verify: bool = True) -> dict[str, Any]:
        """The verified claims; simplejwt's own ``decode``, with the rules read once.

        The errors are simplejwt's: an expired token, a wrong algorithm, anything
        else invalid.
        """
        if not verify:
            try:
                return jwt.decode(token, options={"verify_signature": False})
            except jwt.InvalidTokenError as exc:
                raise TokenBackendError(_("Token is invalid")) from exc
        rules = card_rules()
        try:
            return card_decoder.decode(
                token,
                rules.key_set.verifying_key_for(token),
                algorithms=[rules.key_set.algorithm],
                audience=rules.audience,
                issuer=rules.issuer,
                leeway=rules.leeway,
                options={"verify_aud": rules.audience is not None},
            )
        except jwt.InvalidAlgorithmError as exc:
            raise TokenBackendError(_("Invalid algorithm specified")) from exc
        except jwt.ExpiredSignatureError as exc:
            raise TokenBackendExpiredToken(_("Token is expired")) from exc
        except jwt.InvalidTokenError as exc:
            raise TokenBackendError(_("Token is invalid")) from exc


token_backend = KeySetTokenBackend()
