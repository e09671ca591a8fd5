"""Pages of orders for the list endpoints: plain rows in, answers out, two queries.

The lists are the API's busiest reads: the site asks for them again every few
seconds. Read as model instances, a page of twenty orders builds an Order, a
Restaurant and an OrderItem object per row before a line of the answer is
written, and that was the largest part of the list's cost (bench/README.md). Here
the orders and then their lines are read as rows (``values()``), and the answer is
written straight from them: the same answer, character for character, as
``orders.serializers`` gives for one order (tests/orders/test_serializers.py holds
the two together). Single orders are still read and answered as models.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from orders.models import NEXT_STATUS, Order, OrderItem
from orders.serializers import money, timestamp

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
LINE_FIELDS = (
    "order_id",
    "menu_item_id",
    "name",
    "unit_price",
    "quantity",
    "line_total",
)

Row = dict[str, Any]


def order_rows(*also: str) -> QuerySet[Order, Row]:
    """Orders as rows, newest first; ``also`` adds fields (the kitchen's customer)."""
    return Order.objects.values(*ORDER_FIELDS, *also)


def customer_answers(rows: Sequence[Row]) -> list[dict]:
    """A customer's view of a page of orders (``OrderSerializer``'s answer)."""
    lines = lines_by_order(rows)
    return [answer(row, lines[row["id"]]) for row in rows]


def kitchen_answers(rows: Sequence[Row]) -> list[dict]:
    """The kitchen's view: who ordered, and where the order goes next
    (``KitchenOrderSerializer``'s answer). The rows need ``customer__username``."""
    lines = lines_by_order(rows)
    return [
        {
            **answer(row, lines[row["id"]]),
            "customer": row["customer__username"],
            "next_status": NEXT_STATUS.get(row["status"]),
        }
        for row in rows
    ]


def lines_by_order(rows: Sequence[Row]) -> defaultdict[int, list[dict]]:
    """The lines of every order of the page, in one query (none for an empty page)."""
    lines: defaultdict[int, list[dict]] = defaultdict(list)
    if not rows:
        return lines
    found = (
        OrderItem.objects.filter(order_id__in=[row["id"] for row in rows])
        .order_by("id")
        .values_list(*LINE_FIELDS)
    )
    for order_id, menu_item_id, name, unit_price, quantity, line_total in found:
        lines[order_id].append(
            {
                "menu_item": menu_item_id,
                "name": name,
                "unit_price": money(unit_price),
                "quantity": quantity,
                "line_total": money(line_total),
            }
        )
    return lines


def answer(row: Row, lines: list[dict]) -> dict:
    return {
        "id": row["id"],
        "status": row["status"],
        "restaurant": row["restaurant__slug"],
        "items": lines,
        "subtotal": money(row["subtotal"]),
        "delivery_fee": money(row["delivery_fee"]),
        "total": money(row["total"]),
        "delivery_address": row["delivery_address"],
        "note": row["note"],
        "created_at": timestamp(row["created_at"]),
        "updated_at": timestamp(row["updated_at"]),
    }
