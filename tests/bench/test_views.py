"""The bench-only baselines: routed only under DELIVERY_BENCH, and faithful."""

import importlib

import pytest
from django.urls import clear_url_caches, resolve
from django.urls.exceptions import Resolver404
from rest_framework.test import APIClient

import delivery.urls
from bench.views import bench_customer_id
from tests.conftest import bearer_client
from tests.factories import MenuItemFactory, UserFactory


@pytest.fixture
def bench_routes(settings):
    """The project's URLs as a server started with DELIVERY_BENCH=1 has them."""
    settings.DELIVERY_BENCH = True
    importlib.reload(delivery.urls)
    clear_url_caches()
    bench_customer_id.cache_clear()
    yield
    settings.DELIVERY_BENCH = False
    importlib.reload(delivery.urls)
    clear_url_caches()


def test_the_bench_views_are_not_routed_without_the_flag(client, db):
    with pytest.raises(Resolver404):
        resolve("/bench/floor/")
    assert client.get("/bench/orders/no-auth/").status_code == 404


def test_the_floor_answers_without_a_query(
    bench_routes, client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/bench/floor/")
    assert response.json() == {"ok": True}


def test_ten_rows_reads_ten_rows_in_one_query(
    bench_routes, client, db, django_assert_num_queries
):
    MenuItemFactory.create_batch(12)
    with django_assert_num_queries(1):
        response = client.get("/bench/ten-rows/")
    assert len(response.json()["results"]) == 10


def test_the_three_order_lists_answer_alike(bench_routes, db):
    """Authentication off, a session, the stateful JWT: the same body as the API's."""
    alice = UserFactory(username="alice")
    jwt = bearer_client(alice)
    jwt.post(
        "/api/orders/",
        {
            "items": [{"menu_item": MenuItemFactory().pk, "quantity": 1}],
            "delivery_address": "1 Bench Row",
        },
        format="json",
    )
    expected = jwt.get("/api/orders/").json()
    session = APIClient()
    session.force_login(alice)
    assert expected["count"] == 1
    assert jwt.get("/bench/orders/stateful-jwt/").json() == expected
    assert session.get("/bench/orders/session/").json() == expected
    assert bearer_client(UserFactory()).get("/bench/orders/no-auth/").json() == expected
