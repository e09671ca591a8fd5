"""A real browser against a real server: Debian's Chromium driven by Playwright.

Each test gets the demo data and a live server; each person in a test gets a
browser context of their own (their own cookies), with every request, console
message and page error recorded. A person's page that asked another host for
anything, logged a console error or raised a script error fails the test.
"""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.chromium import ARTIFACTS, EXPECTED_REFUSAL, launched_chromium

DEMO_PASSWORD = "delivery-demo"  # the documented password of the demo users
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium() -> Iterator:
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def demo(transactional_db, live_server) -> str:
    """The demo data on a live server; returns the server's address."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    return live_server.url


@dataclass
class Witness:
    """What one person's browser did that a test should know about."""

    origin: str
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def watch(self, page) -> None:
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_request(self, request) -> None:
        url = request.url
        if urlsplit(url).scheme in {"data", "blob", "about"}:
            return
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(url)

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.url}")

    def _on_console(self, message) -> None:
        if message.type == "error" and not message.text.startswith(EXPECTED_REFUSAL):
            self.console_errors.append(message.text)


@pytest.fixture
def person(chromium, demo) -> Iterator[Callable[..., object]]:
    """Open a browser of its own for each person; check what each did at the end."""
    contexts, witnesses = [], []

    def open_page(width: int = 1280, height: int = 900, user_agent: str | None = None):
        context = chromium.new_context(
            viewport={"width": width, "height": height},
            base_url=demo,
            user_agent=user_agent,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        witness = Witness(origin=demo)
        witness.watch(page)
        witnesses.append(witness)
        return page

    yield open_page
    for context in contexts:
        context.close()
    for witness in witnesses:
        assert witness.foreign_requests == [], "a page asked another host"
        assert witness.page_errors == [], "a script failed"
        assert witness.console_errors == [], "the console shows errors"
        assert witness.server_errors == [], "the server answered 5xx"


def log_in(page, username: str, next_path: str = "/") -> None:
    """Log in through the login page, as a person would."""
    page.goto(f"/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def screenshot(page, name: str) -> None:
    """Save the whole page as test-artifacts/browser-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"browser-{name}.png", full_page=True)


@pytest.fixture(scope="session", autouse=True)
def _fresh_artifacts() -> None:
    """Keep the screenshots of this run only."""
    for old in ARTIFACTS.glob("browser-*.png"):
        old.unlink()
