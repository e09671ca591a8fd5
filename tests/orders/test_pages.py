"""The order pages: the cart, my orders and the kitchen board, shells over the API."""

import pytest
from django.urls import reverse

from tests.conftest import log_in
from tests.factories import RestaurantFactory

CART = reverse("cart-page")
MY_ORDERS = reverse("my-orders-page")
KITCHEN = reverse("kitchen-page")


def test_the_cart_page_is_open_to_anyone(client, db):
    response = client.get(CART)
    assert response.status_code == 200
    content = response.content.decode()
    assert f"{reverse('login-page')}?next={CART}" in content
    assert "data-checkout-form" not in content


def test_the_cart_page_offers_checkout_to_a_card_holder(browser):
    content = browser.get(CART).content.decode()
    assert "data-checkout-form" in content
    assert 'id="delivery_address"' in content
    assert "js/checkout.js" in content


@pytest.mark.parametrize("page", [MY_ORDERS, KITCHEN])
def test_pages_of_orders_send_anonymous_visitors_to_log_in(client, db, page):
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login-page')}?next={page}"


def test_my_orders_page_shows_the_shell_and_restaurant_names(
    browser, pizzeria, django_assert_num_queries
):
    RestaurantFactory.create_batch(3)
    # The restaurants' names, and whether the holder is staff (the navigation).
    with django_assert_num_queries(2):
        response = browser.get(MY_ORDERS)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="restaurant-names"' in content
    assert "Mario" in content
    assert "js/my-orders.js" in content
    assert 'id="notepad"' in content


def test_a_customer_gets_a_clear_kitchen_staff_only_page(browser, user):
    response = browser.get(KITCHEN)
    assert response.status_code == 403
    content = response.content.decode()
    assert "Kitchen staff only" in content
    assert "403 Forbidden" in content
    assert "js/kitchen.js" not in content


def test_the_kitchen_board_shows_the_staffs_restaurant(
    client, chef, django_assert_num_queries
):
    log_in(client, chef)
    # The cook's restaurant, and whether the cook is staff (the navigation).
    with django_assert_num_queries(2):
        response = client.get(KITCHEN)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kitchen board: Mario&#x27;s Pizzeria" in content
    for status in ("placed", "preparing", "ready", "out_for_delivery", "done"):
        assert f'data-column="{status}"' in content
    assert "js/kitchen.js" in content
