"""The orders a customer or a kitchen may read, as querysets ready to render."""

from django.db.models import QuerySet

from orders.models import Order


def orders_with_lines() -> QuerySet[Order]:
    """Orders with what their answer shows: two queries for a whole page."""
    return Order.objects.select_related("restaurant").prefetch_related("items")


def customer_orders(*, customer_id: int) -> QuerySet[Order]:
    """A customer's own orders; anyone else's are not in the queryset at all."""
    return orders_with_lines().filter(customer_id=customer_id)


def kitchen_orders(*, kitchen_user_id: int) -> QuerySet[Order]:
    """The orders of the restaurant a member of the kitchen staff works in."""
    return (
        orders_with_lines()
        .select_related("customer")
        .filter(restaurant__staff__id=kitchen_user_id)
    )
