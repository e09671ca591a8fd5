"""The menu pages of the site: public, searchable, honest about unavailable dishes."""

import pytest
from django.urls import reverse

from tests.factories import RestaurantFactory, build_menu


def test_restaurant_list_page_shows_every_restaurant(client, pizzeria, sushi):
    response = client.get(reverse("restaurant-list-page"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mario&#x27;s Pizzeria" in content
    assert "Sakura" in content


def test_restaurant_list_page_filters(client, pizzeria, sushi):
    by_cuisine = client.get(reverse("restaurant-list-page"), {"cuisine": "Japanese"})
    assert "Sakura" in by_cuisine.content.decode()
    assert "Pizzeria" not in by_cuisine.content.decode()
    by_search = client.get(reverse("restaurant-list-page"), {"search": "mario"})
    assert "Pizzeria" in by_search.content.decode()
    assert "Sakura" not in by_search.content.decode()


def test_restaurant_page_shows_dishes_and_marks_the_unavailable(client, pizzeria):
    response = client.get(reverse("restaurant-page", args=["marios-pizzeria"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Margherita Pizza" in content
    assert "11.50" in content
    assert "Vegetarian" in content
    calzone = pizzeria.items.get(name="Calzone")
    assert f'class="dish dish-unavailable" data-dish-id="{calzone.pk}"' in content
    assert "Unavailable today" in content


def test_closed_restaurant_page_says_it_takes_no_orders(client, db):
    RestaurantFactory(slug="shut", is_open=False)
    content = client.get(reverse("restaurant-page", args=["shut"])).content.decode()
    assert "takes no orders" in content


def test_unknown_restaurant_page_is_a_404(client, db):
    assert client.get(reverse("restaurant-page", args=["nowhere"])).status_code == 404


@pytest.mark.parametrize("size", [1, 5])
def test_restaurant_page_query_count_is_fixed(
    client, db, size, django_assert_num_queries
):
    restaurant = build_menu(restaurants=1, categories=size, dishes=size)[0]
    with django_assert_num_queries(3):
        client.get(reverse("restaurant-page", args=[restaurant.slug]))


def test_pages_load_nothing_from_another_host(client, pizzeria):
    for url in (
        reverse("home"),
        reverse("restaurant-list-page"),
        reverse("restaurant-page", args=["marios-pizzeria"]),
    ):
        content = client.get(url).content.decode()
        assert 'src="http' not in content
        assert 'href="http' not in content
        assert "//" not in content.replace("http://www.w3.org", "")


def test_the_restaurant_page_has_add_buttons_for_available_dishes_only(
    client, pizzeria
):
    content = client.get(
        reverse("restaurant-page", args=[pizzeria.slug])
    ).content.decode()
    margherita = pizzeria.items.get(name="Margherita Pizza")
    assert f'data-add-dish data-dish-id="{margherita.pk}"' in content
    calzone = pizzeria.items.get(name="Calzone")
    assert f'data-add-dish data-dish-id="{calzone.pk}"' not in content


def test_a_closed_restaurant_offers_no_add_buttons(client, pizzeria):
    pizzeria.is_open = False
    pizzeria.save()
    content = client.get(
        reverse("restaurant-page", args=[pizzeria.slug])
    ).content.decode()
    assert "data-add-dish" not in content
    assert "cart-summary" not in content
