"""How often one customer may place orders: 429 with Retry-After past the rate."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from tests.conftest import throttle_rates
from tests.orders.conftest import order_body

ORDERS = reverse("order-list")


@pytest.fixture
def rate(settings):
    throttle_rates(settings, place_order="3/min")


def place(client, dish, **headers):
    return client.post(ORDERS, order_body((dish, 1)), format="json", **headers)


def test_a_customer_placing_orders_too_fast_gets_a_429(alice_client, margherita, rate):
    for _ in range(3):
        assert place(alice_client, margherita).status_code == 201
    refused = place(alice_client, margherita)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"
    assert set(refused.json()) == {"detail", "code"}
    assert Order.objects.count() == 3


def test_the_order_rate_is_per_customer_and_counts_only_placing(
    alice_client, bob_client, margherita, rate
):
    for _ in range(3):
        place(alice_client, margherita)
    assert place(alice_client, margherita).status_code == 429
    assert place(bob_client, margherita).status_code == 201
    assert alice_client.get(ORDERS).status_code == 200
    order = Order.objects.filter(customer__username="alice").first()
    assert alice_client.get(reverse("order-detail", args=[order.pk])).status_code == 200
    cancel = alice_client.post(reverse("order-cancel", args=[order.pk]))
    assert cancel.status_code == 200


def test_a_customer_may_order_again_once_the_minute_is_over(
    alice_client, margherita, rate
):
    for _ in range(3):
        place(alice_client, margherita)
    assert place(alice_client, margherita).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert place(alice_client, margherita).status_code == 201


def test_an_order_that_cannot_be_counted_is_a_503_and_not_placed(
    alice_client, margherita, redis_down
):
    response = place(alice_client, margherita)
    assert response.status_code == 503
    assert response.json()["code"] == "throttle_unavailable"
    assert not Order.objects.exists()
