"""DEBUG off, as the room is served: every page answers, and an error tells nothing.

The server is gunicorn with DEBUG off over plain HTTP, on a database of its own,
and ``collectstatic`` never ran: the pages must link and serve their files anyway.
"""

import re

import pytest
from django.db import connection

from tests.workshop.servers import (
    Visitor,
    gunicorn,
    manage,
    production_environment,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the server runs on its own SQLite database; once per CI run is enough",
    ),
]

DEMO_PASSWORD = "delivery-demo"  # the documented password of the demo accounts
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
# What Django's debug page and a Python traceback show, and a page must never.
TRACEBACK_SIGNS = ("Traceback", 'File "/', "Exception Value", "SECRET_KEY")

# Every page of the site, and what it answers to each kind of visitor.
ANONYMOUS = {
    "/": 200,
    "/restaurants/": 200,
    "/restaurants/marios-pizzeria/": 200,
    "/restaurants/no-such-place/": 404,
    "/cart/": 200,
    "/orders/": 302,
    "/kitchen/": 302,
    "/jwt/": 200,
    "/login/": 200,
    "/register/": 200,
    "/workshop/": 200,
    "/ticket-rail/": 302,
    "/api/docs/": 200,
    "/api/schema/": 200,
    "/api/restaurants/": 200,
    "/api/orders/": 401,
    "/admin/": 302,
    "/admin/login/": 200,
    "/healthz": 200,
    "/no-such-page/": 404,
}
SIGNED_IN = {
    "alice": {"/orders/": 200, "/kitchen/": 403, "/ticket-rail/": 403, "/cart/": 200},
    "chef": {"/kitchen/": 200, "/orders/": 200},
    "admin": {"/ticket-rail/": 200, "/jwt/": 200, "/workshop/": 200},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo on gunicorn with DEBUG off; static files never collected."""
    folder = tmp_path_factory.mktemp("debug-off")
    env = production_environment(
        folder / "site.sqlite3", STATIC_ROOT=str(folder / "never-collected")
    )
    manage("migrate", "--no-input", env=env)
    manage("seed_demo", "--force", env=env)
    with gunicorn(env, folder / "site.log") as base:
        yield base
    assert not (folder / "never-collected").exists()


def assert_no_traceback(text: str) -> None:
    for sign in TRACEBACK_SIGNS:
        assert sign not in text, f"the answer shows {sign!r}"


def check_pages(visitor: Visitor, expected: dict[str, int]) -> set[str]:
    """Fetch each page, compare its status; the static files the pages link."""
    assets: set[str] = set()
    got = {}
    for path in expected:
        answer = visitor.get(path)
        got[path] = answer.status
        assert_no_traceback(answer.text)
        if answer.headers.get("Content-Type", "").startswith("text/html"):
            assets.update(ASSET.findall(answer.text))
    assert got == expected
    return assets


def test_every_page_answers_its_documented_status_without_collectstatic(site):
    assets = check_pages(Visitor(site), ANONYMOUS)
    for username, expected in SIGNED_IN.items():
        visitor = Visitor(site)
        visitor.log_in(username, DEMO_PASSWORD)
        assets |= check_pages(visitor, expected)

    assert "/static/css/delivery.css" in assets
    assert any(asset.startswith("/static/drf_spectacular_sidecar/") for asset in assets)
    assert any(asset.startswith("/static/admin/") for asset in assets)
    for asset in sorted(assets):
        answer = Visitor(site).get(asset)
        assert answer.status == 200, asset
        assert answer.text, asset


def test_the_room_gets_cookies_it_can_send_back_over_plain_http(site):
    visitor = Visitor(site)
    visitor.log_in("alice", DEMO_PASSWORD)
    cookies = {cookie.name: cookie for cookie in visitor.cookies}
    assert {"delivery_access", "delivery_refresh_token", "csrftoken"} <= set(cookies)
    assert not any(cookie.secure for cookie in cookies.values())
    answer = visitor.get("/orders/")
    assert answer.status == 200
    assert "Strict-Transport-Security" not in answer.headers


def test_a_forced_error_shows_a_plain_page_and_a_log_line(tmp_path):
    """A database without its tables: every page that reads it fails.

    The page is the plain 500 page, the API says 503 in its documented shape, and
    the log names the error; nobody sees a traceback.
    """
    env = production_environment(tmp_path / "never-migrated.sqlite3")
    log = tmp_path / "server.log"
    with gunicorn(env, log) as base:
        page = Visitor(base).get("/restaurants/")
        api = Visitor(base).get("/api/restaurants/")
    assert page.status == 500
    assert "Something went wrong in the kitchen" in page.text
    assert_no_traceback(page.text)
    assert api.status == 503
    assert api.json()["code"] == "database_unavailable"
    assert_no_traceback(api.text)
    lines = [line for line in log.read_text().splitlines() if "level=error" in line]
    assert any("path=/restaurants/" in line for line in lines)
    assert any("path=/api/restaurants/" in line for line in lines)
    assert all("error=OperationalError" in line for line in lines)
