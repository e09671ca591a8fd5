"""The public menu API: readable by anyone, filterable, fixed query counts."""

import pytest
from django.urls import reverse

from tests.factories import build_menu

RESTAURANTS = reverse("restaurant-list")
ITEMS = reverse("menu-item-list")


def restaurant_url(slug):
    return reverse("restaurant-detail", args=[slug])


def item_url(pk):
    return reverse("menu-item-detail", args=[pk])


def names(response):
    return [row["name"] for row in response.json()["results"]]


# --- restaurants ------------------------------------------------------------------


def test_restaurant_list_is_public_and_paginated(api_client, pizzeria, sushi):
    response = api_client.get(RESTAURANTS)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert body["results"][0] == {
        "slug": "marios-pizzeria",
        "name": "Mario's Pizzeria",
        "cuisine": "Italian",
        "description": pizzeria.description,
        "delivery_fee": "2.50",
        "is_open": True,
    }


def test_restaurant_list_filters_by_cuisine_and_search(api_client, pizzeria, sushi):
    assert names(api_client.get(RESTAURANTS, {"cuisine": "japanese"})) == ["Sakura"]
    assert names(api_client.get(RESTAURANTS, {"search": "mario"})) == [
        "Mario's Pizzeria"
    ]
    assert names(api_client.get(RESTAURANTS, {"cuisine": "Klingon"})) == []


def test_restaurant_detail_groups_the_menu_by_category(api_client, pizzeria):
    response = api_client.get(restaurant_url("marios-pizzeria"))
    assert response.status_code == 200
    body = response.json()
    assert [c["name"] for c in body["categories"]] == ["Pizzas", "Desserts"]
    pizzas = body["categories"][0]["items"]
    assert [dish["name"] for dish in pizzas] == ["Calzone", "Margherita Pizza"]
    margherita = pizzas[1]
    assert margherita["price"] == "11.50"
    assert margherita["vegetarian"] is True
    assert pizzas[0]["available"] is False


def test_a_broken_token_does_not_stop_anyone_reading_the_menu(api_client, pizzeria):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    assert api_client.get(restaurant_url("marios-pizzeria")).status_code == 200


def test_unknown_restaurant_is_a_404(api_client, db):
    response = api_client.get(restaurant_url("nowhere"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_menu_cannot_be_written_through_the_api(api_client, pizzeria, method):
    list_response = getattr(api_client, method)(RESTAURANTS, {}, format="json")
    detail = getattr(api_client, method)(
        restaurant_url("marios-pizzeria"), {"name": "Hacked"}, format="json"
    )
    assert list_response.status_code == 405
    assert detail.status_code == 405
    pizzeria.refresh_from_db()
    assert pizzeria.name == "Mario's Pizzeria"


def test_bad_page_number_is_a_404_not_a_500(api_client, pizzeria):
    assert api_client.get(RESTAURANTS, {"page": "abc"}).status_code == 404
    assert api_client.get(RESTAURANTS, {"page": "999"}).status_code == 404


# --- menu items --------------------------------------------------------------------


def test_menu_item_detail_has_the_documented_fields(api_client, pizzeria):
    dish = pizzeria.items.get(name="Margherita Pizza")
    response = api_client.get(item_url(dish.pk))
    assert response.status_code == 200
    assert response.json() == {
        "id": dish.pk,
        "name": "Margherita Pizza",
        "description": dish.description,
        "price": "11.50",
        "vegetarian": True,
        "available": True,
        "category": "Pizzas",
        "restaurant": "marios-pizzeria",
    }


@pytest.mark.parametrize("pk", ["999999", "abc", "-1", "1.5"])
def test_unknown_or_malformed_menu_item_id_is_a_404(api_client, db, pk):
    response = api_client.get(f"{ITEMS}{pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"restaurant": "sakura"}, ["Avocado Maki", "Tuna Roll"]),
        ({"category": "desserts"}, ["Tiramisu"]),
        ({"vegetarian": "true"}, ["Margherita Pizza", "Tiramisu", "Avocado Maki"]),
        ({"vegetarian": "false", "restaurant": "sakura"}, ["Tuna Roll"]),
        ({"search": "pizza"}, ["Margherita Pizza"]),
        ({"restaurant": "nowhere"}, []),
    ],
)
def test_menu_item_filters(api_client, pizzeria, sushi, query, expected):
    response = api_client.get(ITEMS, query)
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(expected)


@pytest.mark.parametrize("value", ["maybe", "yes please", ""])
def test_malformed_vegetarian_filter_is_a_400_or_ignored(api_client, pizzeria, value):
    response = api_client.get(ITEMS, {"vegetarian": value})
    if value:
        assert response.status_code == 400
        assert "vegetarian" in response.json()
    else:
        assert response.status_code == 200


# --- query budgets ------------------------------------------------------------------


# A first page with room to spare is the whole list: no COUNT(*) is needed. A full
# page (the page holds 20) adds the count, and stays at that at any size.
@pytest.mark.parametrize(("size", "queries"), [(1, 1), (4, 1), (21, 2), (30, 2)])
def test_restaurant_list_query_count_does_not_grow(
    api_client, db, size, queries, django_assert_num_queries
):
    build_menu(restaurants=size, categories=1, dishes=1)
    with django_assert_num_queries(queries):
        assert api_client.get(RESTAURANTS).json()["count"] == size


@pytest.mark.parametrize("size", [1, 5])
def test_restaurant_menu_runs_three_queries_at_any_size(
    api_client, db, size, django_assert_num_queries
):
    restaurant = build_menu(restaurants=2, categories=size, dishes=size)[0]
    with django_assert_num_queries(3):
        body = api_client.get(restaurant_url(restaurant.slug)).json()
    assert sum(len(c["items"]) for c in body["categories"]) == size * size


@pytest.mark.parametrize(("size", "queries"), [(1, 1), (2, 1), (4, 2)])
def test_menu_item_list_query_count_does_not_grow(
    api_client, db, size, queries, django_assert_num_queries
):
    build_menu(restaurants=size, categories=2, dishes=size)
    with django_assert_num_queries(queries):
        assert api_client.get(ITEMS).json()["count"] == size * 2 * size


def test_menu_item_detail_runs_one_query(
    api_client, pizzeria, django_assert_num_queries
):
    dish = pizzeria.items.first()
    with django_assert_num_queries(1):
        assert api_client.get(item_url(dish.pk)).status_code == 200
