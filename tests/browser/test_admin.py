"""The instructor in Chromium: makes a cook in the admin, and reads the ticket rail."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role, User
from tests.browser.conftest import DEMO_PASSWORD, log_in, screenshot

pytestmark = pytest.mark.browser

READABLE_TIME = re.compile(r"^\d{1,2}:\d{2}:\d{2}( [AP]M)?$")


def test_the_instructor_makes_alice_a_cook_and_she_sees_the_kitchen(person):
    admin = person()
    log_in(admin, "admin", "/restaurants/")
    expect(admin.locator(".nav-user")).to_contain_text("staff")
    expect(admin.locator(".nav-user")).not_to_contain_text("customer")
    admin.get_by_role("link", name="Admin", exact=True).click()
    # The admin keeps Django's own session: a second login, at its own door.
    admin.fill("#id_username", "admin")
    admin.fill("#id_password", DEMO_PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.get_by_role("link", name="Users").click()
    admin.get_by_role("link", name="alice", exact=True).click()

    admin.select_option("#id_role", "kitchen")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".field-restaurant .errorlist")).to_have_text(
        "Kitchen staff need a restaurant."
    )
    screenshot(admin, "admin-cook-without-restaurant")
    assert User.objects.get(username="alice").role == Role.CUSTOMER

    admin.select_option("#id_restaurant", label="Mario's Pizzeria")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")
    screenshot(admin, "admin-cook-saved")
    alice = User.objects.get(username="alice")
    assert (alice.role, alice.restaurant.slug) == (Role.KITCHEN, "marios-pizzeria")

    cook = person()
    log_in(cook, "alice", "/kitchen/")
    expect(
        cook.get_by_role("heading", name=re.compile("Mario's Pizzeria"))
    ).to_be_visible()
    expect(cook.locator(".nav-user")).to_contain_text("kitchen")


def test_the_ticket_rail_shows_readable_times_and_keeps_them_readable(person):
    admin = person()
    log_in(admin, "admin", "/ticket-rail/")
    first = admin.locator("[data-ticket-rail] tbody tr time").first
    expect(first).to_have_text(READABLE_TIME)
    expect(first).to_have_attribute("datetime", re.compile(r"Z$"))

    alice = person()
    with admin.expect_response("**/ticket-rail/feed/"):
        log_in(alice, "alice", "/")
    rows = admin.locator("[data-ticket-rail] tbody tr")
    expect(rows.first).to_contain_text("alice", timeout=10_000)
    for time in rows.locator("time").all():
        expect(time).to_have_text(READABLE_TIME)
    screenshot(admin, "ticket-rail")
