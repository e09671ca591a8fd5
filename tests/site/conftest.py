"""Fixtures of the site tests: browsers that log in through the login page."""

from decimal import Decimal

import pytest
from django.test import Client

from tests.factories import (
    CategoryFactory,
    KitchenUserFactory,
    MenuItemFactory,
    RestaurantFactory,
)
from tests.site.login import log_in


@pytest.fixture
def pizzeria(db):
    restaurant = RestaurantFactory(name="Mario's Pizzeria", slug="marios-pizzeria")
    pizzas = CategoryFactory(restaurant=restaurant, name="Pizzas")
    MenuItemFactory(category=pizzas, name="Margherita Pizza", price=Decimal("11.50"))
    MenuItemFactory(category=pizzas, name="Calzone", available=False)
    return restaurant


@pytest.fixture
def margherita(pizzeria):
    return pizzeria.items.get(name="Margherita Pizza")


@pytest.fixture
def chef(pizzeria):
    return KitchenUserFactory(username="chef", restaurant=pizzeria)


@pytest.fixture
def browser(client, user) -> Client:
    """A browser holding ``user``'s tokens in its cookies."""
    return log_in(client, user)
