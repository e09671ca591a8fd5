"""The order lists page by cursor: newest first, each page read from where the
last ended, at two queries a page however long the history, and none lost or
repeated while orders are placed between pages."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from orders.models import ACTIVE_STATUSES, FINISHED_STATUSES, Order
from orders.selectors import RECENT_HOURS
from tests.conftest import bearer_client, throttle_rates
from tests.factories import UserFactory
from tests.orders.conftest import build_history, order_body

ORDERS = reverse("order-list")
KITCHEN = reverse("kitchen-order-list")
PAGE_SIZE = 20
NOW = datetime(2026, 5, 4, 19, 30, tzinfo=UTC)
RECENT = timedelta(hours=RECENT_HOURS)


def newest_first(orders) -> list[int]:
    return [
        order.pk
        for order in sorted(orders, key=lambda o: (o.created_at, o.pk), reverse=True)
    ]


def path_of(link: str) -> str:
    return link.removeprefix("http://testserver")


def every_page(client, url, params=None, *, between=None, budget=None):
    """The ids of every page, following ``next``; ``between`` runs before each
    page but the first, ``budget`` checks each page's queries."""
    seen, page = [], client.get(url, params)
    while True:
        assert page.status_code == 200, page.content
        body = page.json()
        assert set(body) == {"next", "previous", "results"}
        assert len(body["results"]) <= PAGE_SIZE
        seen += [order["id"] for order in body["results"]]
        if body["next"] is None:
            return seen
        if between is not None:
            between()
        if budget is None:
            page = client.get(path_of(body["next"]))
        else:
            with budget(2):
                page = client.get(path_of(body["next"]))


@pytest.fixture
def busy_customers(settings):
    """Room to place an order between every two pages (the rate is 30 a minute)."""
    throttle_rates(settings, place_order="1000/min")


@pytest.fixture
def history(pizzeria, sushi, alice, bob):
    """3,000 orders: 2,400 at the pizzeria (alice's and bob's), 600 elsewhere."""
    return (
        build_history(pizzeria, [alice, bob], count=2400, now=NOW),
        build_history(sushi, [UserFactory()], count=600, now=NOW),
    )


# --- a customer's orders ------------------------------------------------------------


def test_no_orders_is_one_query_and_an_empty_page(
    alice_client, db, django_assert_num_queries
):
    with django_assert_num_queries(1):
        body = alice_client.get(ORDERS).json()
    assert body == {"next": None, "previous": None, "results": []}


def test_a_customers_pages_hold_all_their_orders_newest_first(
    history, alice, alice_client, django_assert_num_queries
):
    pizzeria_orders, _ = history
    own = [order for order in pizzeria_orders if order.customer_id == alice.pk]
    with django_assert_num_queries(2):
        first = alice_client.get(ORDERS).json()
    assert first["previous"] is None
    seen = every_page(alice_client, ORDERS, budget=django_assert_num_queries)
    assert seen == newest_first(own)
    assert len(seen) == 1200


def test_previous_leads_back_to_the_same_pages(history, alice_client):
    first = alice_client.get(ORDERS).json()
    second = alice_client.get(path_of(first["next"])).json()
    third = alice_client.get(path_of(second["next"])).json()
    back = alice_client.get(path_of(third["previous"])).json()
    assert back["results"] == second["results"]
    again = alice_client.get(path_of(back["previous"])).json()
    assert again["results"] == first["results"]
    assert again["previous"] is None


def test_orders_placed_between_pages_neither_repeat_nor_hide_others(
    history, alice, alice_client, margherita, busy_customers
):
    before = set(Order.objects.filter(customer=alice).values_list("pk", flat=True))
    placed = []

    def place_one():
        body = order_body((margherita, 1))
        answer = alice_client.post(ORDERS, body, format="json")
        placed.append(answer.json()["id"])

    seen = every_page(alice_client, ORDERS, between=place_one)
    assert len(seen) == len(set(seen)) == len(before)
    assert set(seen) == before
    assert len(placed) == len(before) // PAGE_SIZE - 1
    # Placed after the first page was read, so newer than every order it paged.
    assert set(placed).isdisjoint(seen)


# --- the kitchen's board -------------------------------------------------------------


def the_work(orders) -> list[int]:
    since = NOW - RECENT
    return newest_first(
        order
        for order in orders
        if order.status in ACTIVE_STATUSES or order.created_at >= since
    )


def test_the_board_shows_the_work_and_the_recent_orders_newest_first(
    history, chef, django_assert_num_queries
):
    pizzeria_orders, _ = history
    with time_machine.travel(NOW, tick=False):
        client = bearer_client(chef)
        seen = every_page(client, KITCHEN, budget=django_assert_num_queries)
    shown = Order.objects.in_bulk(seen)
    assert seen == the_work(pizzeria_orders)
    # The work of the day, the old orders still in the kitchen, and the orders
    # placed in the last three hours, finished or not; none of the 2,000-odd
    # older finished orders.
    assert {shown[pk].status for pk in seen} == {*ACTIVE_STATUSES, *FINISHED_STATUSES}
    assert sum(shown[pk].created_at < NOW - timedelta(days=1) for pk in seen) == 5
    assert all(
        shown[pk].created_at >= NOW - RECENT
        for pk in seen
        if shown[pk].status in FINISHED_STATUSES
    )
    # 12 orders of the day, 5 forgotten ones, 14 finished ones of the last three
    # hours (one order every seven minutes).
    assert len(seen) == 12 + 5 + 14


def test_a_finished_order_leaves_the_board_three_hours_after_it_was_placed(
    chef, pizzeria, alice
):
    (order,) = build_history(pizzeria, [alice], count=1, now=NOW)
    Order.objects.filter(pk=order.pk).update(status="delivered")
    for later, shown in [
        (RECENT, True),
        (RECENT + timedelta(microseconds=1), False),
    ]:
        with time_machine.travel(order.created_at + later, tick=False):
            results = bearer_client(chef).get(KITCHEN).json()["results"]
        assert ([o["id"] for o in results] == [order.pk]) is shown


def test_an_order_still_in_the_kitchen_stays_on_the_board_however_old(
    chef, pizzeria, alice
):
    (order,) = build_history(pizzeria, [alice], count=1, now=NOW)
    assert order.status == "placed"
    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        results = bearer_client(chef).get(KITCHEN).json()["results"]
    assert [o["id"] for o in results] == [order.pk]


def test_the_works_pages_lead_back_to_the_same_pages(history, chef):
    """The last page ends with the orders forgotten in the kitchen, read from the
    other list; its ``previous`` link leads back to the same first page."""
    pizzeria_orders, _ = history
    forgotten = newest_first(
        o for o in pizzeria_orders[12:] if o.status in ACTIVE_STATUSES
    )
    with time_machine.travel(NOW, tick=False):
        client = bearer_client(chef)
        pages = [client.get(KITCHEN).json()]
        while pages[-1]["next"]:
            pages.append(client.get(path_of(pages[-1]["next"])).json())
        back = [pages[-1]]
        while back[-1]["previous"]:
            back.append(client.get(path_of(back[-1]["previous"])).json())
    assert len(pages) == len(back) == 2
    assert [p["results"] for p in back[::-1]] == [p["results"] for p in pages]
    assert [o["id"] for o in pages[-1]["results"][-5:]] == forgotten


def test_the_whole_history_pages_every_order_once_while_orders_come_in(
    history, chef, alice, margherita, busy_customers, django_assert_num_queries
):
    pizzeria_orders, _ = history
    placed = []

    def the_kitchen_is_busy():
        answer = bearer_client(alice).post(
            ORDERS, order_body((margherita, 2)), format="json"
        )
        placed.append(answer.json()["id"])
        bearer_client(chef).post(reverse("kitchen-order-advance", args=[placed[0]]))

    with time_machine.travel(NOW, tick=True):
        seen = every_page(
            bearer_client(chef),
            KITCHEN,
            {"show": "all"},
            between=the_kitchen_is_busy,
            budget=django_assert_num_queries,
        )
    assert len(seen) == len(set(seen)) == 2400
    assert seen == newest_first(pizzeria_orders)
    assert set(placed).isdisjoint(seen)
    assert len(placed) == 2400 // PAGE_SIZE - 1


def test_one_status_pages_through_the_whole_history(history, chef):
    pizzeria_orders, _ = history
    with time_machine.travel(NOW, tick=False):
        client = bearer_client(chef)
        cancelled = every_page(client, KITCHEN, {"status": "cancelled", "show": "all"})
        recent = every_page(client, KITCHEN, {"status": "cancelled"})
    every_cancelled = [o for o in pizzeria_orders if o.status == "cancelled"]
    assert cancelled == newest_first(every_cancelled)
    assert recent == the_work(every_cancelled)
    assert 0 < len(recent) < len(cancelled)


@pytest.mark.parametrize(
    "query",
    [{"show": "history"}, {"show": ""}, {"status": "burnt"}, {"status": ""}],
)
def test_a_filter_the_board_does_not_know_is_a_400(chef_client, query):
    answer = chef_client.get(KITCHEN, query)
    assert answer.status_code == 400
    assert list(answer.json()) == list(query)
