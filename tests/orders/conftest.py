"""A small world for the order tests: two restaurants, customers, a kitchen, and
histories of orders built in bulk."""

from datetime import datetime, timedelta
from decimal import Decimal
from itertools import cycle

import pytest
from django.db import connection

from orders.models import ACTIVE_STATUSES, Order, OrderStatus
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


def build_history(restaurant, customers, *, count: int, now: datetime) -> list[Order]:
    """``count`` orders, one every seven minutes up to ``now``, as a kitchen's day
    leaves them: the newest still in the kitchen, older ones delivered or
    cancelled, a few old ones forgotten in the kitchen."""
    orders, times = [], []
    customers = cycle(customers)
    for age in range(count):
        created = now - timedelta(minutes=7 * age + 1)
        if age < 12:
            status = ACTIVE_STATUSES[age % len(ACTIVE_STATUSES)]
            updated = created + timedelta(minutes=1)
        elif age % 400 == 0:
            status, updated = OrderStatus.PREPARING, created + timedelta(minutes=5)
        else:
            status = OrderStatus.CANCELLED if age % 9 == 0 else OrderStatus.DELIVERED
            updated = min(created + timedelta(minutes=45), now)
        orders.append(
            Order(
                customer=next(customers),
                restaurant=restaurant,
                status=status,
                delivery_address="1 History Lane",
                subtotal=Decimal("10.00"),
                delivery_fee=Decimal("2.00"),
                total=Decimal("12.00"),
            )
        )
        times.append((created, updated))
    made = Order.objects.bulk_create(orders, batch_size=500)
    # bulk_create sets the automatic times to now; the history has its own, set
    # in one statement (bulk_update would take seconds to build its CASEs).
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Order._meta.db_table} "  # noqa: S608 (the model's own table)
            "SET created_at = %s, updated_at = %s WHERE id = %s",
            [
                (adapt(created), adapt(updated), order.pk)
                for order, (created, updated) in zip(made, times, strict=True)
            ],
        )
    for order, (created, updated) in zip(made, times, strict=True):
        order.created_at, order.updated_at = created, updated
    return made
