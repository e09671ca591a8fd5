"""Orders and their lines, with the prices copied at the moment of ordering."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round


class OrderStatus(models.TextChoices):
    PLACED = "placed", "Placed"
    PREPARING = "preparing", "Preparing"
    READY = "ready", "Ready"
    OUT_FOR_DELIVERY = "out_for_delivery", "Out for delivery"
    DELIVERED = "delivered", "Delivered"
    CANCELLED = "cancelled", "Cancelled"


# The kitchen moves an order one step at a time along this path.
NEXT_STATUS: dict[str, str] = {
    OrderStatus.PLACED: OrderStatus.PREPARING,
    OrderStatus.PREPARING: OrderStatus.READY,
    OrderStatus.READY: OrderStatus.OUT_FOR_DELIVERY,
    OrderStatus.OUT_FOR_DELIVERY: OrderStatus.DELIVERED,
}
# Orders that still need the kitchen, and those it is done with.
ACTIVE_STATUSES = tuple(NEXT_STATUS)
FINISHED_STATUSES = (OrderStatus.DELIVERED, OrderStatus.CANCELLED)


class Order(models.Model):
    """One customer's order from one restaurant, priced by the server."""

    # Indexed by the composite indexes below, which begin with them.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
    )
    restaurant = models.ForeignKey(
        "menu.Restaurant",
        on_delete=models.PROTECT,
        related_name="orders",
        db_index=False,
    )
    status = models.CharField(
        max_length=20, choices=OrderStatus, default=OrderStatus.PLACED
    )
    delivery_address = models.TextField(max_length=500)
    note = models.TextField(max_length=500, blank=True)
    subtotal = models.DecimalField(max_digits=10, decimal_places=2)
    delivery_fee = models.DecimalField(max_digits=6, decimal_places=2)
    total = models.DecimalField(max_digits=10, decimal_places=2)
    # NULL, not "", means "no key": the unique constraint below skips NULLs.
    idempotency_key = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True
    )
    request_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # One index per list, in the list's own order (newest first), so that a
        # page is read from where the last one ended, whatever the history's size.
        indexes = [
            # A customer's orders.
            models.Index(
                fields=["customer", "-created_at", "-id"],
                name="order_customer_recent",
            ),
            # A kitchen's whole history (?show=all).
            models.Index(
                fields=["restaurant", "-created_at", "-id"],
                name="order_restaurant_recent",
            ),
            # A kitchen's orders of one status (?status=).
            models.Index(
                fields=["restaurant", "status", "-created_at", "-id"],
                name="order_restaurant_status",
            ),
            # The orders still in a kitchen, however old: the board's work, past
            # its last hours (selectors.kitchens_work).
            models.Index(
                fields=["restaurant", "-created_at", "-id"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="order_restaurant_work",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_known"
            ),
            models.CheckConstraint(
                condition=Q(subtotal__gt=0), name="order_subtotal_positive"
            ),
            models.CheckConstraint(
                condition=Q(delivery_fee__gte=0), name="order_delivery_fee_not_negative"
            ),
            # Rounded to the cent: SQLite does decimal arithmetic in binary floating
            # point, where 0.10 + 0.20 is 0.30000000000000004, not the 0.30 stored.
            # PostgreSQL's numeric is exact; rounding changes nothing there.
            models.CheckConstraint(
                condition=Q(total=Round(F("subtotal") + F("delivery_fee"), 2)),
                name="order_total_is_subtotal_plus_fee",
            ),
            models.UniqueConstraint(
                fields=["customer", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="order_idempotency_key_once_per_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"Order {self.pk} ({self.get_status_display()})"

    @property
    def next_status(self) -> str | None:
        return NEXT_STATUS.get(self.status)


class OrderItem(models.Model):
    """A line of an order: the dish's name and price as they were when ordered."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    menu_item = models.ForeignKey(
        "menu.MenuItem", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    name = models.CharField(max_length=120)
    unit_price = models.DecimalField(max_digits=7, decimal_places=2)
    quantity = models.PositiveSmallIntegerField()
    line_total = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1, quantity__lte=20),
                name="order_item_quantity_1_to_20",
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gt=0), name="order_item_unit_price_positive"
            ),
            # Rounded to the cent, as the order's total is (12.90 x 3 in binary
            # floating point, as SQLite computes it, is 38.699999999999996).
            models.CheckConstraint(
                condition=Q(line_total=Round(F("unit_price") * F("quantity"), 2)),
                name="order_item_line_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.name}"
