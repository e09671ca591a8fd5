"""Two small restaurants shared by the menu tests."""

from decimal import Decimal

import pytest

from tests.factories import CategoryFactory, MenuItemFactory, RestaurantFactory


@pytest.fixture
def pizzeria(db):
    restaurant = RestaurantFactory(
        name="Mario's Pizzeria", slug="marios-pizzeria", cuisine="Italian"
    )
    pizzas = CategoryFactory(restaurant=restaurant, name="Pizzas", position=0)
    desserts = CategoryFactory(restaurant=restaurant, name="Desserts", position=1)
    MenuItemFactory(
        category=pizzas,
        name="Margherita Pizza",
        price=Decimal("11.50"),
        vegetarian=True,
    )
    MenuItemFactory(category=pizzas, name="Calzone", available=False)
    MenuItemFactory(category=desserts, name="Tiramisu", vegetarian=True)
    return restaurant


@pytest.fixture
def sushi(db):
    restaurant = RestaurantFactory(name="Sakura", slug="sakura", cuisine="Japanese")
    rolls = CategoryFactory(restaurant=restaurant, name="Rolls")
    MenuItemFactory(category=rolls, name="Avocado Maki", vegetarian=True)
    MenuItemFactory(category=rolls, name="Tuna Roll")
    return restaurant
