"""The site in Chromium: browse, order, cook, inspect, tamper, and the browsable API.

Each page a person opens is also checked for requests to other hosts, console
errors, script errors and 5xx answers (see ``conftest.person``).
"""

import json
import re

import pytest
from playwright.sync_api import expect

from menu.models import MenuItem
from orders.models import Order, OrderStatus
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def add_margherita_to_the_cart(page) -> None:
    page.goto("/restaurants/marios-pizzeria/")
    page.get_by_role("button", name="Add Margherita Pizza to the cart").click()
    expect(page.locator("[data-summary-lines]")).to_contain_text("Margherita Pizza")


def check_out(page, *, double_click: bool = False) -> None:
    page.get_by_role("link", name=re.compile(r"^Cart")).click()
    expect(page.locator("[data-cart-lines]")).to_contain_text("Margherita Pizza")
    page.fill("#delivery_address", "1 Main Street")
    button = page.get_by_role("button", name="Place order")
    if double_click:
        button.dblclick()
    else:
        button.click()
    expect(page.locator("[data-order-placed]")).to_contain_text("is placed")


def test_an_anonymous_visitor_browses_a_menu(person):
    page = person()
    page.goto("/")
    expect(page.locator(".diagram")).to_contain_text("The waiter")
    screenshot(page, "home")
    page.get_by_role("link", name="Restaurants", exact=True).click()
    expect(page.get_by_role("link", name="Mario's Pizzeria")).to_be_visible()
    screenshot(page, "restaurants")
    page.get_by_role("link", name="Mario's Pizzeria").click()
    expect(page.get_by_role("heading", name="Margherita Pizza")).to_be_visible()
    screenshot(page, "menu")


def test_alice_orders_and_sees_the_kitchen_move_it_without_a_reload(person):
    alice = person()
    log_in(alice, "alice", "/restaurants/")
    add_margherita_to_the_cart(alice)
    check_out(alice)
    screenshot(alice, "cart")
    order = Order.objects.get()
    assert order.customer.username == "alice"
    assert [line.name for line in order.items.all()] == ["Margherita Pizza"]

    alice.get_by_role("link", name="Follow it in My orders").click()
    card = alice.locator(f"#order-{order.pk}")
    expect(card.locator(".status")).to_have_text("Placed")
    expect(card).to_contain_text("Margherita Pizza")
    expect(card).to_contain_text(str(order.total))
    alice.evaluate("window.notReloaded = true")
    screenshot(alice, "orders")

    chef = person()
    log_in(chef, "chef", "/kitchen/")
    ticket = chef.locator(f'[data-column="placed"] [data-order-id="{order.pk}"]')
    expect(ticket).to_contain_text("alice")
    ticket.get_by_role("button", name="Move to Preparing").click()
    expect(
        chef.locator(f'[data-column="preparing"] [data-order-id="{order.pk}"]')
    ).to_be_visible()
    screenshot(chef, "kitchen")
    order.refresh_from_db()
    assert order.status == OrderStatus.PREPARING

    expect(card.locator(".status")).to_have_text("Preparing", timeout=15_000)
    assert alice.evaluate("window.notReloaded") is True
    expect(alice.locator("[data-notepad-calls]")).to_contain_text(
        "httpOnly cookie — JavaScript cannot read it"
    )


def test_a_double_click_on_checkout_places_one_order(person):
    page = person()
    log_in(page, "alice", "/restaurants/")
    add_margherita_to_the_cart(page)
    check_out(page, double_click=True)
    page.wait_for_load_state("networkidle")
    assert Order.objects.count() == 1


def test_field_errors_from_the_api_appear_next_to_the_fields(person):
    page = person()
    log_in(page, "alice", "/restaurants/")
    add_margherita_to_the_cart(page)
    page.goto("/cart/")
    page.get_by_role("button", name="Place order").click()
    expect(page.locator('[data-error-for="delivery_address"]')).to_have_text(
        "This field may not be blank."
    )
    expect(page.locator("[data-notepad-calls]")).to_contain_text("400 Bad Request")
    assert not Order.objects.exists()


def test_no_token_is_readable_by_the_pages_javascript(person):
    """Neither card nor CSRF token: the pages take the CSRF token from the page."""
    page = person()
    log_in(page, "alice", "/orders/")
    cookies = page.evaluate("document.cookie")
    assert "delivery_access" not in cookies
    assert "delivery_refresh" not in cookies
    assert "csrftoken" not in cookies
    assert "eyJ" not in cookies
    stored = page.evaluate(
        "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )
    assert "eyJ" not in stored
    names = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert names["delivery_access"]["httpOnly"] is True
    assert names["delivery_refresh_token"]["httpOnly"] is True
    assert names["csrftoken"]["httpOnly"] is True
    # The unsafe requests of the pages still pass Django's CSRF check.
    add_margherita_to_the_cart(page)
    check_out(page)
    assert Order.objects.count() == 1
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_the_inspector_explains_alices_token_and_the_tamper_lab_gets_a_401(person):
    page = person()
    log_in(page, "alice", "/jwt/")
    page.get_by_role("button", name="Inspect my token").click()
    payload = page.locator("[data-payload-claims]")
    expect(payload).to_contain_text('username: "alice"')
    expect(payload).to_contain_text('role: "customer"')
    expect(payload).to_contain_text("Who the card speaks for")
    expect(page.locator("[data-verdict]")).to_have_text(
        "Valid: the server accepts this token."
    )
    expect(page.locator("[data-countdown]")).to_contain_text("Expires in 1")
    expect(page.locator("[data-signature]")).to_contain_text("withheld")
    expect(page.locator("[data-token-raw] .part-header")).to_be_visible()

    page.fill("#lab-password", "delivery-demo")
    page.get_by_role("button", name="Get a lab token").click()
    page.get_by_role("button", name="Make me kitchen staff").click()
    assert json.loads(page.input_value("#lab-payload"))["role"] == "kitchen"
    page.get_by_role("button", name="Re-encode with the old signature").click()
    page.get_by_role("button", name="Send it to the waiter").click()
    expect(page.locator('.lab-answer[data-status="401"]')).to_contain_text(
        "old signature does not match"
    )
    page.get_by_role("button", name="Send the untouched token").click()
    expect(page.locator('.lab-answer[data-status="403"]')).to_be_visible()
    notepad = page.locator("[data-notepad-calls]")
    expect(notepad).to_contain_text("Bearer header")
    expect(notepad).to_contain_text("401 Unauthorized")
    screenshot(page, "jwt")


def test_the_browsable_api_places_an_order(person):
    dish = MenuItem.objects.get(name="Margherita Pizza")
    page = person()
    page.goto("/api/orders/")
    expect(page.locator(".response-info")).to_contain_text("HTTP 401 Unauthorized")
    page.get_by_role("link", name="Log in").click()
    page.fill("#id_username", "alice")
    page.fill("#id_password", "delivery-demo")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/api/orders/")
    expect(page.locator(".navbar")).to_contain_text("alice")
    page.click("a[name=raw-tab][href='#post-generic-content-form']")
    body = {
        "items": [{"menu_item": dish.pk, "quantity": 2}],
        "delivery_address": "1 Main Street",
    }
    page.fill("#post-generic-content-form textarea", json.dumps(body))
    page.click("#post-generic-content-form button:has-text('POST')")
    expect(page.locator(".response-info")).to_contain_text("HTTP 201 Created")
    screenshot(page, "api-orders")
    order = Order.objects.get()
    assert order.customer.username == "alice"
    assert order.items.get().quantity == 2


def test_the_api_docs_come_from_this_server(person):
    page = person()
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Delivery API")
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    screenshot(page, "api-docs")


@pytest.mark.parametrize(
    ("username", "path"),
    [
        (None, "/"),
        (None, "/restaurants/"),
        (None, "/restaurants/marios-pizzeria/"),
        ("alice", "/cart/"),
        ("alice", "/orders/"),
        ("alice", "/jwt/"),
        ("chef", "/kitchen/"),
        ("alice", "/kitchen/"),
        (None, "/login/"),
    ],
)
def test_the_pages_fit_a_phone(person, username, path):
    page = person(width=PHONE_WIDTH, height=844)
    if username:
        log_in(page, username, "/restaurants/")
        add_margherita_to_the_cart(page)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{path} is {width}px wide"
    name = path.strip("/").replace("/", "-") or "home"
    screenshot(page, f"phone-{username or 'anonymous'}-{name}")
