"""Fast path for the card's bench target "card / simplejwt-stateless <= 1.00".

``jwt.decode`` prepares the HMAC key again on every call (it checks each time that
the secret is no PEM, SSH, DER or JWK key: about 6 µs) and reads every character
of the token in a Python loop. simplejwt's stateless class pays the same for its
smaller token, so a card that carries more claims and checks more of them cannot
cost less through ``jwt.decode`` alone.

For the one shape of token this server signs with HS256 (its own header, the
claims it writes, nothing else), ``PreparedHS256.accept`` checks the card with the
key prepared once by PyJWT's own HMAC algorithm, and each segment with a regular
expression. It only ever accepts. Whatever it does not accept in full (another
header, a bad signature, an expired card, an unknown claim, a claim of an
unexpected type) goes on to ``jwt.decode``, which gives the verdict and its
reason; the token classes then check the claims as before
(``accounts.tokens.check_claims``). ``tests/accounts/test_hs256_fast_path.py``
holds it to ``jwt.decode``: every token it accepts, PyJWT accepts with the same
claims.
"""

import base64
import binascii
import json
import re
import time
from typing import Any

import jwt

ALGORITHM = "HS256"
# A base64url segment as PyJWT accepts it, less the padding it tolerates.
SEGMENT = re.compile(rb"[A-Za-z0-9_-]+")
# The claims of every token this server signs (accounts.services): a token with
# any other claim (``nbf``, ``aud``, ``iss``, ``sub``...) is left to PyJWT.
CLAIMS = frozenset(
    {"token_type", "exp", "iat", "jti", "user_id", "username", "role", "fam"}
)


def segment_bytes(segment: bytes) -> bytes | None:
    """The bytes of a base64url segment written as PyJWT writes it, else ``None``."""
    if len(segment) % 4 == 1 or not SEGMENT.fullmatch(segment):
        return None
    try:
        data = base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4))
    except binascii.Error:  # pragma: no cover - the pattern lets none through
        return None
    # One text for each byte string: no stray bits in the last character.
    if base64.urlsafe_b64encode(data).rstrip(b"=") != segment:
        return None
    return data


class PreparedHS256:
    """The server's HS256 key, prepared once, and the header its tokens carry."""

    def __init__(self, key: str | bytes, *, leeway: float) -> None:
        self.algorithm = jwt.get_algorithm_by_name(ALGORITHM)
        self.key = self.algorithm.prepare_key(key)
        self.leeway = leeway
        # A short key makes PyJWT warn on each decode: leave those to it.
        self.enabled = self.algorithm.check_key_length(self.key) is None
        # The first segment of every token PyJWT signs with this algorithm.
        self.header = (
            jwt.encode({}, key, algorithm=ALGORITHM).encode().split(b".")[0]
            if self.enabled
            else b""
        )

    def accept(self, token: str | bytes) -> dict[str, Any] | None:
        """The token's claims if it is a valid token of this server, else ``None``.

        ``None`` is no verdict: the caller asks ``jwt.decode``.
        """
        if not self.enabled:
            return None
        if isinstance(token, str):
            token = token.encode()
        if not isinstance(token, bytes):
            return None
        segments = token.split(b".")
        if len(segments) != 3 or segments[0] != self.header:
            return None
        header, payload_segment, signature_segment = segments
        payload_bytes = segment_bytes(payload_segment)
        signature = segment_bytes(signature_segment)
        if payload_bytes is None or signature is None:
            return None
        signing_input = header + b"." + payload_segment
        if not self.algorithm.verify(signing_input, self.key, signature):
            return None
        try:
            claims = json.loads(payload_bytes)
        except (ValueError, RecursionError):
            return None
        if not isinstance(claims, dict) or not claims.keys() <= CLAIMS:
            return None
        return claims if self.in_force(claims) else None

    def in_force(self, claims: dict[str, Any]) -> bool:
        """PyJWT's checks for the options of ``accounts.backends``, no looser:
        the required claims present, ``iat`` not in the future, ``exp`` not past,
        ``jti`` a string (an ``aud`` or ``iss`` never gets here)."""
        exp, iat = claims.get("exp"), claims.get("iat")
        if type(exp) is not int or type(iat) is not int:
            return False
        if claims.get("token_type") is None or type(claims.get("jti")) is not str:
            return False
        now = time.time()
        return iat <= now + self.leeway and exp > now - self.leeway
