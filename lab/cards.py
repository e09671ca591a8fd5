"""The lab's own ID cards: its keys, its claims, and how a card is read and checked.

Nothing here is the front desk's. The lab signs with keys of its own (random,
made on first use and kept in its own table, ``lab.models.LabKey``), names
itself as issuer and audience, and writes claims the real waiter does not know, so
the real waiter never accepts a lab card, and a real card (which has none of the
lab's claims) is never accepted by the lab.

Everything in this module is done right; each broken waiter (``lab.waiters``)
then does one thing wrong.
"""

import base64
import binascii
import hashlib
import hmac
import json
import posixpath
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.utils import timezone

from accounts.keys import key_id, new_rsa_pem, public_jwk
from accounts.signals import card_fingerprint
from lab.models import LabKey

ISSUER = "delivery-lab"
AUDIENCE = "delivery-lab-waiter"
ROLES = ("customer", "kitchen")
LIFETIME_SECONDS = 3600
MAX_CARD_LENGTH = 8192
ASYMMETRIC = {"RS256": rsa.RSAPublicKey, "ES256": ec.EllipticCurvePublicKey}
JWK_KINDS = {"oct": ("k",), "RSA": ("n", "e"), "EC": ("crv", "x", "y")}

Key = bytes | rsa.RSAPublicKey | ec.EllipticCurvePublicKey


class CardRefused(Exception):
    """The lab's waiter refuses this card (none of them is broken everywhere)."""

    def __init__(self, detail: str, code: str = "card_refused") -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code


@dataclass(frozen=True)
class Card:
    """A card as presented: its header and claims read, nothing verified yet."""

    raw: str
    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes

    @property
    def fingerprint(self) -> str:
        """As the front desk announces a refused card: the lab recognises its own."""
        return card_fingerprint(self.raw)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url; ``ValueError`` for anything else."""
    if not text.isascii() or "=" in text:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def json_object(part: str) -> dict[str, Any]:
    try:
        value = json.loads(b64url_decode(part))
    except (ValueError, RecursionError) as exc:
        raise CardRefused("The card is not three base64url parts of JSON.") from exc
    if not isinstance(value, dict):
        raise CardRefused("The card's header and payload must be JSON objects.")
    return value


def read_card(raw: str) -> Card:
    """Split and decode a card, as every JWT library does before checking it."""
    if len(raw) > MAX_CARD_LENGTH or raw.count(".") != 2:
        raise CardRefused("The card is not three base64url parts of JSON.")
    header_part, payload_part, signature_part = raw.split(".")
    header, claims = json_object(header_part), json_object(payload_part)
    try:
        signature = b64url_decode(signature_part)
    except (ValueError, binascii.Error) as exc:
        raise CardRefused("The card's signature is not base64url.") from exc
    signing_input = f"{header_part}.{payload_part}".encode()
    return Card(raw, header, claims, signing_input, signature)


# --- Keys -----------------------------------------------------------------------


def lab_key(name: str, make: Callable[[], str]) -> str:
    """A key of the lab's own table, made with ``make`` the first time it is asked."""
    key, _ = LabKey.objects.get_or_create(name=name, defaults={"material": make})
    return key.material


def lab_secret(purpose: str) -> bytes:
    """A 32-byte HMAC key for one purpose, from the lab's random root key."""
    root = bytes.fromhex(lab_key(LabKey.SECRET, lambda: secrets.token_hex(32)))
    return hmac.new(root, purpose.encode(), hashlib.sha256).digest()


@lru_cache(maxsize=4)
def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    return serialization.load_pem_private_key(pem.encode(), password=None)


def lab_private_key() -> rsa.RSAPrivateKey:
    """The lab's RSA key (the jwk, jku and confusion labs)."""
    return load_private_key(lab_key(LabKey.RSA, new_rsa_pem))


def lab_public_key() -> rsa.RSAPublicKey:
    return lab_private_key().public_key()


def lab_public_pem() -> bytes:
    """The lab's public key as PEM text, exactly as the lab publishes it."""
    return lab_public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def lab_jwk() -> dict[str, str]:
    """The lab's public key as a JWK, named by its RFC 7638 thumbprint."""
    key = lab_public_key()
    return {**public_jwk(key), "kid": key_id(key), "alg": "RS256", "use": "sig"}


def jwk_key(jwk: object) -> tuple[Key, str]:
    """The key a JWK describes and the algorithm it goes with (``CardRefused`` if none).

    An ``oct`` key is an HMAC secret; ``RSA`` and ``EC`` (P-256) are public keys.
    """
    if not isinstance(jwk, dict) or jwk.get("kty") not in JWK_KINDS:
        raise CardRefused("A key must be a JWK object with kty oct, RSA or EC.")
    if not all(isinstance(jwk.get(name, ""), str) for name in JWK_KINDS[jwk["kty"]]):
        raise CardRefused("A JWK's members are strings.")
    if jwk.get("alg", "HS256") not in ("HS256", *ASYMMETRIC):
        raise CardRefused("The lab knows HS256, RS256 and ES256 keys only.")
    try:
        key = jwt.PyJWK(jwk)
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise CardRefused(f"The JWK does not describe a usable key ({exc}).") from exc
    if key.algorithm_name not in ("HS256", *ASYMMETRIC):
        raise CardRefused("The lab knows HS256, RS256 and ES256 keys only.")
    return key.key, key.algorithm_name


# --- Making and checking cards ----------------------------------------------------


def hs256(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def sign(claims: dict[str, Any], *, alg: str, key: Any, **header: Any) -> str:
    """A card: the header and claims as base64url JSON, signed with ``alg``."""
    head = b64url(json.dumps({"alg": alg, "typ": "JWT", **header}).encode())
    body = b64url(json.dumps(claims).encode())
    signing_input = f"{head}.{body}".encode()
    if alg == "HS256":
        signature = hs256(key, signing_input)
    else:
        signature = jwt.get_algorithm_by_name(alg).sign(signing_input, key)
    return f"{head}.{body}.{b64url(signature)}"


def claims_for(
    table: str, *, sub: str, role: str = "customer", lifetime: int = LIFETIME_SECONDS
) -> dict[str, Any]:
    """The claims of a lab card for someone at an attendee's table."""
    now = int(timezone.now().timestamp())
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": sub,
        "table": table,
        "role": role,
        "iat": now,
        "exp": now + lifetime,
        "jti": secrets.token_hex(16),
    }


def signature_ok(card: Card, alg: object, key: Key) -> bool:
    """Whether ``key`` made the card's signature with ``alg``.

    A ``bytes`` key is an HMAC secret for HS256, and PEM text for RS256 or ES256.
    """
    if alg == "HS256":
        return isinstance(key, bytes) and hmac.compare_digest(
            hs256(key, card.signing_input), card.signature
        )
    if not isinstance(alg, str) or alg not in ASYMMETRIC:
        return False
    if isinstance(key, bytes):
        try:
            key = serialization.load_pem_public_key(key)
        except (ValueError, TypeError):
            return False
    if not isinstance(key, ASYMMETRIC[alg]):
        return False
    return jwt.get_algorithm_by_name(alg).verify(
        card.signing_input, key, card.signature
    )


def check_claims(claims: dict[str, Any], *, table: str, expiry: bool = True) -> None:
    """The lab's claims: its issuer and audience, your table, a role, the expiry."""
    if claims.get("iss") != ISSUER or claims.get("aud") != AUDIENCE:
        raise CardRefused(
            "Not a lab card: the lab takes only cards with its own issuer and "
            f'audience ("iss": "{ISSUER}", "aud": "{AUDIENCE}").',
            "not_a_lab_card",
        )
    if claims.get("table") != table:
        raise CardRefused(
            "This card belongs at another attendee's table: the lab counts only "
            f'cards that name yours ("table": "{table}").',
            "not_your_table",
        )
    if claims.get("role") not in ROLES or not isinstance(claims.get("sub"), str):
        raise CardRefused('The card needs a "sub" and a "role" (customer or kitchen).')
    exp = claims.get("exp")
    if type(exp) is not int:
        raise CardRefused('The card needs an "exp" (a whole number of seconds).')
    if expiry and exp <= timezone.now().timestamp():
        raise CardRefused("The card has expired.", "token_expired")


def verified(
    card: Card, alg: object, key: Key, *, table: str, expiry: bool = True
) -> dict[str, Any]:
    """The card's claims, once its signature and claims are checked, in that order."""
    if not signature_ok(card, alg, key):
        raise CardRefused("The signature does not match.", "bad_signature")
    check_claims(card.claims, table=table, expiry=expiry)
    return card.claims


# --- The kid lab's disk -------------------------------------------------------------

KEY_FOLDER = "/srv/lab/keys/"
KITCHEN_KEY_FILE = "kitchen-2024"


def pretend_disk() -> dict[str, bytes]:
    """The files the kid lab's waiter can open: a pretend disk, not the server's."""
    return {
        f"{KEY_FOLDER}{KITCHEN_KEY_FILE}": lab_secret("kid-path"),
        "/dev/null": b"",
        "/etc/hostname": b"lab-kitchen\n",
    }


def read_file(path: str) -> bytes:
    """A file of the pretend disk, after the path is resolved as a real one would be."""
    resolved = posixpath.normpath(path)
    try:
        return pretend_disk()[resolved]
    except KeyError:
        raise CardRefused(
            f"No such file: {resolved} (the waiter opened {path}).", "no_such_file"
        ) from None
