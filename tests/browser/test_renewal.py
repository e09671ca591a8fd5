"""Renewal in Chromium: the refresh cookie stays on /account/, a page of this site
whose card ran out is renewed on the way, another site's link renews nothing."""

from datetime import timedelta
from urllib.parse import urlsplit

import time_machine
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Login
from tests.browser.conftest import log_in, screenshot

ELSEWHERE = "http://elsewhere.test"


def access_ran_out():
    """The server's clock (the live server runs in this process) moved past the
    access token's lifetime; the browser keeps its cookies, which last a day."""
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] + timedelta(minutes=1)
    return time_machine.travel(timezone.now() + lifetime)


def cookies_by_name(page) -> dict[str, dict]:
    """The browser's token cookies."""
    return {
        cookie["name"]: cookie
        for cookie in page.context.cookies()
        if cookie["name"].startswith("delivery_")
    }


def cookie_headers(page, url: str) -> dict[str, str]:
    """The Cookie header the browser sent with each request of a navigation."""
    sent: dict[str, str] = {}
    page.on(
        "request",
        lambda request: sent.setdefault(
            urlsplit(request.url).path, request.all_headers().get("cookie", "")
        ),
    )
    page.goto(url)
    expect(page.locator("[data-notepad-calls]")).to_contain_text("200 OK")
    return sent


def test_the_refresh_cookie_goes_only_to_the_account_pages(person):
    page = person()
    log_in(page, "alice", "/orders/")
    cookies = cookies_by_name(page)
    assert cookies["delivery_access"]["path"] == "/"
    assert cookies["delivery_refresh_token"]["path"] == "/account/"
    sent = cookie_headers(page, "/orders/")
    assert "delivery_access=" in sent["/orders/"]
    assert "delivery_refresh_token" not in sent["/orders/"]
    assert "delivery_refresh_token" not in sent["/api/orders/"]


def test_a_page_whose_card_ran_out_is_renewed_on_the_way(person):
    page = person()
    log_in(page, "alice", "/orders/")
    before = cookies_by_name(page)
    with access_ran_out():
        page.goto("/orders/")
        expect(page.locator(".nav-user")).to_contain_text("alice")
        expect(page.locator("[data-notepad-calls]")).to_contain_text("200 OK")
    after = cookies_by_name(page)
    for name in ("delivery_access", "delivery_refresh_token"):
        assert after[name]["value"] != before[name]["value"]
    assert page.url.endswith("/orders/")
    assert Login.objects.get(user__username="alice").renewed_at is not None
    screenshot(page, "renewed-on-the-way")


def test_a_script_call_whose_card_ran_out_is_renewed_on_the_way(person):
    """My orders was loaded with a valid card; a later call of its script finds
    the card run out, follows the renewal, gets its answer, and the notepad says
    so."""
    page = person()
    log_in(page, "alice", "/orders/")
    expect(page.locator("[data-notepad-calls]")).to_contain_text("200 OK")
    with access_ran_out():
        expect(page.locator("[data-notepad-calls]")).to_contain_text(
            "renewed on the way at /account/renew/"
        )
    expect(page.locator(".call-travel").first).to_contain_text("httpOnly cookie")
    assert Login.objects.get(user__username="alice").renewed_at is not None
    screenshot(page, "notepad-renewed-on-the-way")


def test_a_link_on_another_site_renews_nothing(chromium, demo):
    """A top-level navigation from another site carries the cookies (SameSite=Lax)
    but is not renewed: the page is served anonymous, the cookies stay."""
    context = chromium.new_context(base_url=demo)
    context.route(
        f"{ELSEWHERE}/**",
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<a id="go" href="{demo}/orders/">my orders</a>',
        ),
    )
    page = context.new_page()
    log_in(page, "alice", "/orders/")
    before = cookies_by_name(page)
    with access_ran_out():
        page.goto(f"{ELSEWHERE}/")
        with page.expect_navigation():
            page.click("#go")
        expect(page.locator("main h1")).to_have_text("Log in")
        assert cookies_by_name(page) == before
        assert Login.objects.get(user__username="alice").renewed_at is None
        screenshot(page, "cross-site-link-not-renewed")
        # The person goes on from there, on this site: now it is renewed.
        page.get_by_role("link", name="continue without logging in").click()
        page.wait_for_url("**/orders/")
        expect(page.locator(".nav-user")).to_contain_text("alice")
    assert Login.objects.get(user__username="alice").renewed_at is not None
    context.close()
