"""The account page in Chromium: two devices of one person, one ended from the
other, then a new password that ends every other login and keeps this one."""

from playwright.sync_api import expect
from rest_framework.test import APIClient

from tests.browser.conftest import DEMO_PASSWORD, log_in, screenshot

ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
NEW_PASSWORD = "a-fresh-passphrase-for-today"


def signed_in(page) -> str:
    return page.locator("body").get_attribute("data-signed-in")


def test_a_person_ends_their_phones_login_then_changes_their_password(person, settings):
    """Instant revocation is on, so the phone's next page already finds its card
    refused; without it, its access token would work until it ran out."""
    settings.JWT_INSTANT_REVOCATION = True
    laptop = person()
    log_in(laptop, "alice", "/account/")
    phone = person(width=390, height=844, user_agent=ANDROID)
    log_in(phone, "alice", "/account/")
    expect(phone.locator("[data-current]")).to_contain_text("Chrome on Android")
    screenshot(phone, "account-phone")

    laptop.reload()
    rows = laptop.locator("[data-logins] tbody tr")
    expect(rows).to_have_count(2)
    this_device = laptop.locator("[data-current]")
    expect(this_device).to_contain_text("this device")
    expect(this_device.get_by_role("button", name="End this login")).to_have_count(0)
    phone_row = rows.filter(has_text="Chrome on Android")
    expect(phone_row).to_contain_text("127.0.0.1")
    screenshot(laptop, "account-two-logins")

    phone_row.get_by_role("button", name="End this login").click()
    expect(laptop.locator(".messages")).to_contain_text(
        "The login of Chrome on Android since"
    )
    expect(rows).to_have_count(1)
    expect(laptop.locator("[data-ended-logins]")).to_contain_text(
        "Ended from another login"
    )
    screenshot(laptop, "account-phone-ended")

    phone.goto("/orders/")
    phone.wait_for_url("**/login/?next=/orders/")
    assert signed_in(phone) == "false"
    screenshot(phone, "account-phone-signed-out")

    script = APIClient(HTTP_USER_AGENT="curl/8.5.0")
    pair = script.post(
        "/api/auth/token/",
        {"username": "alice", "password": DEMO_PASSWORD},
        format="json",
    ).json()
    laptop.reload()
    expect(rows.filter(has_text="curl/8.5.0")).to_have_count(1)

    laptop.fill("#id_old_password", "not-my-password")
    laptop.fill("#id_new_password", NEW_PASSWORD)
    laptop.fill("#id_new_password_again", NEW_PASSWORD)
    laptop.get_by_role("button", name="Change password").click()
    expect(laptop.locator(".field-error")).to_contain_text("entered incorrectly")
    screenshot(laptop, "account-password-refused")

    laptop.fill("#id_old_password", DEMO_PASSWORD)
    laptop.fill("#id_new_password", NEW_PASSWORD)
    laptop.fill("#id_new_password_again", NEW_PASSWORD)
    laptop.get_by_role("button", name="Change password").click()
    expect(laptop.locator(".messages")).to_contain_text(
        "Your password is changed. 1 other login ended; this device stays logged in."
    )
    expect(rows).to_have_count(1)
    expect(laptop.locator("[data-current]")).to_have_count(1)
    screenshot(laptop, "account-password-changed")
    laptop.set_viewport_size({"width": 390, "height": 844})
    screenshot(laptop, "account-password-changed-narrow")
    refused = script.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]})
    assert refused.status_code == 401

    laptop.goto("/orders/")
    assert signed_in(laptop) == "true"
    expect(laptop.locator(".nav-user")).to_contain_text("alice")
