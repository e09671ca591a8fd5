"""The order serializers are the one source of every order answer and of the
schema that documents it: what the fields declare is what the API says."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from drf_spectacular.generators import SchemaGenerator

from menu.models import MenuItem
from orders import selectors, services
from orders.models import Order
from orders.serializers import (
    KitchenOrderSerializer,
    OrderItemSerializer,
    OrderSerializer,
)
from tests.factories import (
    CategoryFactory,
    KitchenUserFactory,
    MenuItemFactory,
    RestaurantFactory,
)

PLACED_AT = datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=UTC)


def place(customer, *lines, address="1 Main Street", note=""):
    return services.place_order(
        customer_id=customer.pk,
        lines=[
            services.OrderLineRequest(menu_item_id=dish.pk, quantity=quantity)
            for dish, quantity in lines
        ],
        delivery_address=address,
        note=note,
    ).order


@pytest.fixture
def odd_dishes(db):
    """Dishes whose sums binary floats get wrong, from a place that delivers free."""
    restaurant = RestaurantFactory(slug="corner-shop", delivery_fee=Decimal("0.00"))
    category = CategoryFactory(restaurant=restaurant)
    return (
        MenuItemFactory(category=category, name="Mint", price=Decimal("0.10")),
        MenuItemFactory(category=category, name="Caviar", price=Decimal("99999.99")),
    )


@pytest.fixture
def order(alice, odd_dishes):
    mint, caviar = odd_dishes
    with time_machine.travel(PLACED_AT, tick=False):
        placed = place(alice, (caviar, 20), (mint, 3), note='No "ice"')
    return selectors.customer_orders(customer_id=alice.pk).get(pk=placed.pk)


def test_an_order_is_answered_with_its_declared_fields(order, odd_dishes):
    mint, caviar = odd_dishes
    assert OrderSerializer(order).data == {
        "id": order.pk,
        "status": "placed",
        "restaurant": "corner-shop",
        "items": [
            {
                "menu_item": caviar.pk,
                "name": "Caviar",
                "unit_price": "99999.99",
                "quantity": 20,
                "line_total": "1999999.80",
            },
            {
                "menu_item": mint.pk,
                "name": "Mint",
                "unit_price": "0.10",
                "quantity": 3,
                "line_total": "0.30",
            },
        ],
        "subtotal": "2000000.10",
        "delivery_fee": "0.00",
        "total": "2000000.10",
        "delivery_address": "1 Main Street",
        "note": 'No "ice"',
        "created_at": "2026-03-29T01:30:00.123456Z",
        "updated_at": "2026-03-29T01:30:00.123456Z",
    }
    assert list(OrderSerializer(order).data) == OrderSerializer.Meta.fields


def test_the_kitchen_also_sees_who_ordered_and_the_next_step(order, odd_dishes):
    cook = KitchenUserFactory(restaurant=odd_dishes[0].restaurant)
    order = selectors.kitchen_orders(kitchen_user_id=cook.pk).get()
    answer = KitchenOrderSerializer(order).data
    assert list(answer) == KitchenOrderSerializer.Meta.fields
    assert answer["customer"] == "alice"
    assert answer["next_status"] == "preparing"
    Order.objects.filter(pk=order.pk).update(status="delivered")
    order.refresh_from_db()
    assert KitchenOrderSerializer(order).data["next_status"] is None


def test_a_line_whose_dish_was_deleted_keeps_its_name_and_price(order, odd_dishes):
    mint, _ = odd_dishes
    MenuItem.objects.filter(pk=mint.pk).delete()
    line = order.items.get(name="Mint")
    assert OrderItemSerializer(line).data == {
        "menu_item": None,
        "name": "Mint",
        "unit_price": "0.10",
        "quantity": 3,
        "line_total": "0.30",
    }


def test_an_order_just_placed_answers_as_it_reads_back(alice_client, alice, odd_dishes):
    mint, caviar = odd_dishes
    body = {
        "items": [
            {"menu_item": mint.pk, "quantity": 2},
            {"menu_item": caviar.pk, "quantity": 1},
        ],
        "delivery_address": "2 Echo Lane",
    }
    placed = alice_client.post("/api/orders/", body, format="json")
    assert placed.status_code == 201
    read = alice_client.get(f"/api/orders/{placed.json()['id']}/")
    assert placed.content == read.content


@pytest.mark.parametrize(
    ("component", "serializer"),
    [
        ("Order", OrderSerializer),
        ("KitchenOrder", KitchenOrderSerializer),
        ("OrderItem", OrderItemSerializer),
    ],
)
def test_the_schema_documents_exactly_the_fields_answered(component, serializer):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    documented = schema["components"]["schemas"][component]
    assert list(documented["properties"]) == serializer.Meta.fields
    assert set(documented["required"]) == set(serializer.Meta.fields)
    for name in serializer.Meta.fields:
        assert documented["properties"][name].get("readOnly"), name
