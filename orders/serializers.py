"""Order requests are validated and answers rendered here; orders are born elsewhere."""

from datetime import datetime
from decimal import Decimal

from rest_framework import serializers

from delivery.fields import StrictCharField
from orders.models import Order, OrderItem, OrderStatus
from orders.services import CENT, MAX_LINES, MAX_QUANTITY

MAX_ID = 2**63 - 1


class OrderLineRequestSerializer(serializers.Serializer):
    menu_item = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)

    def to_internal_value(self, data):
        # DRF's IntegerField takes 2.0, True and "2"; a count of dishes is a whole
        # number, as the schema says.
        if isinstance(data, dict):
            for field in ("menu_item", "quantity"):
                value = data.get(field)
                if isinstance(value, bool | float | str):
                    raise serializers.ValidationError(
                        {field: ["A valid integer is required."]}
                    )
        return super().to_internal_value(data)


class OrderRequestSerializer(serializers.Serializer):
    """What a customer may say about an order. Prices, totals, status and owner are
    not fields: whatever the client sends for them is ignored."""

    items = OrderLineRequestSerializer(
        many=True, allow_empty=False, max_length=MAX_LINES
    )
    delivery_address = StrictCharField(max_length=500)
    note = StrictCharField(max_length=500, required=False, allow_blank=True)
    restaurant = serializers.SlugField(
        required=False,
        help_text="Optional; when given it must be the restaurant of the dishes.",
    )


class AdvanceRequestSerializer(serializers.Serializer):
    current_status = serializers.ChoiceField(
        choices=OrderStatus.choices,
        required=False,
        help_text=(
            "The status the kitchen saw. When given, the order moves only from that "
            "status, so a repeated click cannot move it twice."
        ),
    )


# The answers below are written by hand. The declared fields still describe them (the
# OpenAPI schema is generated from those), but a page of orders holds dozens of lines,
# and DRF's generic path (build the fields, then ask each one for each object) was
# most of the list's cost: about half of the CPU time per request (bench/README.md).
# tests/orders/test_serializers.py holds both paths to the same output.

_TIMESTAMP = serializers.DateTimeField()


def money(amount: Decimal) -> str:
    """An amount as the API writes it: a string with exactly two decimals."""
    return f"{amount.quantize(CENT):f}"


def timestamp(moment: datetime) -> str:
    return _TIMESTAMP.to_representation(moment)


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["menu_item", "name", "unit_price", "quantity", "line_total"]
        read_only_fields = fields

    def to_representation(self, line: OrderItem) -> dict:
        return self.represent(line)

    @staticmethod
    def represent(line: OrderItem) -> dict:
        return {
            "menu_item": line.menu_item_id,
            "name": line.name,
            "unit_price": money(line.unit_price),
            "quantity": line.quantity,
            "line_total": money(line.line_total),
        }


class OrderSerializer(serializers.ModelSerializer):
    restaurant = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    items = OrderItemSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "status",
            "restaurant",
            "items",
            "subtotal",
            "delivery_fee",
            "total",
            "delivery_address",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, order: Order) -> dict:
        # ``order.lines``: the lines read with orders_with_lines(), or just written.
        return {
            "id": order.pk,
            "status": order.status,
            "restaurant": order.restaurant.slug,
            "items": [OrderItemSerializer.represent(line) for line in order.lines],
            "subtotal": money(order.subtotal),
            "delivery_fee": money(order.delivery_fee),
            "total": money(order.total),
            "delivery_address": order.delivery_address,
            "note": order.note,
            "created_at": timestamp(order.created_at),
            "updated_at": timestamp(order.updated_at),
        }


class KitchenOrderSerializer(OrderSerializer):
    customer = serializers.CharField(source="customer.username", read_only=True)
    next_status = serializers.CharField(read_only=True, allow_null=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "customer", "next_status"]
        read_only_fields = fields

    def to_representation(self, order: Order) -> dict:
        return {
            **super().to_representation(order),
            "customer": order.customer.username,
            "next_status": order.next_status,
        }
