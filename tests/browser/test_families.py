"""The token inspector in Chromium draws a login's family: a phone's login renewed,
then ended by a replayed refresh token, as its owner sees it from another login."""

from datetime import timedelta

from playwright.sync_api import expect
from rest_framework.test import APIClient

from tests.browser.conftest import DEMO_PASSWORD, log_in, screenshot

PHONE = "Delivery/1.0 (a phone)"


def test_the_owner_sees_a_stolen_refresh_token_end_their_phones_login(person, settings):
    settings.JWT_REFRESH_GRACE_PERIOD = timedelta(0)
    phone = APIClient(HTTP_USER_AGENT=PHONE)
    first = phone.post(
        "/api/auth/token/",
        {"username": "alice", "password": DEMO_PASSWORD},
        format="json",
    ).json()
    renewed = phone.post("/api/auth/token/refresh/", {"refresh": first["refresh"]})
    assert renewed.status_code == 200
    replay = APIClient().post("/api/auth/token/refresh/", {"refresh": first["refresh"]})
    assert replay.status_code == 401

    page = person()
    log_in(page, "alice", "/jwt/")
    page.fill("#token-input", first["refresh"])
    page.get_by_role("button", name="Inspect", exact=True).click()
    family = page.locator("[data-family]")
    expect(family).to_be_visible()
    expect(page.locator("[data-family-summary]")).to_contain_text(
        "ended: a traded-in refresh token came back"
    )
    steps = page.locator("[data-family-steps] > li")
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text("Born")
    expect(steps.nth(1)).to_contain_text("Renewed")
    expect(steps.nth(2)).to_contain_text("Ended")
    expect(steps.nth(2)).to_contain_text("the thief's and the owner's")
    expect(page.locator(".family-step-this")).to_have_count(3)
    expect(page.locator("[data-verdict]")).to_contain_text("Not valid")
    screenshot(page, "jwt-family")

    stranger = person()
    stranger.goto("/jwt/")
    stranger.fill("#token-input", first["refresh"])
    stranger.get_by_role("button", name="Inspect", exact=True).click()
    expect(stranger.locator("[data-family-summary]")).to_contain_text(
        "Only the owner of this card"
    )
    expect(stranger.locator("[data-family-steps] > li")).to_have_count(0)
    screenshot(stranger, "jwt-family-stranger")
