"""Two renewals of one refresh token at the same instant, against a real server on
SQLite: several processes and threads writing to one database file, as
``make run`` and a workshop room do. (On PostgreSQL the same race runs in-process:
tests/accounts/test_logins.py.)"""

import json
import re
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from threading import Barrier

import pytest

from tests.workshop.servers import (
    GUNICORN,
    NoRedirect,
    free_ports,
    manage,
    production_environment,
    running,
    wait_until_healthy,
)

pytestmark = pytest.mark.slow

PASSWORD = "a-long-race-password"
RACERS = 8


@pytest.fixture
def server(tmp_path):
    """gunicorn with two processes of four threads each, on a SQLite file."""
    port = free_ports("127.0.0.1", 1)
    env = production_environment(
        tmp_path / "races.sqlite3",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="4",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )
    manage("migrate", "--no-input", env=env)
    manage("createsuperuser", "--no-input", "--username=racer", "--email=", env=env)
    log = tmp_path / "server.log"
    command = [str(GUNICORN), "-c", "python:delivery.gunicorn", "delivery.wsgi"]
    with running(command, env, log) as process:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, process, log)
        yield base, log


def post(base: str, path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - a local http URL
        base + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def renew(base: str, refresh: str) -> tuple[int, str]:
    """A tab of the site renewing with its refresh cookie: the status and the new
    refresh cookie's value."""
    request = urllib.request.Request(  # noqa: S310 - a local http URL
        f"{base}/account/renew/?next=/",
        headers={
            "Cookie": f"delivery_refresh_token={refresh}",
            "Sec-Fetch-Site": "same-origin",
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            status, headers = response.status, response.headers
    except urllib.error.HTTPError as error:
        status, headers = error.code, error.headers
    cookie = SimpleCookie()
    for line in headers.get_all("Set-Cookie") or []:
        cookie.load(line)
    value = (
        cookie["delivery_refresh_token"].value
        if "delivery_refresh_token" in cookie
        else ""
    )
    return status, value


def at_once(count: int, call) -> list:
    barrier = Barrier(count)

    def racer(index):
        barrier.wait(timeout=30)
        return call(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(racer, range(count)))


def test_concurrent_renewals_on_sqlite_all_get_the_same_refresh_token(server):
    base, log = server
    status, pair = post(
        base, "/api/auth/token/", {"username": "racer", "password": PASSWORD}
    )
    assert status == 200, pair
    body = {"refresh": pair["refresh"]}
    answers = at_once(RACERS, lambda _: post(base, "/api/auth/token/refresh/", body))
    assert [status for status, _ in answers] == [200] * RACERS, answers
    (shared,) = {answer["refresh"] for _, answer in answers}
    assert post(base, "/api/auth/token/refresh/", {"refresh": shared})[0] == 200
    assert not re.search("refresh_token_reused|database_unavailable", log.read_text())


def test_tabs_renewing_one_refresh_cookie_on_sqlite_all_stay_logged_in(server):
    base, log = server
    status, pair = post(
        base, "/api/auth/token/", {"username": "racer", "password": PASSWORD}
    )
    assert status == 200, pair
    answers = at_once(RACERS, lambda _: renew(base, pair["refresh"]))
    assert [status for status, _ in answers] == [302] * RACERS, answers
    (shared,) = {value for _, value in answers}
    assert shared
    assert renew(base, shared)[0] == 302
    assert not re.search("refresh_token_reused|database_unavailable", log.read_text())
