"""The history built in SQL looks like a term of real use, and adds up."""

import pytest
from django.core.management import call_command
from django.db import connection

from bench.history_data import ACTIVE_MINUTES, build
from bench.ledger import OrderLedger
from orders.models import Order, OrderStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the history is built with PostgreSQL's generate_series",
    ),
]


def database_url() -> str:
    """The test database's URL, for the builder's own connection."""
    given = connection.settings_dict
    password = f":{given['PASSWORD']}" if given["PASSWORD"] else ""
    return (
        f"postgres://{given['USER']}{password}@{given['HOST'] or '127.0.0.1'}:"
        f"{given['PORT'] or 5432}/{given['NAME']}"
    )


def test_a_history_of_two_thousand_orders():
    call_command("seed_demo", force=True, verbosity=0)
    built = build(database_url(), orders=2000)
    assert built["orders"] == Order.objects.count() == 2000
    assert built["lines"] == 4000
    assert 800 <= built["marios"] <= 1200  # half, give or take chance
    assert 100 <= built["alice"] <= 300  # a tenth
    # The last 20 minutes' orders, one every 30 seconds, are still in a kitchen.
    assert built["active"] == ACTIVE_MINUTES * 2
    assert built["delivered"] >= 0.95 * (2000 - built["active"])
    assert OrderLedger(database_url()).unbalanced() == 0
    newest = Order.objects.order_by("-id").first()
    assert newest.status == OrderStatus.PLACED
    ids_by_time = list(
        Order.objects.order_by("created_at").values_list("id", flat=True)
    )
    assert ids_by_time == sorted(ids_by_time)


def test_building_again_replaces_the_history():
    call_command("seed_demo", force=True, verbosity=0)
    build(database_url(), orders=300)
    assert build(database_url(), orders=100)["orders"] == Order.objects.count() == 100
    assert Order.objects.order_by("id").first().pk == 1
