"""Real servers for the workshop's tests: started as a room starts them, always stopped.

Each test that needs one gets its own database (a file under ``tmp_path``), its
own ports and no Redis: what an instructor's laptop has.
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
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
# Variables of the test run that must not leak into a server: each server is told
# its own database, cache, keys and mode.
PRIVATE = {"DATABASE_URL", "REDIS_URL", "DEBUG", "HOST", "PORT", "STATIC_ROOT"}
PRIVATE_PREFIXES = ("JWT_", "DJANGO_", "PYTEST_", "GUNICORN_", "WEB_CONCURRENCY")
# Blocks of consecutive ports are looked for here: `make workshop` needs six.
PORT_RANGE = range(9300, 9990, 10)


def clean_environment(**overrides: str) -> dict[str, str]:
    """This process's environment without the test run's own settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in PRIVATE
        and not key.startswith(PRIVATE_PREFIXES)
        and key not in {"SECRET_KEY", "ALLOWED_HOSTS", "PLAIN_HTTP"}
    }
    return {**env, **overrides}


def production_environment(database: Path, **overrides: str) -> dict[str, str]:
    """DEBUG off with strong keys made for this test, over plain HTTP."""
    return clean_environment(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        JWT_SIGNING_KEY=secrets.token_hex(32),
        DATABASE_URL=f"sqlite:///{database}",
        PLAIN_HTTP="1",
        ALLOWED_HOSTS="127.0.0.1",
        **overrides,
    )


def ports_are_free(host: str, first: int, count: int) -> bool:
    for port in range(first, first + count):
        with socket.socket() as probe:
            try:
                probe.bind((host, port))
            except OSError:
                return False
    return True


def free_ports(host: str, count: int) -> int:
    """The first of ``count`` consecutive free ports on ``host``.

    The search starts at a random place in the range, so that two test runs on
    one machine seldom reach for the same ports while their servers start.
    """
    firsts = list(PORT_RANGE)
    start = secrets.randbelow(len(firsts))
    for first in firsts[start:] + firsts[:start]:
        if ports_are_free(host, first, count):
            return first
    raise RuntimeError(f"no {count} free ports in a row on {host}")


def manage(*args: str, env: dict[str, str], timeout: float = 180) -> str:
    """Run ``manage.py`` with ``env``; its output, or a failure showing it."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr}"
    return result.stdout


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Visitor:
    """A client with its own cookies, which never follows a redirect by itself."""

    base: str
    cookies: CookieJar = field(default_factory=CookieJar)

    def call(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        *,
        form: dict | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> Answer:
        data = None
        request_headers = {"Accept": "application/json, text/html", **(headers or {})}
        if body is not None:
            data = json.dumps(body).encode()
            request_headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            request_headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(  # noqa: S310 - a local http URL
            self.base + path, data=data, method=method, headers=request_headers
        )
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )
        try:
            with opener.open(request, timeout=timeout) as response:
                raw, status, got = response.read(), response.status, response.headers
        except urllib.error.HTTPError as error:
            raw, status, got = error.read(), error.code, error.headers
        return Answer(status, dict(got), raw.decode(errors="replace"))

    def get(self, path: str, **kwargs) -> Answer:
        return self.call("GET", path, **kwargs)

    def log_in(self, username: str, password: str) -> None:
        """Log in through the site's login page, as a browser does."""
        page = self.get("/login/")
        token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1]
        token = token.split('"', 1)[0]
        answer = self.call(
            "POST",
            "/login/",
            form={
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": password,
                "next": "/",
            },
            headers={"Referer": self.base + "/login/"},
        )
        assert answer.status == 302, (username, answer.status, answer.text[:500])


def wait_until_healthy(
    base: str, process: subprocess.Popen, log: Path, seconds: float = 60
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited early:\n{log.read_text()}")
        try:
            if Visitor(base).get("/healthz", timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(
        f"{base} did not answer within {seconds} s:\n{log.read_text()}"
    )


def stop(process: subprocess.Popen) -> None:
    """Stop a process started in a session of its own, and everything it started."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass


@contextmanager
def running(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen]:
    """A process in a session of its own, with its output in ``log``."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        stop(process)


@contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """One gunicorn server as ``make serve`` starts it; yields its address."""
    port = free_ports("127.0.0.1", 1)
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1"}
    command = [GUNICORN, "-c", "python:delivery.gunicorn", "delivery.wsgi"]
    with running(command, env, log) as process:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, process, log)
        yield base
