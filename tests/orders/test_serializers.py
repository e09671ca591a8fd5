"""The order answers are written by hand for speed: from models for one order
(orders/serializers.py), from rows for the lists (orders/selectors.py). The declared
fields are what the OpenAPI schema documents. Here every path renders the same
orders, read back or just placed, and all must agree to the character."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from menu.models import MenuItem
from orders import selectors, services
from orders.models import Order
from orders.serializers import (
    KITCHEN_FIELDS,
    KitchenOrderSerializer,
    OrderItemSerializer,
    OrderSerializer,
    timestamp,
)
from orders.views import orders_with_lines
from tests.factories import CategoryFactory, MenuItemFactory, RestaurantFactory

# DRF's generic path: every declared field asked for its value, one by one.
generic = serializers.Serializer.to_representation


class GenericItem(OrderItemSerializer):
    to_representation = generic


class GenericOrder(OrderSerializer):
    items = GenericItem(many=True, read_only=True, source="lines")
    to_representation = generic


class GenericKitchenOrder(KitchenOrderSerializer):
    items = GenericItem(many=True, read_only=True, source="lines")
    to_representation = generic


def render(data) -> bytes:
    return JSONRenderer().render(data)


@pytest.fixture
def orders(alice, pizzeria):
    """Orders with awkward amounts, several lines, notes, and every status."""
    restaurant = RestaurantFactory(delivery_fee=Decimal("0.00"))
    category = CategoryFactory(restaurant=restaurant)
    cheap = MenuItemFactory(category=category, price=Decimal("0.10"))
    dear = MenuItemFactory(category=category, price=Decimal("99999.99"))
    dishes = list(MenuItem.objects.filter(restaurant=pizzeria, available=True)[:3])
    asked = [
        ([(cheap, 3)], "A \u00e9t\u00e9 street", ""),
        ([(dear, 20), (cheap, 1)], "Line one\nline two", 'No onions, "please"'),
        ([(dish, n + 1) for n, dish in enumerate(dishes)], "1 Main Street", "x" * 500),
    ]
    made = [
        services.place_order(
            customer_id=alice.pk,
            lines=[
                services.OrderLineRequest(menu_item_id=dish.pk, quantity=quantity)
                for dish, quantity in lines
            ],
            delivery_address=address,
            note=note,
        ).order
        for lines, address, note in asked
    ]
    for order, status in zip(
        made, ["preparing", "delivered", "cancelled"], strict=True
    ):
        Order.objects.filter(pk=order.pk).update(status=status)
    return made


def test_hand_written_answers_match_the_declared_fields(orders):
    read = list(orders_with_lines().order_by("id"))
    assert len(read) == 3
    for order in read:
        fast = OrderSerializer(order).data
        assert render(fast) == render(GenericOrder(order).data)
        assert list(fast) == OrderSerializer.Meta.fields


def test_kitchen_answers_match_the_declared_fields(orders):
    for order in orders_with_lines(*KITCHEN_FIELDS).select_related("customer"):
        fast = KitchenOrderSerializer(order).data
        assert render(fast) == render(GenericKitchenOrder(order).data)
        assert fast["customer"] == "alice"


def test_an_order_just_placed_reads_as_it_will_be_read_back(orders):
    for placed in orders:
        again = orders_with_lines().get(pk=placed.pk)
        placed.status = again.status  # changed after placing, in the fixture
        assert render(OrderSerializer(placed).data) == render(
            OrderSerializer(again).data
        )


def test_the_lists_rows_answer_as_the_serializers_do(orders, alice):
    rows = list(selectors.order_rows().filter(customer_id=alice.pk))
    models = list(orders_with_lines().filter(customer_id=alice.pk))
    assert [row["id"] for row in rows] == [order.pk for order in models]
    assert render(selectors.customer_answers(rows)) == render(
        [GenericOrder(order).data for order in models]
    )


def test_the_kitchens_rows_answer_as_the_serializers_do(orders, alice):
    rows = list(selectors.order_rows(*KITCHEN_FIELDS))
    models = list(orders_with_lines(*KITCHEN_FIELDS).select_related("customer"))
    assert len(rows) == 3
    assert render(selectors.kitchen_answers(rows)) == render(
        [GenericKitchenOrder(order).data for order in models]
    )


def test_an_empty_page_reads_no_lines(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.customer_answers([]) == []


@pytest.mark.parametrize("zone", ["UTC", "Asia/Kolkata", "America/St_Johns"])
def test_times_are_written_as_drf_writes_them_in_any_time_zone(orders, alice, zone):
    with timezone.override(zone):
        rows = list(selectors.order_rows().filter(customer_id=alice.pk))
        models = list(orders_with_lines().filter(customer_id=alice.pk))
        assert render(selectors.customer_answers(rows)) == render(
            [GenericOrder(order).data for order in models]
        )
        field = serializers.DateTimeField()
        for moment in (
            datetime(2026, 11, 29, 20, 1, 11, tzinfo=UTC),
            datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=UTC),
            datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        ):
            zone = timezone.get_current_timezone()
            assert timestamp(moment, zone) == field.to_representation(moment)


def test_the_built_querysets_are_copied_and_never_run(orders, alice):
    rows = list(selectors.order_rows().filter(customer_id=alice.pk))
    assert selectors.customer_answers(rows)
    assert selectors.order_rows() is not selectors.order_rows()
    for built in (selectors._built_order_rows(()), selectors._built_line_rows()):
        assert built._result_cache is None
        assert "WHERE" not in str(built.query)
