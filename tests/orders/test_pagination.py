"""Pages of orders: a first page with room to spare is read without a COUNT(*).

api.pagination.ShortFirstPagePaginator skips the count only when the first page
proves it; these tests hold its answers to what Django's paginator would say.
"""

import pytest
from django.urls import reverse

from orders import services

ORDERS = reverse("order-list")
PAGE_SIZE = 20


def place_many(customer, dish, count: int) -> list[int]:
    line = services.OrderLineRequest(menu_item_id=dish.pk, quantity=1)
    return [
        services.place_order(
            customer_id=customer.pk, lines=[line], delivery_address="1 Page Street"
        ).order.pk
        for _ in range(count)
    ]


def test_no_orders_is_one_query_and_an_empty_page(
    alice_client, db, django_assert_num_queries
):
    with django_assert_num_queries(1):
        body = alice_client.get(ORDERS).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize("count", [1, PAGE_SIZE - 1])
def test_a_short_first_page_is_the_whole_list(
    alice, alice_client, margherita, count, django_assert_num_queries
):
    placed = place_many(alice, margherita, count)
    with django_assert_num_queries(2):
        body = alice_client.get(ORDERS).json()
    assert body["count"] == count
    assert body["next"] is None
    assert [order["id"] for order in body["results"]] == placed[::-1]


def test_a_full_first_page_is_counted(
    alice, alice_client, margherita, django_assert_num_queries
):
    place_many(alice, margherita, PAGE_SIZE)
    with django_assert_num_queries(3):
        body = alice_client.get(ORDERS).json()
    assert body["count"] == PAGE_SIZE
    assert body["next"] is None
    assert len(body["results"]) == PAGE_SIZE


def test_pages_cover_every_order_once_newest_first(
    alice, alice_client, margherita, django_assert_num_queries
):
    placed = place_many(alice, margherita, 2 * PAGE_SIZE + 1)
    first = alice_client.get(ORDERS).json()
    assert first == alice_client.get(ORDERS, {"page": "1"}).json()
    assert first["count"] == 2 * PAGE_SIZE + 1
    assert first["previous"] is None
    assert first["next"].endswith("?page=2")
    with django_assert_num_queries(3):
        second = alice_client.get(ORDERS, {"page": "2"}).json()
    third = alice_client.get(ORDERS, {"page": "3"}).json()
    assert second["count"] == third["count"] == 2 * PAGE_SIZE + 1
    assert third["next"] is None
    seen = [o["id"] for page in (first, second, third) for o in page["results"]]
    assert seen == placed[::-1]
    assert alice_client.get(ORDERS, {"page": "4"}).status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "1.0", "01x", "last", ""])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_404(
    alice, alice_client, margherita, page
):
    place_many(alice, margherita, 1)
    response = alice_client.get(ORDERS, {"page": page})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
