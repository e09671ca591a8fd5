"""The kitchen's work read as two index walks (orders.board_walks): the same pages
as the work asked as one filter, and, on PostgreSQL, plans that read no more rows
than a page returns, give or take a page."""

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.pagination import NewestFirstPagination
from bench.plans import judge, only_reads
from orders import selectors
from orders.board_walks import Walks
from orders.models import Order
from tests.conftest import bearer_client
from tests.factories import UserFactory
from tests.orders.conftest import build_history

KITCHEN = reverse("kitchen-order-list")
NOW = datetime(2026, 5, 4, 19, 30, tzinfo=UTC)
PAGE_SIZE = 20


@pytest.fixture
def history(pizzeria, sushi, alice, bob):
    """3,000 orders: 2,400 at the pizzeria, 600 elsewhere."""
    return (
        build_history(pizzeria, [alice, bob], count=2400, now=NOW),
        build_history(sushi, [UserFactory()], count=600, now=NOW),
    )


def pages(source, *, backwards_from: str | None = None) -> list[dict]:
    """Every page of ``source`` as DRF's cursor pages give it, following ``next``
    (or, from a cursor, ``previous``): each page's ids and links."""
    found, cursor = [], backwards_from
    while True:
        query = {"cursor": cursor} if cursor else {}
        request = Request(APIRequestFactory().get(KITCHEN, query))
        paginator = NewestFirstPagination()
        rows = paginator.paginate_queryset(source, request)
        found.append(
            {
                "ids": [row.pk for row in rows],
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
            }
        )
        link = found[-1]["previous" if backwards_from else "next"]
        if link is None:
            return found
        cursor = parse_qs(urlsplit(link).query)["cursor"][0]


def the_work(chef) -> tuple:
    return selectors.kitchens_work(selectors.kitchen_orders(kitchen_user_id=chef.pk))


def test_the_walks_page_as_the_work_asked_as_one_filter(history, chef):
    pizzeria_orders, _ = history
    # Orders placed in the same microsecond: the pages then start within them.
    tied = [o.pk for o in pizzeria_orders[14:40]]
    Order.objects.filter(pk__in=tied).update(created_at=NOW - timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        recent, older = the_work(chef)
        walked, filtered = pages(Walks(recent, older)), pages(recent | older)
        assert walked == filtered
        assert len(walked) > 2
        back_walked = pages(Walks(recent, older), backwards_from=walked[-1]["next"])
    assert back_walked == pages(recent | older, backwards_from=filtered[-1]["next"])
    shown = [pk for page in walked for pk in page["ids"]]
    assert len(shown) == len(set(shown)) == recent.count() + older.count()
    assert set(tied) <= set(shown)


def test_the_two_lists_share_no_order(history, chef):
    with time_machine.travel(NOW, tick=False):
        recent, older = the_work(chef)
        assert recent.exists()
        assert older.exists()
        assert not recent.filter(pk__in=older.values("pk")).exists()


# --- the plans, on PostgreSQL ---------------------------------------------------------


def plan_nodes(node: dict) -> list[dict]:
    return [node, *(n for child in node.get("Plans", []) for n in plan_nodes(child))]


def explained_pages(chef) -> list[list[dict]]:
    """Every page of the board's work, as its orders query ran: the plan of each,
    run again under EXPLAIN ANALYZE."""
    client, path, plans = bearer_client(chef), KITCHEN, []
    while path:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(path).json()
        orders_query = next(q["sql"] for q in queries if only_reads(q["sql"]))
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {orders_query}")
            (explained,) = cursor.fetchone()
        plans.append(json.loads(explained) if isinstance(explained, str) else explained)
        path = body["next"] and body["next"].removeprefix("http://testserver")
    return plans


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plans are the point"
)
def test_every_page_of_the_work_walks_its_indexes_without_sorting(history, chef):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE orders_order")
    with time_machine.travel(NOW, tick=False):
        plans = explained_pages(chef)
    assert len(plans) == 2
    for explained in plans:
        verdict = judge(explained, page=PAGE_SIZE)
        assert verdict.met, verdict.summary()
        nodes = plan_nodes(explained[0]["Plan"])
        assert "Sort" not in {node["Node Type"] for node in nodes}
        indexes = {node.get("Index Name") for node in nodes}
        assert {"order_restaurant_recent", "order_restaurant_work"} <= indexes
    # The first page is the newest orders, and the walk stops at its end.
    first = judge(plans[0], page=PAGE_SIZE)
    assert first.returned == PAGE_SIZE + 1
    assert first.most.examined == PAGE_SIZE + 1
