"""Real branches: gunicorn servers on one PostgreSQL database and one Redis.

The servers are started and stopped by these fixtures. They need the PostgreSQL
and Redis of CI's second pass (``DATABASE_URL`` and ``REDIS_URL``); on SQLite the
tests are skipped, since branches sharing a file database would prove nothing.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
# Redis databases 1-15 may serve xdist workers (tests/conftest.py); 14 is used by
# the suite only with fourteen or more workers, and is emptied before use.
BRANCH_REDIS_DB = 14
PORTS = range(8100, 8200)
START_TIMEOUT = 30
STOP_TIMEOUT = 15

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
# Named after the suite's own database, so that two checkouts can run at once.
BRANCH_DATABASE = f"{DATABASE_URL.rsplit('/', 1)[-1] or 'delivery'}_branches"

needs_postgres_and_redis = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")) or not REDIS_URL,
    reason="branch tests need DATABASE_URL on PostgreSQL and REDIS_URL "
    "(CI's PostgreSQL pass); several servers cannot share SQLite",
)


def server_url(url: str) -> str:
    """The URL without its last path segment (the database or Redis index)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def free_port(taken: set[int]) -> int:
    """A free port not in ``taken``, looked for from a random place in ``PORTS``
    so that two test runs on one machine seldom reach for the same one."""
    ports = list(PORTS)
    start = secrets.randbelow(len(ports))
    for port in ports[start:] + ports[:start]:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise RuntimeError("no free port in 8100-8199")


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


@dataclass
class Branch:
    """One running server, and a tiny HTTP client for it."""

    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def call(
        self, method: str, path: str, body: dict | None = None, token: str = ""
    ) -> Answer:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - a local http URL
            self.url + path, data=data, method=method
        )
        request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                raw, status, headers = (
                    response.read(),
                    response.status,
                    response.headers,
                )
        except urllib.error.HTTPError as error:
            raw, status, headers = error.read(), error.code, error.headers
        text = raw.decode()
        return Answer(status, json.loads(text) if text else None, dict(headers))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)


def start_branch(name: str, port: int, env: dict[str, str], log_dir: Path) -> Branch:
    """Start gunicorn as ``make serve`` does and wait until /healthz says ok."""
    log = log_dir / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(GUNICORN),
                "-c",
                "python:delivery.gunicorn",
                "delivery.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    branch = Branch(name, f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"branch {name} exited:\n{log.read_text()}")
        try:
            if branch.call("GET", "/healthz").status == 200:
                return branch
        except OSError:
            pass
        time.sleep(0.2)
    branch.stop()
    raise RuntimeError(f"branch {name} did not answer /healthz:\n{log.read_text()}")


@pytest.fixture(scope="session")
def branch_environment(tmp_path_factory) -> Iterator[dict[str, str]]:
    """A fresh database and Redis index for the branches, migrated once."""
    import psycopg
    import redis

    admin_url = f"{server_url(DATABASE_URL)}/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BRANCH_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BRANCH_DATABASE}")
    redis_url = f"{server_url(REDIS_URL)}/{BRANCH_REDIS_DB}"
    redis.Redis.from_url(redis_url).flushdb()

    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "JWT_", "PYTEST_", "GUNICORN_"))
    }
    env = {
        **clean,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "JWT_SIGNING_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{server_url(DATABASE_URL)}/{BRANCH_DATABASE}",
        "REDIS_URL": redis_url,
        "JWT_INSTANT_REVOCATION": "1",
        "WEB_CONCURRENCY": "2",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    yield env
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BRANCH_DATABASE} WITH (FORCE)")
    redis.Redis.from_url(redis_url).flushdb()


@pytest.fixture(scope="session")
def taken_ports() -> set[int]:
    return set()


@pytest.fixture(scope="session")
def branches(branch_environment, taken_ports, tmp_path_factory):
    """Branches A and B: HS256, one secret, instant revocation on."""
    log_dir = tmp_path_factory.mktemp("branches")
    started: list[Branch] = []
    try:
        for name in ("a", "b"):
            port = free_port(taken_ports)
            started.append(start_branch(name, port, branch_environment, log_dir))
        yield started
    finally:
        for branch in started:
            branch.stop()


@pytest.fixture(scope="session")
def rs256_branch(branch_environment, taken_ports, tmp_path_factory):
    """A branch that signs with an RSA private key and publishes its JWKS."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key_dir = tmp_path_factory.mktemp("keys")
    key_file = key_dir / "jwt-private.pem"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    env = {
        **branch_environment,
        "JWT_ALGORITHM": "RS256",
        "JWT_PRIVATE_KEY_PATH": str(key_file),
    }
    branch = start_branch("rs256", free_port(taken_ports), env, key_dir)
    try:
        yield branch
    finally:
        branch.stop()
