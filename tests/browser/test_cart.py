"""The cart in Chromium: what an empty cart shows, and what is left after checkout."""

import pytest
from playwright.sync_api import expect

from orders.models import Order
from tests.browser.conftest import log_in, screenshot
from tests.browser.test_site import add_margherita_to_the_cart, check_out

pytestmark = pytest.mark.browser


def test_an_empty_cart_shows_no_order_table_and_no_checkout(person):
    page = person()
    log_in(page, "alice", "/cart/")
    page.wait_for_load_state("networkidle")
    screenshot(page, "cart-empty")
    expect(page.get_by_text("Your cart is empty.")).to_be_visible()
    expect(page.locator(".cart-table")).to_be_hidden()
    expect(page.get_by_role("button", name="Place order")).to_be_hidden()
    expect(page.locator("[data-cart-count]")).to_be_hidden()

    page.goto("/restaurants/marios-pizzeria/")
    expect(page.get_by_text("Nothing yet: add a dish.")).to_be_visible()
    expect(page.get_by_role("link", name="Go to checkout")).to_be_hidden()


def test_after_checkout_the_cart_shows_the_order_and_no_old_lines(person):
    page = person()
    log_in(page, "alice", "/restaurants/")
    add_margherita_to_the_cart(page)
    expect(page.get_by_role("link", name="Go to checkout")).to_be_visible()
    check_out(page)
    screenshot(page, "cart-after-checkout")
    order = Order.objects.get()
    expect(page.locator("[data-order-placed]")).to_contain_text(f"Order #{order.pk}")
    expect(page.locator("[data-order-placed]")).to_be_focused()
    expect(page.locator(".cart-table")).to_be_hidden()
    expect(page.locator("[data-cart-lines] tr")).to_have_count(0)
    expect(page.get_by_role("button", name="Place order")).to_be_hidden()
    expect(page.locator("[data-cart-count]")).to_be_hidden()

    page.reload()
    expect(page.get_by_text("Your cart is empty.")).to_be_visible()
    expect(page.locator("[data-order-placed]")).to_be_hidden()
    expect(page.locator(".cart-table")).to_be_hidden()
    assert Order.objects.count() == 1
