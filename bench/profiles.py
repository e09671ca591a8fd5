"""The databases a scenario runs on, and the production profile's environment.

SQLite always (a fresh file, the default local-memory cache); PostgreSQL too, with
Redis as in production, when ``DATABASE_URL`` names a PostgreSQL server (and
``REDIS_URL`` a Redis). Each scenario has a database of its own on that server,
``delivery_bench_<scenario>``, dropped and created again for every run.
"""

import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATABASE_PREFIX = "delivery_bench"


@dataclass(frozen=True)
class Profile:
    """One database to bench, and the cache that goes with it."""

    name: str
    label: str
    # The PostgreSQL server's URL as given; empty for SQLite.
    server_url: str = ""
    redis_url: str = ""

    @property
    def is_postgresql(self) -> bool:
        return self.name == "postgresql"

    def out(self, scenario: str) -> Path:
        """The folder of a scenario's results on this database."""
        return RESULTS / scenario / self.name

    def database_name(self, scenario: str) -> str:
        return f"{DATABASE_PREFIX}_{scenario.replace('-', '_')}"

    def database_url(self, scenario: str) -> str:
        if not self.is_postgresql:
            return f"sqlite:///{self.out(scenario) / 'bench.sqlite3'}"
        parts = urlsplit(self.server_url)
        return urlunsplit(parts._replace(path=f"/{self.database_name(scenario)}"))


def profiles(*, postgresql_only: bool = False) -> list[Profile]:
    """SQLite, then PostgreSQL (+ Redis) when ``DATABASE_URL`` names a server."""
    chosen = [] if postgresql_only else [Profile("sqlite", "SQLite")]
    server_url = os.environ.get("DATABASE_URL", "")
    if server_url.startswith(("postgres://", "postgresql://")):
        redis_url = os.environ.get("REDIS_URL", "")
        label = "PostgreSQL+Redis" if redis_url else "PostgreSQL"
        chosen.append(Profile("postgresql", label, server_url, redis_url))
    return chosen


def fresh_database(profile: Profile, scenario: str) -> None:
    """Start from nothing each time, so that runs compare."""
    out = profile.out(scenario)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.iterdir():
        if stale.is_file():
            stale.unlink()
    if not profile.is_postgresql:
        return
    import psycopg

    name = profile.database_name(scenario)
    maintenance = urlunsplit(urlsplit(profile.server_url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def base_env(profile: Profile, scenario: str) -> dict[str, str]:
    """The production profile: DEBUG off and strong keys made for this run alone.

    Only what the bench sets reaches the server (plus PATH and the locale), so a
    developer's own variables cannot change the figures. HTTPS redirection is off:
    the bench speaks plain HTTP on loopback.
    """
    env = {
        name: os.environ[name]
        for name in ("PATH", "HOME", "LANG", "LC_ALL")
        if name in os.environ
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "JWT_SIGNING_KEY": secrets.token_hex(32),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": profile.database_url(scenario),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def server_env(profile: Profile, scenario: str, **extra: str) -> dict[str, str]:
    """``base_env``, with the login and order throttles raised so that they do not
    hide the cost of the password hash or of an order."""
    env = base_env(profile, scenario)
    env.update(
        {
            "LOGIN_RATE_PER_USERNAME": "1000000/min",
            "LOGIN_RATE_PER_ADDRESS": "1000000/min",
            # The endpoints' order placement is one customer ordering flat out.
            "ORDER_RATE_PER_USER": "1000000/min",
            # Long enough for the whole run: the access tokens are signed once.
            "JWT_ACCESS_TOKEN_LIFETIME": "7200",
        }
    )
    if profile.redis_url:
        env["REDIS_URL"] = profile.redis_url
    env.update(extra)
    return env


def free_port() -> int:
    """A port nobody listens on now, for a server of the bench's own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
