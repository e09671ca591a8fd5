"""The migrations that order the lists' indexes apply to a database already
holding orders, and can be undone."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from orders.models import ACTIVE_STATUSES
from tests.conftest import bearer_client
from tests.factories import KitchenUserFactory, RestaurantFactory, UserFactory

BEFORE = [("orders", "0002_exact_amount_checks_on_sqlite")]
# Each list's index: its columns, the newest first within the first one(s).
INDEXES = {
    "order_customer_recent": {
        "customer_id": "ASC",
        "created_at": "DESC",
        "id": "DESC",
    },
    "order_restaurant_recent": {
        "restaurant_id": "ASC",
        "created_at": "DESC",
        "id": "DESC",
    },
    "order_restaurant_status": {
        "restaurant_id": "ASC",
        "status": "ASC",
        "created_at": "DESC",
        "id": "DESC",
    },
    # Partial: the orders still in the kitchen only.
    "order_restaurant_work": {
        "restaurant_id": "ASC",
        "created_at": "DESC",
        "id": "DESC",
    },
}

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [node for node in executor.loader.graph.leaf_nodes() if node[0] == "orders"]


def order_indexes() -> dict[str, dict]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, "orders_order")
    return {name: found[name] for name in found if found[name]["index"]}


def index_definition(name: str) -> str:
    """The SQL that made an index, as the database keeps it."""
    query = {
        "postgresql": "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
        "sqlite": "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(query, [name])
        return cursor.fetchone()[0]


def test_the_list_indexes_are_built_over_orders_already_there():
    restaurant = RestaurantFactory()
    customers = UserFactory.create_batch(3)
    cook = KitchenUserFactory(restaurant=restaurant)
    old_apps = migrate(BEFORE).loader.project_state(BEFORE).apps
    OldOrder = old_apps.get_model("orders", "Order")
    OldOrder.objects.bulk_create(
        OldOrder(
            customer_id=customers[number % 3].pk,
            restaurant_id=restaurant.pk,
            status="delivered" if number % 5 else "placed",
            delivery_address=f"{number} Old Street",
            subtotal=Decimal("10.00"),
            delivery_fee=Decimal("2.50"),
            total=Decimal("12.50"),
        )
        for number in range(3000)
    )
    assert "order_restaurant_recent" not in order_indexes()

    migrate(latest())

    indexes = order_indexes()
    for name, columns in INDEXES.items():
        found = dict(
            zip(indexes[name]["columns"], indexes[name]["orders"], strict=True)
        )
        assert found == columns, name
    assert "order_restaurant_updated" not in indexes
    work = index_definition("order_restaurant_work")
    assert "WHERE" in work
    assert all(status in work for status in ACTIVE_STATUSES)
    assert "delivered" not in work
    # The composite indexes begin with the foreign keys; their own indexes went.
    single = [index["columns"] for index in indexes.values()]
    assert ["customer_id"] not in single
    assert ["restaurant_id"] not in single
    board = bearer_client(cook).get(reverse("kitchen-order-list"), {"show": "all"})
    assert board.status_code == 200
    assert len(board.json()["results"]) == 20
    # The work: the orders of the last hours, here every one.
    work = bearer_client(cook).get(reverse("kitchen-order-list"))
    assert work.status_code == 200
    assert len(work.json()["results"]) == 20
    mine = bearer_client(customers[0]).get(reverse("order-list")).json()["results"]
    assert len(mine) == 20

    migrate(BEFORE)
    singles = [index["columns"] for index in order_indexes().values()]
    assert ["customer_id"] in singles
    assert ["restaurant_id"] in singles
    migrate(latest())
