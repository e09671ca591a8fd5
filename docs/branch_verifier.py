"""Another branch: check a Delivery access token with nothing but the public keys.

This program plays a second service (a restaurant branch, a microservice) that
never sees the front desk's secret. It downloads the JSON Web Key Set the front
desk publishes, picks the key the token's ``kid`` names, and checks the signature,
the expiry and the token type. It needs PyJWT with ``cryptography`` and no Django.

    python docs/branch_verifier.py http://127.0.0.1:8000/api/auth/jwks.json "$ACCESS"

It prints the verified claims and exits 0, or prints why the token was refused and
exits 1. The front desk must sign with RS256 or ES256 (``JWT_ALGORITHM``); with the
default HS256 there is no public key to publish, and this check cannot be made.

With ``--serve HOST:PORT`` it is that service over HTTP, as ``make workshop`` runs
it for the room: ``GET /`` with ``Authorization: Bearer <token>`` answers 200 and
the verified claims, or 401 and why the card was refused.

    python docs/branch_verifier.py --serve 127.0.0.1:8005 http://127.0.0.1:8004/api/auth/jwks.json
"""

import json
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


class VerifierHandler(BaseHTTPRequestHandler):
    """The service: a card in the Authorization header, checked with the JWKS."""

    protocol_version = "HTTP/1.1"
    server_version = "branch-verifier"
    verifier: BranchVerifier

    def do_GET(self) -> None:
        if self.path == "/healthz":
            self.answer(HTTPStatus.OK, {"status": "ok"})
            return
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not token.strip():
            self.answer(
                HTTPStatus.UNAUTHORIZED,
                {
                    "detail": "Show a card: Authorization: Bearer <access token>.",
                    "code": "not_authenticated",
                },
            )
            return
        try:
            claims = self.verifier.verify(token.strip())
        except (jwt.InvalidTokenError, ValueError) as exc:
            self.answer(
                HTTPStatus.UNAUTHORIZED,
                {"detail": f"refused: {exc}", "code": "token_not_valid"},
            )
            return
        self.answer(HTTPStatus.OK, {"verified": True, "claims": claims})

    def answer(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        data = (json.dumps(body, indent=2, sort_keys=True) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        if status == HTTPStatus.UNAUTHORIZED:
            self.send_header("WWW-Authenticate", 'Bearer realm="branch"')
        self.end_headers()
        self.wfile.write(data)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One line per request, without the query string or any header."""
        path = self.path.split("?", 1)[0]
        status = int(code) if isinstance(code, HTTPStatus) else code
        sys.stdout.write(f"method={self.command} path={path} status={status}\n")
        sys.stdout.flush()


def serve(address: str, jwks_url: str) -> None:
    host, _, port = address.rpartition(":")
    VerifierHandler.verifier = BranchVerifier(jwks_url)
    server = ThreadingHTTPServer((host.strip("[]"), int(port)), VerifierHandler)
    sys.stdout.write(f"Checking cards with {jwks_url} at http://{address}/\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[1] == "--serve":
        serve(argv[2], argv[3])
        return 0
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
