"""Pages of orders for the list endpoints: plain rows in, answers out, two queries.

The lists are the API's busiest reads: the site asks for them again every few
seconds. Read as model instances, a page of twenty orders builds an Order, a
Restaurant and an OrderItem object per row before a line of the answer is
written, and that was the largest part of the list's cost (bench/README.md). Here
the orders and then their lines are read as rows (``values()``), and the answer is
written straight from them by the functions ``orders.serializers`` writes one
order's answer with. Single orders are still read as models.

Turning field names into joins and columns (``values()``) cost a list about as much
as running its two queries (bench/README.md), and comes out the same every time. So
each shape of query is built once, by the cached functions below, and every request
filters a copy of it (``all()``): a built queryset is never evaluated, nor changed.
"""

from collections import defaultdict
from collections.abc import Sequence
from functools import cache

from django.db.models import QuerySet
from django.utils import timezone

from orders.models import Order, OrderItem
from orders.serializers import (
    LINE_FIELDS,
    ORDER_FIELDS,
    Row,
    kitchen_answer,
    line_answer,
    order_answer,
)


@cache
def _built_order_rows(also: tuple[str, ...]) -> QuerySet[Order, Row]:
    return Order.objects.values(*ORDER_FIELDS, *also)


@cache
def _built_line_rows() -> QuerySet[OrderItem, Row]:
    return OrderItem.objects.order_by("id").values("order_id", *LINE_FIELDS)


def order_rows(*also: str) -> QuerySet[Order, Row]:
    """Orders as rows, newest first; ``also`` adds fields (the kitchen's customer)."""
    return _built_order_rows(also).all()


def customer_answers(rows: Sequence[Row]) -> list[dict]:
    """A customer's view of a page of orders (``OrderSerializer``'s answer)."""
    lines = lines_by_order(rows)
    zone = timezone.get_current_timezone()
    return [order_answer(row, lines[row["id"]], zone) for row in rows]


def kitchen_answers(rows: Sequence[Row]) -> list[dict]:
    """The kitchen's view (``KitchenOrderSerializer``'s answer); the rows need
    ``KITCHEN_FIELDS``."""
    lines = lines_by_order(rows)
    zone = timezone.get_current_timezone()
    return [kitchen_answer(row, lines[row["id"]], zone) for row in rows]


def lines_by_order(rows: Sequence[Row]) -> defaultdict[int, list[dict]]:
    """The lines of every order of the page, in one query (none for an empty page)."""
    lines: defaultdict[int, list[dict]] = defaultdict(list)
    if not rows:
        return lines
    found = _built_line_rows().filter(order_id__in=[row["id"] for row in rows])
    for line in found:
        lines[line["order_id"]].append(line_answer(line))
    return lines
