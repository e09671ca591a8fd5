"""The servers of a workshop room: the restaurant, and one server per lesson variant.

Each server listens on the room's host, at a fixed distance from the main port
(8000, 8001, ... by default), so the handout's ``http://ROOM:8001`` always names
the same one. A lesson that needs another server adds a line to ``SERVERS``.
"""

import sys
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from teaching.room.keys import RoomKeys

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
VERIFIER = str(Path(settings.BASE_DIR) / "docs" / "branch_verifier.py")


@dataclass(frozen=True)
class Server:
    """One process of the room: what it is for, and how it differs from the main one."""

    name: str
    variable: str  # the handout's shell variable for its address
    offset: int  # its port is the room's port plus this
    purpose: str
    environment: dict[str, str] = field(default_factory=dict)
    verifier: bool = False  # docs/branch_verifier.py rather than the site

    def command(self, *, host: str, port: int, jwks_url: str) -> list[str]:
        if self.verifier:
            return [sys.executable, VERIFIER, "--serve", f"{host}:{port}", jwks_url]
        return [GUNICORN, "-c", "python:delivery.gunicorn", "delivery.wsgi"]


MAIN = Server("main", "BASE", 0, "the restaurant: the site, the API, the handout")
RS256 = Server(
    "rs256",
    "RSA",
    4,
    "a front desk that signs with RS256 and publishes its JWKS (lesson 8)",
    {"JWT_ALGORITHM": "RS256"},
)
SERVERS = (
    MAIN,
    Server(
        "short",
        "SHORT",
        1,
        "a front desk whose access tokens last 30 seconds (lesson 6)",
        {"JWT_ACCESS_TOKEN_LIFETIME": "30"},
    ),
    Server("branch", "BRANCH", 2, "branch B: the same database and key (lesson 8)"),
    Server(
        "strict",
        "STRICT",
        3,
        "a front desk that revokes access tokens at once (lesson 7)",
        {"JWT_INSTANT_REVOCATION": "1"},
    ),
    RS256,
    Server(
        "verifier",
        "VERIFIER",
        5,
        "another service: checks RS256 cards with the JWKS alone (lesson 8)",
        verifier=True,
    ),
)

# What every server of the room shares. A room of thirty may sit behind one
# address (one Wi-Fi, one NAT), so the limits per address are a room's; a single
# username is still limited (LOGIN_RATE_PER_USERNAME). Attendees may share the
# demo accounts in their browsers, so one account may place many orders a minute.
# The front end on localhost:5173 is lesson 9's cross-origin client. The attack
# labs (lab/) are on in every server, so that each one notes what it saw an
# attendee do (a login at $RSA, an expired card at $SHORT) for the room's progress.
ROOM_DEFAULTS = {
    "WORKSHOP_LABS": "1",
    "LOGIN_RATE_PER_ADDRESS": "1000/min",
    "REGISTER_RATE_PER_ADDRESS": "1000/hour",
    "INSPECT_RATE_PER_ADDRESS": "1000/min",
    "ORDER_RATE_PER_USER": "1000/min",
    "CORS_ALLOWED_ORIGINS": "http://localhost:5173",
    "GUNICORN_THREADS": "8",
}


def environment(
    server: Server,
    *,
    base: dict[str, str],
    keys: RoomKeys,
    host: str,
    port: int,
    allowed_hosts: list[str],
) -> dict[str, str]:
    """The environment ``server`` runs with: DEBUG off, the room's keys and hosts.

    Without Redis each server is one process, whose memory holds its login counts,
    its revocation marks and its ticket rail; with Redis they share them.
    """
    env = {**ROOM_DEFAULTS, **base}
    env.update(
        DEBUG="0",
        PLAIN_HTTP="1",
        SECRET_KEY=keys.secret_key,
        JWT_SIGNING_KEY=keys.jwt_signing_key,
        ALLOWED_HOSTS=",".join(allowed_hosts),
        HOST=host,
        PORT=str(port),
        **server.environment,
    )
    if server is RS256:
        env["JWT_PRIVATE_KEY"] = keys.rs256_private_key
    if not env.get("REDIS_URL"):
        env["WEB_CONCURRENCY"] = "1"
    return env
