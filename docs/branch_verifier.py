"""Another branch: check a Delivery access token with nothing but the public keys.

This program plays a second service (a restaurant branch, a microservice) that
never sees the front desk's secret. It downloads the JSON Web Key Set the front
desk publishes, picks the key the token's ``kid`` names, and checks the signature,
the expiry and the token type. It needs PyJWT with ``cryptography`` and no Django.

    python docs/branch_verifier.py http://127.0.0.1:8000/api/auth/jwks.json "$ACCESS"

It prints the verified claims and exits 0, or prints why the token was refused and
exits 1. The front desk must sign with RS256 or ES256 (``JWT_ALGORITHM``); with the
default HS256 there is no public key to publish, and this check cannot be made.
"""

import json
import sys
from typing import Any

import jwt

# The algorithms a published key may stand for; the token's header never decides.
ASYMMETRIC = ("RS256", "ES256")
ACCESS = "access"


class BranchVerifier:
    """Verify access tokens against a JWKS URL, fetched again for an unknown kid."""

    def __init__(self, jwks_url: str, *, cache_seconds: int = 300) -> None:
        if not jwks_url.startswith(("https://", "http://")):
            raise ValueError("The JWKS URL must be http(s).")
        self.keys = jwt.PyJWKClient(jwks_url, lifespan=cache_seconds, timeout=10)

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, or ``jwt.InvalidTokenError`` saying why not."""
        try:
            key = self.keys.get_signing_key_from_jwt(token)
        except jwt.PyJWKClientError as exc:
            raise jwt.InvalidTokenError(
                f"No published key checks this token: {exc}"
            ) from exc
        if key.algorithm_name not in ASYMMETRIC:
            raise jwt.InvalidTokenError("The published key is not an RS256/ES256 key.")
        claims = jwt.decode(
            token,
            key.key,
            algorithms=[key.algorithm_name],
            options={"require": ["exp", "iat", "jti", "token_type", "user_id"]},
        )
        if claims["token_type"] != ACCESS:
            raise jwt.InvalidTokenError("This is not an access token.")
        return claims


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        sys.stderr.write(__doc__ or "")
        return 2
    try:
        claims = BranchVerifier(argv[1]).verify(argv[2])
    except (jwt.InvalidTokenError, ValueError) as exc:
        sys.stdout.write(f"refused: {exc}\n")
        return 1
    sys.stdout.write(json.dumps(claims, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
