"""``make serve`` starts servers and never migrates; ``make migrate`` does, once.

Several servers may start at the same moment, and migrations run from each of
them would race: a release's migrations are applied once with ``make migrate``,
and ``make serve`` refuses a database that lacks them.
"""

import os
import secrets
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.production.conftest import ROOT, free_port

pytestmark = pytest.mark.slow

START_TIMEOUT = 60


@pytest.fixture
def production(tmp_path) -> dict[str, str]:
    """The production profile on a database file of its own, without Redis."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "JWT_", "PYTEST_", "GUNICORN_", "REDIS_"))
    }
    return {
        **clean,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "JWT_SIGNING_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'delivery.sqlite3'}",
        "HOST": "127.0.0.1",
        "PORT": str(free_port(set())),
        "WEB_CONCURRENCY": "1",
    }


def tables(env: dict[str, str]) -> set[str]:
    path = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    if not path.exists():
        return set()
    with sqlite3.connect(path) as database:
        rows = database.execute("SELECT name FROM sqlite_master WHERE type='table'")
        return {name for (name,) in rows}


def healthz(port: str) -> int | None:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/healthz", timeout=2
        ) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def start_serve(env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def test_serve_refuses_a_database_without_migrations_and_migrates_nothing(
    production, tmp_path
):
    log = tmp_path / "serve.log"
    process = start_serve(production, log)
    try:
        returncode = process.wait(timeout=START_TIMEOUT)
    finally:
        stop(process)
    output = log.read_text()
    assert returncode != 0, output
    assert "apply them once with 'make migrate'" in output
    assert "Applying" not in output
    assert not {"accounts_user", "orders_order"} & tables(production)


def test_serve_starts_once_make_migrate_has_run(production, tmp_path):
    migrate = subprocess.run(
        ["make", "--no-print-directory", "migrate"],
        cwd=ROOT,
        env=production,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    assert "orders_order" in tables(production)

    log = tmp_path / "serve.log"
    process = start_serve(production, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while healthz(production["PORT"]) != 200:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        stop(process)
    assert "Applying" not in log.read_text()
