"""The orders a customer or a kitchen may read, as querysets ready to render."""

from datetime import timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from orders.models import ACTIVE_STATUSES, Order

# How long an order stays on the kitchen's board once placed, when the kitchen is
# done with it sooner.
RECENT_HOURS = 3


def orders_with_lines() -> QuerySet[Order]:
    """Orders with what their answer shows: two queries for a whole page."""
    return Order.objects.select_related("restaurant").prefetch_related("items")


def customer_orders(*, customer_id: int) -> QuerySet[Order]:
    """A customer's own orders; anyone else's are not in the queryset at all."""
    return orders_with_lines().filter(customer_id=customer_id)


def kitchen_orders(*, kitchen_user_id: int) -> QuerySet[Order]:
    """The orders of the restaurant a member of the kitchen staff works in, each
    with its customer's username (``customer_username``).

    Both are subqueries, not joins. The restaurant's: the database then knows which
    restaurant it is before it picks an index, and reads its orders only. The
    customer's: it is looked up for the rows of the page alone, once they are
    sorted; a join would come before the sort and could read every account.
    """
    restaurant = User.objects.filter(pk=kitchen_user_id).values("restaurant")
    username = User.objects.filter(pk=OuterRef("customer_id")).values("username")
    return (
        orders_with_lines()
        .filter(restaurant=Subquery(restaurant))
        .annotate(customer_username=Subquery(username))
    )


def kitchens_work(
    orders: QuerySet[Order],
) -> tuple[QuerySet[Order], QuerySet[Order]]:
    """What a kitchen is busy with, as two lists that never share an order: the
    orders placed in the last ``RECENT_HOURS`` hours, whatever their status, and
    the older ones still in the kitchen (placed, preparing, ready, out for
    delivery).

    Newest first, the first list ends where the second begins. Each is an index
    read from where a page starts (``order_restaurant_recent``, then the partial
    ``order_restaurant_work``), never past orders; ``orders.board_walks`` pages
    them as one list.
    """
    since = timezone.now() - timedelta(hours=RECENT_HOURS)
    return (
        orders.filter(created_at__gte=since),
        orders.filter(created_at__lt=since, status__in=ACTIVE_STATUSES),
    )
