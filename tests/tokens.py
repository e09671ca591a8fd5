"""Reading and forging tokens in tests: base64url, tampered and re-signed cards."""

import base64
import hashlib
import hmac
import json
from typing import Any

import jwt
from django.conf import settings

# The header simplejwt writes on an HS256 card.
HS256_HEADER = {"alg": "HS256", "typ": "JWT"}


def b64(data: Any) -> str:
    """base64url without padding, of bytes as they are or of a value's JSON."""
    if not isinstance(data, bytes):
        data = json.dumps(data).encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(segment: str) -> bytes:
    """The bytes of a base64url segment written without its padding."""
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def parts(token: object) -> tuple[dict, dict, str]:
    """A token's header and claims, decoded and unchecked, and its signature as sent."""
    header, payload, signature = str(token).split(".")
    return json.loads(unb64(header)), json.loads(unb64(payload)), signature


def assembled(header: Any, payload: Any, signature: str = "") -> str:
    """A token of these parts, whatever they are: the signature is not made for them."""
    return f"{b64(header)}.{b64(payload)}.{signature}"


def server_key() -> str:
    """The key the server signs its HS256 cards with, as the settings say now."""
    return settings.SIMPLE_JWT["SIGNING_KEY"]


def with_changes(claims: dict, changes: dict[str, Any]) -> dict:
    """The claims with some changed; a change to ``None`` removes the claim."""
    claims = {**claims, **changes}
    return {name: value for name, value in claims.items() if value is not None}


def tampered(token: object, **changes: Any) -> str:
    """The token with claims changed, under its original header and signature.

    The claims are written as PyJWT writes them, so that the token unchanged is the
    token given: only a change can make the server refuse it.
    """
    header, _, signature = str(token).split(".")
    _, claims, _ = parts(token)
    written = json.dumps(with_changes(claims, changes), separators=(",", ":"))
    return f"{header}.{b64(written.encode())}.{signature}"


def signed(
    claims: dict,
    *,
    key: str | bytes | None = None,
    algorithm: str = "HS256",
    headers: dict[str, Any] | None = None,
) -> str:
    """The claims signed by PyJWT: with the server's key unless another is given."""
    key = server_key() if key is None else key
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def resigned(
    token: object,
    *,
    key: str | bytes | None = None,
    algorithm: str = "HS256",
    headers: dict[str, Any] | None = None,
    **changes: Any,
) -> str:
    """The token's claims, some changed, signed by PyJWT: with the server's key
    unless another is given."""
    _, claims, _ = parts(token)
    claims = with_changes(claims, changes)
    return signed(claims, key=key, algorithm=algorithm, headers=headers)


def unsigned(claims: dict) -> str:
    """The claims under ``alg: none``, with no signature, as PyJWT writes them."""
    return jwt.encode(claims, None, algorithm="none")


def hs256(payload: Any, *, header: Any = None, key: str | bytes | None = None) -> str:
    """A token signed by hand with HMAC-SHA256, around a header and claims of any
    shape (PyJWT refuses some, and refuses a PEM as a secret); with the server's key
    unless another is given."""
    signing_input = f"{b64(HS256_HEADER if header is None else header)}.{b64(payload)}"
    key = server_key() if key is None else key
    if isinstance(key, str):
        key = key.encode()
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"
