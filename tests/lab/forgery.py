"""Forging lab cards as an attendee would: by hand, with the standard library alone.

Each function takes the card a lab's front desk handed out and returns the forged
card that lab's broken waiter should take as a kitchen card (a staff meal). The
base64url, the parts of a card and the HMAC by hand are the suite's own
(``tests/tokens.py``).
"""

import hashlib
import hmac
from typing import Any

from tests.tokens import assembled, b64, hs256, parts


def as_kitchen(card: str) -> dict[str, Any]:
    _, claims, _ = parts(card)
    return {**claims, "role": "kitchen"}


def keep_old_signature(card: str) -> str:
    """Lab 1: change the role, keep the signature that no longer matches."""
    header, _, signature = parts(card)
    return assembled(header, as_kitchen(card), signature)


def alg_none(card: str) -> str:
    """Lab 2: no signature at all, and a header that says so."""
    return assembled({"alg": "none", "typ": "JWT"}, as_kitchen(card))


def crack(card: str, words: list[str]) -> bytes:
    """Lab 3: the word of the list that made the card's signature."""
    header, payload, signature = card.split(".")
    for word in words:
        made = hmac.new(word.encode(), f"{header}.{payload}".encode(), hashlib.sha256)
        if b64(made.digest()) == signature:
            return word.encode()
    raise AssertionError("no word of the list signed this card")


def resigned(card: str, secret: bytes) -> str:
    header, _, _ = parts(card)
    return hs256(as_kitchen(card), header={**header, "alg": "HS256"}, key=secret)


def own_jwk(card: str, secret: bytes = b"my very own key, thirty-two bytes") -> str:
    """Lab 4: embed an oct key of mine in the header and sign with it."""
    header = {"alg": "HS256", "typ": "JWT", "jwk": {"kty": "oct", "k": b64(secret)}}
    return hs256(as_kitchen(card), header=header, key=secret)


def own_jku(card: str, jku: str, secret: bytes, kid: str = "mine") -> str:
    """Lab 5: point jku at a key set of mine, and sign with its key."""
    header = {"alg": "HS256", "typ": "JWT", "jku": jku, "kid": kid}
    return hs256(as_kitchen(card), header=header, key=secret)


def key_set(secret: bytes, kid: str = "mine") -> dict[str, Any]:
    return {"keys": [{"kty": "oct", "kid": kid, "k": b64(secret)}]}


def kid_to_dev_null(card: str) -> str:
    """Lab 6: the kid walks up to /dev/null, an empty file, so the key is empty."""
    header = {"alg": "HS256", "typ": "JWT", "kid": "../../../dev/null"}
    return hs256(as_kitchen(card), header=header, key=b"")


def public_key_as_secret(card: str, pem: bytes) -> str:
    """Lab 7: HS256, with the published public key's text as the HMAC secret."""
    return hs256(as_kitchen(card), key=pem)
