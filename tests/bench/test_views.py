"""The bench-only baselines: routed only by the bench's settings, and faithful."""

import pytest
from django.urls import resolve
from django.urls.exceptions import Resolver404
from rest_framework.test import APIClient

from tests.conftest import bearer_client
from tests.factories import MenuItemFactory, UserFactory


@pytest.fixture
def bench_routes(settings):
    """The URLs of the bench's own server (``bench.settings``)."""
    settings.ROOT_URLCONF = "bench.urls"


def test_the_bench_views_are_not_routed_by_the_project(client, db):
    with pytest.raises(Resolver404):
        resolve("/bench/floor/")
    assert client.get("/bench/orders/session/").status_code == 404


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


def test_the_bench_order_lists_answer_alike(bench_routes, db):
    """A session, the stateful JWT: the same body as the API's."""
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
    assert len(expected["results"]) == 1
    assert jwt.get("/bench/orders/stateful-jwt/").json() == expected
    assert session.get("/bench/orders/session/").json() == expected
