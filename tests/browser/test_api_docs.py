"""Swagger UI in Chromium: authorize with a pasted token, then try the API out."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.services import issue_token_pair
from orders.models import Order
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_a_pasted_token_and_the_default_order_place_an_order(person):
    page = person()
    alice = User.objects.get(username="alice")
    access = str(issue_token_pair(user=alice).access)
    page.goto("/api/docs/")
    page.get_by_role("button", name="Authorize").click()
    dialog = page.locator(".dialog-ux")
    first_scheme = dialog.locator("form").first
    expect(first_scheme).to_contain_text("bearerAuth")
    first_scheme.locator("input").fill(access)
    screenshot(page, "api-docs-authorize")
    first_scheme.locator("button", has_text="Authorize").click()
    expect(first_scheme).to_contain_text("Authorized")
    first_scheme.get_by_role("button", name="Close").click()

    me = page.locator("#operations-auth-auth_me_retrieve")
    me.locator(".opblock-summary").click()
    me.get_by_role("button", name="Try it out").click()
    me.get_by_role("button", name="Execute").click()
    expect(me.locator(".live-responses-table tbody .response-col_status")).to_have_text(
        "200"
    )
    expect(me.locator(".live-responses-table")).to_contain_text('"username": "alice"')

    order = page.locator("#operations-orders-orders_create")
    order.locator(".opblock-summary").click()
    order.get_by_role("button", name="Try it out").click()
    order.get_by_role("button", name="Execute").click()
    expect(
        order.locator(".live-responses-table tbody .response-col_status")
    ).to_have_text("201")
    screenshot(page, "api-docs-order-placed")
    placed = Order.objects.get()
    assert placed.customer == alice
    assert [item.name for item in placed.items.order_by("id")] == [
        "Margherita Pizza",
        "Garlic Bread",
    ]
