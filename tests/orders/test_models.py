"""The database itself refuses an order whose sums do not add up, on SQLite (whose
decimals are binary floats) as on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from orders import services
from orders.models import Order, OrderItem


@pytest.fixture
def order(alice, margherita):
    line = services.OrderLineRequest(menu_item_id=margherita.pk, quantity=3)
    return services.place_order(
        customer_id=alice.pk, lines=[line], delivery_address="1 Check Street"
    ).order


@pytest.mark.parametrize("total", ["0.01", "38.49", "38.51", "1000.00"])
def test_a_total_other_than_subtotal_plus_fee_is_refused(order, total):
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=order.pk).update(total=Decimal(total))
    order.refresh_from_db()
    assert order.total == order.subtotal + order.delivery_fee


@pytest.mark.parametrize("line_total", ["0.01", "34.49", "34.51", "11.50"])
def test_a_line_total_other_than_price_times_quantity_is_refused(order, line_total):
    line = OrderItem.objects.get(order=order)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderItem.objects.filter(pk=line.pk).update(line_total=Decimal(line_total))
    line.refresh_from_db()
    assert line.line_total == Decimal("34.50")


def test_sums_that_floats_cannot_hold_are_accepted(order):
    """0.10 + 0.20 is 0.30000000000000004 in floating point; the check rounds."""
    Order.objects.filter(pk=order.pk).update(
        subtotal=Decimal("0.10"), delivery_fee=Decimal("0.20"), total=Decimal("0.30")
    )
    line = OrderItem.objects.get(order=order)
    OrderItem.objects.filter(pk=line.pk).update(
        unit_price=Decimal("12.90"), quantity=3, line_total=Decimal("38.70")
    )
    order.refresh_from_db()
    assert order.total == Decimal("0.30")
