"""Order requests are validated and answers rendered here; orders are born elsewhere."""

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from api.fields import StrictCharField
from orders.models import NEXT_STATUS, Order, OrderItem, OrderStatus
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


# The answers are written by hand, from rows: a page of the lists is read as rows
# (orders/selectors.py), one order as a model, whose row is taken from its
# attributes (``row_of``). The declared fields of the serializers still describe
# the answers (the OpenAPI schema is generated from them), but DRF's generic path
# (build the fields, then ask each one for each object) was about half of a
# list's CPU time (bench/README.md). tests/orders/test_serializers.py holds every
# path to the same output.

# The values an answer about an order is written from: keys of a row, and paths
# (``__`` for ``.``) of a model's attributes. They are all the columns read, too.
ORDER_FIELDS = (
    "id",
    "status",
    "restaurant__slug",
    "subtotal",
    "delivery_fee",
    "total",
    "delivery_address",
    "note",
    "created_at",
    "updated_at",
)
KITCHEN_FIELDS = ("customer__username",)
LINE_FIELDS = ("menu_item_id", "name", "unit_price", "quantity", "line_total")

Row = Mapping[str, Any]


def money(amount: Decimal) -> str:
    """An amount as the API writes it: a string with exactly two decimals."""
    return f"{amount.quantize(CENT):f}"


def timestamp(moment: datetime, zone: tzinfo) -> str:
    """A moment as DRF's ``DateTimeField`` writes it: ISO 8601 in the current time
    ``zone``, with ``Z`` for UTC. The field's general path (its format setting, its
    time zone policy for naive values, the current zone looked up every time) cost
    a tenth of a list, twenty times a page; the caller looks the zone up once."""
    text = moment.astimezone(zone).isoformat()
    return f"{text[:-6]}Z" if text.endswith("+00:00") else text


def row_of(instance: Any, fields: Sequence[str]) -> dict[str, Any]:
    """A model instance's values under the names a ``values()`` row gives them."""
    return {name: attrgetter(name.replace("__", "."))(instance) for name in fields}


def line_answer(line: Row) -> dict:
    return {
        "menu_item": line["menu_item_id"],
        "name": line["name"],
        "unit_price": money(line["unit_price"]),
        "quantity": line["quantity"],
        "line_total": money(line["line_total"]),
    }


def order_answer(order: Row, lines: list[dict], zone: tzinfo | None = None) -> dict:
    """One order's answer; ``zone`` is the current time zone, if already known."""
    zone = zone or timezone.get_current_timezone()
    return {
        "id": order["id"],
        "status": order["status"],
        "restaurant": order["restaurant__slug"],
        "items": lines,
        "subtotal": money(order["subtotal"]),
        "delivery_fee": money(order["delivery_fee"]),
        "total": money(order["total"]),
        "delivery_address": order["delivery_address"],
        "note": order["note"],
        "created_at": timestamp(order["created_at"], zone),
        "updated_at": timestamp(order["updated_at"], zone),
    }


def kitchen_answer(order: Row, lines: list[dict], zone: tzinfo | None = None) -> dict:
    """The kitchen's view adds who ordered and where the order goes next."""
    return {
        **order_answer(order, lines, zone),
        "customer": order["customer__username"],
        "next_status": NEXT_STATUS.get(order["status"]),
    }


class OrderItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["menu_item", "name", "unit_price", "quantity", "line_total"]
        read_only_fields = fields

    def to_representation(self, line: OrderItem) -> dict:
        return line_answer(row_of(line, LINE_FIELDS))


class OrderSerializer(serializers.ModelSerializer):
    """One order, its lines in ``order.lines`` (orders_with_lines(), or just made)."""

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
        return order_answer(row_of(order, ORDER_FIELDS), line_answers(order))


class KitchenOrderSerializer(OrderSerializer):
    customer = serializers.CharField(source="customer.username", read_only=True)
    next_status = serializers.CharField(read_only=True, allow_null=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "customer", "next_status"]
        read_only_fields = fields

    def to_representation(self, order: Order) -> dict:
        row = row_of(order, (*ORDER_FIELDS, *KITCHEN_FIELDS))
        return kitchen_answer(row, line_answers(order))


def line_answers(order: Order) -> list[dict]:
    return [line_answer(row_of(line, LINE_FIELDS)) for line in order.lines]
