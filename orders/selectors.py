"""The orders a customer or a kitchen may read, as querysets ready to render."""

from datetime import timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from orders.models import ACTIVE_STATUSES, FINISHED_STATUSES, Order

# How long a delivered or cancelled order stays on the kitchen's board.
RECENTLY_FINISHED_HOURS = 3


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


def kitchens_work(orders: QuerySet[Order]) -> QuerySet[Order]:
    """The orders that still need the kitchen, and those it finished lately.

    However long the history, this is what a kitchen is busy with: the database
    finds both kinds by index (``order_restaurant_status``, then
    ``order_restaurant_updated``), never by reading past orders.
    """
    since = timezone.now() - timedelta(hours=RECENTLY_FINISHED_HOURS)
    return orders.filter(
        Q(status__in=ACTIVE_STATUSES)
        | Q(status__in=FINISHED_STATUSES, updated_at__gte=since)
    )
