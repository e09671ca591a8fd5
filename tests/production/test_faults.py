"""Redis or PostgreSQL taken away from a running server, and given back.

The server is a gunicorn of the test's own, started as ``make serve`` starts it,
that reaches Redis and PostgreSQL through relays (``tests.production.proxy``):
cutting a relay is the outage, for that server alone, so the machine's shared
servers never stop. Meanwhile every endpoint gives the answer the README documents
("When Redis or PostgreSQL stops"), each fault is one log line, and the server
recovers by itself once the relay is restored. It runs twice: with instant
revocation on, and off.
"""

import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.production.conftest import (
    DATABASE_URL,
    REDIS_URL,
    ROOT,
    Branch,
    free_port,
    needs_postgres_and_redis,
    start_branch,
)
from tests.production.proxy import TcpProxy

pytestmark = [pytest.mark.slow, needs_postgres_and_redis]

DEMO_PASSWORD = "delivery-demo"  # the documented password of the demo users
RECOVERY_TIMEOUT = 30
LOG_TIMEOUT = 5


@dataclass
class Answer:
    status: int
    body: Any
    text: str

    @property
    def code(self) -> str | None:
        return self.body.get("code") if isinstance(self.body, dict) else None


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to check, not a page to follow."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


class Visitor:
    """One client of the server: an API client with a token, or a browser."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirects,
        )

    def call(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        *,
        token: str = "",
        form: dict | None = None,
        host: str = "",
    ) -> Answer:
        data, content_type = None, None
        if body is not None:
            data, content_type = json.dumps(body).encode(), "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            content_type = "application/x-www-form-urlencoded"
        elif method == "POST":
            data, content_type = b"", "application/json"
        request = urllib.request.Request(  # noqa: S310 - a local http URL
            self.url + path, data=data, method=method
        )
        if content_type:
            request.add_header("Content-Type", content_type)
        request.add_header("Accept", "application/json, text/html;q=0.9")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        if host:
            request.add_header("Host", host)
        try:
            with self.opener.open(request, timeout=15) as response:
                raw, status = response.read(), response.status
        except urllib.error.HTTPError as error:
            raw, status = error.read(), error.code
        text = raw.decode()
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return Answer(status, parsed, text)

    def post_form(self, path: str, form: dict) -> Answer:
        """Post a page's form with the CSRF token that the page holds."""
        page = self.call("GET", "/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, page.text[:300]
        return self.call("POST", path, form={**form, "csrfmiddlewaretoken": match[1]})

    def log_in(self, username: str) -> "Visitor":
        answer = self.post_form(
            "/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        assert answer.status == 302, answer
        return self


@dataclass
class Server:
    mode: str
    branch: Branch
    redis: TcpProxy
    postgres: TcpProxy

    @property
    def instant(self) -> bool:
        return self.mode == "instant"

    def visitor(self) -> Visitor:
        return Visitor(self.branch.url)

    def logged(self, request: Callable[[], Answer]) -> tuple[Answer, list[str]]:
        """A request's answer and the lines it wrote, its access line last."""
        offset = self.branch.log.stat().st_size
        answer = request()
        deadline = time.monotonic() + LOG_TIMEOUT
        while time.monotonic() < deadline:
            with self.branch.log.open("rb") as log:
                log.seek(offset)
                lines = log.read().decode().splitlines()
            if lines and "logger=gunicorn.access" in lines[-1]:
                return answer, lines
            time.sleep(0.05)
        raise AssertionError(f"no access line after {answer}: {lines}")

    def wait_until_healthy(self) -> float:
        """Seconds until /healthz says ok again."""
        start = time.monotonic()
        while time.monotonic() - start < RECOVERY_TIMEOUT:
            if self.visitor().call("GET", "/healthz").status == 200:
                return time.monotonic() - start
            time.sleep(0.1)
        raise AssertionError(f"not healthy again:\n{self.branch.log.read_text()}")


def relay_to(url: str, default_port: int) -> TcpProxy:
    parts = urllib.parse.urlsplit(url)
    return TcpProxy((parts.hostname or "127.0.0.1", parts.port or default_port))


def through(proxy: TcpProxy, url: str) -> str:
    """``url`` with its host and port replaced by the relay's."""
    parts = urllib.parse.urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    return parts._replace(netloc=f"{user}127.0.0.1:{proxy.port}").geturl()


@pytest.fixture(scope="module")
def demo_data(branch_environment) -> None:
    """The demo's restaurants and people, in the servers' database."""
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--force"],
        cwd=ROOT,
        env=branch_environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module", params=["instant", "stateless"])
def server(
    request, branch_environment, demo_data, taken_ports, tmp_path_factory
) -> Iterator[Server]:
    """A server behind its own relays; instant revocation on, then off."""
    redis = relay_to(REDIS_URL, 6379)
    postgres = relay_to(DATABASE_URL, 5432)
    env = {
        **branch_environment,
        "DATABASE_URL": through(postgres, branch_environment["DATABASE_URL"]),
        "REDIS_URL": through(redis, branch_environment["REDIS_URL"]),
        "JWT_INSTANT_REVOCATION": "1" if request.param == "instant" else "0",
        # Plain HTTP on loopback: cookies without Secure, which urllib sends back.
        "PLAIN_HTTP": "1",
        "LOGIN_RATE_PER_USERNAME": "1000/min",
        "LOGIN_RATE_PER_ADDRESS": "1000/min",
    }
    log_dir = tmp_path_factory.mktemp(f"faults-{request.param}")
    branch = start_branch(request.param, free_port(taken_ports), env, log_dir)
    try:
        yield Server(request.param, branch, redis, postgres)
    finally:
        branch.stop()
        redis.cut()
        postgres.cut()


@dataclass
class Scene:
    """Cards, orders and browsers, all made while everything was up."""

    cards: dict[str, dict]
    dish: int
    orders: dict[str, int]
    browsers: dict[str, Visitor]
    # The login of alice's lost phone, for "end this login".
    lost_login: int


@pytest.fixture
def scene(server) -> Scene:
    api = server.visitor()

    def card(username: str) -> dict:
        body = {"username": username, "password": DEMO_PASSWORD}
        answer = api.call("POST", "/api/auth/token/", body)
        assert answer.status == 200, answer
        return answer.body

    cards = {
        name: card(username)
        for name, username in [
            ("alice", "alice"),
            ("alice_refresh", "alice"),
            ("alice_logout", "alice"),
            ("chef", "chef"),
            ("chef_everywhere", "chef"),
            ("alice_lost", "alice"),
        ]
    }
    logins = api.call("GET", "/api/auth/logins/", token=cards["alice_lost"]["access"])
    lost_login = next(
        login["id"] for login in logins.body["results"] if login["current"]
    )
    menu = api.call("GET", "/api/menu-items/?restaurant=marios-pizzeria")
    dish = next(item["id"] for item in menu.body["results"] if item["available"])

    def place() -> int:
        body = {
            "items": [{"menu_item": dish, "quantity": 1}],
            "delivery_address": "1 Main Street",
        }
        answer = api.call("POST", "/api/orders/", body, token=cards["alice"]["access"])
        assert answer.status == 201, answer
        return answer.body["id"]

    browsers = {
        name: server.visitor().log_in(name) for name in ("alice", "chef", "admin")
    }
    return Scene(
        cards, dish, {"cancel": place(), "advance": place()}, browsers, lost_login
    )


def both(answer: tuple[int, str | None]) -> dict[str, tuple[int, str | None]]:
    return {"instant": answer, "stateless": answer}


def by_mode(
    instant: tuple[int, str | None], stateless: tuple[int, str | None]
) -> dict[str, tuple[int, str | None]]:
    return {"instant": instant, "stateless": stateless}


OK = (200, None)
UNCOUNTED = (503, "throttle_unavailable")
UNCHECKED = (503, "revocation_unavailable")


def test_with_redis_down_every_endpoint_gives_its_documented_answer(server, scene):
    cards, orders, browsers = scene.cards, scene.orders, scene.browsers
    alice, chef = cards["alice"]["access"], cards["chef"]["access"]
    new_order = {
        "items": [{"menu_item": scene.dish, "quantity": 1}],
        "delivery_address": "1 Main Street",
    }
    anonymous = server.visitor()
    api_calls = [
        ("GET", "/healthz", {}, both((503, None))),
        ("GET", "/api/", {}, both(OK)),
        ("GET", "/api/restaurants/", {}, both(OK)),
        ("GET", "/api/restaurants/marios-pizzeria/", {}, both(OK)),
        ("GET", "/api/menu-items/?vegetarian=true", {}, both(OK)),
        ("GET", f"/api/menu-items/{scene.dish}/", {}, both(OK)),
        ("GET", "/api/schema/", {}, both(OK)),
        ("GET", "/api/docs/", {}, both(OK)),
        ("GET", "/api/auth/jwks.json", {}, both(OK)),
        (
            "POST",
            "/api/auth/register/",
            {"body": {"username": "newcomer", "password": "a-long-new-password"}},
            both(UNCOUNTED),
        ),
        (
            "POST",
            "/api/auth/token/",
            {"body": {"username": "bob", "password": DEMO_PASSWORD}},
            both(UNCOUNTED),
        ),
        ("POST", "/api/auth/inspect/", {"body": {"token": alice}}, both(UNCOUNTED)),
        # A refresh token is judged by its login, in the database.
        (
            "POST",
            "/api/auth/token/refresh/",
            {"body": {"refresh": cards["alice_refresh"]["refresh"]}},
            both(OK),
        ),
        (
            "POST",
            "/api/auth/token/verify/",
            {"body": {"token": alice}},
            by_mode(UNCHECKED, OK),
        ),
        ("GET", "/api/auth/me/", {"token": alice}, by_mode(UNCHECKED, OK)),
        ("GET", "/api/auth/logins/", {"token": alice}, by_mode(UNCHECKED, OK)),
        (
            "POST",
            f"/api/auth/logins/{scene.lost_login}/end/",
            {"token": alice},
            by_mode(UNCHECKED, OK),
        ),
        (
            "POST",
            "/api/auth/password/",
            {
                "token": alice,
                "body": {
                    "old_password": DEMO_PASSWORD,
                    "new_password": "a-long-new-password",
                },
            },
            by_mode(UNCHECKED, UNCOUNTED),
        ),
        ("GET", "/api/orders/", {"token": alice}, by_mode(UNCHECKED, OK)),
        (
            "POST",
            "/api/orders/",
            {"token": alice, "body": new_order},
            by_mode(UNCHECKED, UNCOUNTED),
        ),
        (
            "GET",
            f"/api/orders/{orders['cancel']}/",
            {"token": alice},
            by_mode(UNCHECKED, OK),
        ),
        (
            "POST",
            f"/api/orders/{orders['cancel']}/cancel/",
            {"token": alice},
            by_mode(UNCHECKED, OK),
        ),
        ("GET", "/api/kitchen/orders/", {"token": chef}, by_mode(UNCHECKED, OK)),
        (
            "POST",
            f"/api/kitchen/orders/{orders['advance']}/advance/",
            {"token": chef},
            by_mode(UNCHECKED, OK),
        ),
        (
            "POST",
            "/api/auth/logout/",
            {"body": {"refresh": cards["alice_logout"]["refresh"]}},
            by_mode(UNCHECKED, (205, None)),
        ),
        (
            "POST",
            "/api/auth/logout-all/",
            {"token": cards["chef_everywhere"]["access"]},
            by_mode(UNCHECKED, (205, None)),
        ),
    ]
    page_calls = [
        (anonymous, "GET", "/", both(OK)),
        (anonymous, "GET", "/restaurants/", both(OK)),
        (anonymous, "GET", "/restaurants/marios-pizzeria/", both(OK)),
        (anonymous, "GET", "/jwt/", both(OK)),
        (anonymous, "GET", "/workshop/", both(OK)),
        (anonymous, "GET", "/login/", both(OK)),
        (anonymous, "GET", "/admin/login/", both(OK)),
        # A card that cannot be checked is no card: to the login page.
        (browsers["alice"], "GET", "/orders/", by_mode((302, None), OK)),
        (browsers["alice"], "GET", "/cart/", both(OK)),
        (browsers["alice"], "GET", "/account/", by_mode((302, None), OK)),
        (browsers["chef"], "GET", "/kitchen/", by_mode((302, None), OK)),
        (browsers["alice"], "GET", "/jwt/mine/", both(OK)),
        (
            browsers["admin"],
            "GET",
            "/ticket-rail/feed/",
            by_mode((401, "not_authenticated"), OK),
        ),
    ]
    form_calls = [
        (anonymous, "/login/", {"username": "bob", "password": DEMO_PASSWORD}, 503),
        (anonymous, "/register/", {"username": "newcomer", "password": "x" * 12}, 503),
        (
            anonymous,
            "/admin/login/",
            {"username": "admin", "password": DEMO_PASSWORD},
            503,
        ),
        (
            browsers["alice"],
            "/account/password/",
            {
                "old_password": DEMO_PASSWORD,
                "new_password": "a-long-new-password",
                "new_password_again": "a-long-new-password",
            },
            302 if server.instant else 503,
        ),
        (browsers["alice"], "/account/logout/", {}, 503 if server.instant else 302),
    ]

    server.redis.cut()
    answers, lines = {}, []
    for method, path, extra, expected in api_calls:
        answer, written = server.logged(
            lambda method=method, path=path, extra=extra: anonymous.call(
                method, path, extra.get("body"), token=extra.get("token", "")
            )
        )
        answers[f"{method} {path}"] = (answer.status, answer.code)
        lines += written
        assert answers[f"{method} {path}"] == expected[server.mode], answer
    for visitor, method, path, expected in page_calls:
        answer, written = server.logged(
            lambda visitor=visitor, method=method, path=path: visitor.call(method, path)
        )
        lines += written
        assert (answer.status, answer.code) == expected[server.mode], (path, answer)
    # The inspector says why the card cannot be accepted just now.
    mine = browsers["alice"].call("GET", "/jwt/mine/")
    assert mine.body["valid"] is (not server.instant)
    for visitor, path, form, status in form_calls:
        answer = visitor.post_form(path, form)
        assert answer.status == status, (path, answer)
        if status == 503:
            assert "cannot be counted" in answer.text or "ended on every" in answer.text

    # No traceback, and no error but the health check's.
    assert all(line.startswith("time=") for line in lines), lines
    errors = [line for line in lines if "level=error" in line]
    assert all("logger=api.health" in line for line in errors), errors

    server.redis.restore()
    server.wait_until_healthy()
    fresh = anonymous.call(
        "POST", "/api/auth/token/", {"username": "bob", "password": DEMO_PASSWORD}
    )
    assert fresh.status == 200
    me = anonymous.call("GET", "/api/auth/me/", token=fresh.body["access"])
    assert (me.status, me.body["username"]) == (200, "bob")


def test_with_postgres_down_the_api_says_503_in_one_log_line_and_recovers(
    server, scene
):
    anonymous = server.visitor()
    alice = scene.cards["alice"]["access"]
    server.postgres.cut()

    health, lines = server.logged(lambda: anonymous.call("GET", "/healthz"))
    assert (health.status, health.body) == (503, {"status": "unavailable"})
    (line, access) = lines
    assert "event=health part=database error=OperationalError" in line
    assert "status=503" in access

    api_calls = [
        ("GET", "/api/orders/", None, alice),
        (
            "POST",
            "/api/auth/token/",
            {"username": "bob", "password": DEMO_PASSWORD},
            "",
        ),
        ("GET", "/api/menu-items/?search=tiramisu&page=1", None, ""),
    ]
    for method, path, body, token in api_calls:
        answer, lines = server.logged(
            lambda method=method, path=path, body=body, token=token: anonymous.call(
                method, path, body, token=token
            )
        )
        assert answer.status == 503, (path, answer)
        assert answer.body == {
            "detail": "The database is not answering; try again shortly.",
            "code": "database_unavailable",
        }
        (line, access) = lines
        assert "level=error logger=api.errors" in line
        assert "event=database_unavailable" in line
        assert f"path={urllib.parse.urlsplit(path).path}" in line
        assert "error=OperationalError" in line
        assert "status=503" in access

    page, lines = server.logged(lambda: anonymous.call("GET", "/restaurants/"))
    assert page.status == 500
    assert "Something went wrong in the kitchen" in page.text
    (line, access) = lines
    assert "event=database_unavailable path=/restaurants/" in line
    assert "error=OperationalError" in line

    server.postgres.restore()
    server.wait_until_healthy()
    assert anonymous.call("GET", "/api/orders/", token=alice).status == 200
    again = anonymous.call(
        "POST", "/api/auth/token/", {"username": "bob", "password": DEMO_PASSWORD}
    )
    assert again.status == 200
    assert anonymous.call("GET", "/restaurants/").status == 200


def test_a_request_for_a_foreign_host_is_one_log_line(server):
    answer, lines = server.logged(
        lambda: server.visitor().call("GET", "/api/orders/", host="evil.example")
    )
    assert answer.status == 400
    (line, access) = lines
    assert "logger=django.security.DisallowedHost" in line
    assert "event=disallowed_host path=/api/orders/" in line
    assert "error=DisallowedHost" in line
    assert "status=400" in access
