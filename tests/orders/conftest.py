"""A small world for the order tests: two restaurants, a customer, a kitchen."""

from decimal import Decimal

import pytest

from tests.conftest import bearer_client
from tests.factories import (
    CategoryFactory,
    KitchenUserFactory,
    MenuItemFactory,
    RestaurantFactory,
    UserFactory,
)


@pytest.fixture
def pizzeria(db):
    restaurant = RestaurantFactory(
        slug="marios-pizzeria", name="Mario's Pizzeria", delivery_fee=Decimal("2.50")
    )
    pizzas = CategoryFactory(restaurant=restaurant, name="Pizzas")
    MenuItemFactory(category=pizzas, name="Margherita Pizza", price=Decimal("11.50"))
    MenuItemFactory(category=pizzas, name="Pepperoni Pizza", price=Decimal("13.00"))
    MenuItemFactory(category=pizzas, name="Calzone", available=False)
    return restaurant


@pytest.fixture
def sushi(db):
    restaurant = RestaurantFactory(slug="sakura", name="Sakura")
    rolls = CategoryFactory(restaurant=restaurant, name="Rolls")
    MenuItemFactory(category=rolls, name="Tuna Roll", price=Decimal("9.50"))
    return restaurant


@pytest.fixture
def margherita(pizzeria):
    return pizzeria.items.get(name="Margherita Pizza")


@pytest.fixture
def pepperoni(pizzeria):
    return pizzeria.items.get(name="Pepperoni Pizza")


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob")


@pytest.fixture
def chef(pizzeria):
    return KitchenUserFactory(username="chef", restaurant=pizzeria)


@pytest.fixture
def alice_client(alice):
    return bearer_client(alice)


@pytest.fixture
def bob_client(bob):
    return bearer_client(bob)


@pytest.fixture
def chef_client(chef):
    return bearer_client(chef)


def order_body(*lines, address="1 Main Street", **extra):
    return {
        "items": [{"menu_item": item.pk, "quantity": qty} for item, qty in lines],
        "delivery_address": address,
        **extra,
    }
