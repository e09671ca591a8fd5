"""Order requests are validated and answers rendered here; orders are born elsewhere."""

from rest_framework import serializers

from api.fields import StrictCharField, StrictSlugField
from orders.models import Order, OrderItem, OrderStatus
from orders.selectors import RECENT_HOURS
from orders.services import MAX_LINES, MAX_QUANTITY

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
    restaurant = StrictSlugField(
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


class KitchenBoardQuerySerializer(serializers.Serializer):
    """The kitchen board's query string (orders.filters.KitchenBoardFilter)."""

    status = serializers.ChoiceField(
        choices=OrderStatus.choices,
        required=False,
        help_text="Only the orders in this status.",
    )
    show = serializers.ChoiceField(
        choices=[
            (
                "work",
                "The orders still to deliver (placed, preparing, ready, out for "
                "delivery), however old, and every order placed in the last "
                f"{RECENT_HOURS} hours",
            ),
            ("all", "Every order of the restaurant, however old"),
        ],
        default="work",
        help_text="What the board shows: the work, unless asked for all.",
    )


class OrderItemSerializer(serializers.ModelSerializer):
    """A line as the customer paid for it: the dish's name and price when ordered."""

    class Meta:
        model = OrderItem
        fields = ["menu_item", "name", "unit_price", "quantity", "line_total"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    """An order as its customer sees it; every field belongs to the server."""

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


class KitchenOrderSerializer(OrderSerializer):
    """The kitchen's view adds who ordered and where the order goes next.

    It renders orders of ``selectors.kitchen_orders``, which name the customer.
    """

    customer = serializers.CharField(source="customer_username", read_only=True)
    next_status = serializers.CharField(read_only=True, allow_null=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "customer", "next_status"]
        read_only_fields = fields
