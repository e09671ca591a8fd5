"""Order placement, kitchen progress and cancellation: the rules, in transactions."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.utils import timezone

from accounts.models import User
from menu.models import MenuItem
from orders.exceptions import (
    IdempotencyConflict,
    InvalidOrder,
    TransitionNotAllowed,
    UnknownCustomer,
)
from orders.models import NEXT_STATUS, Order, OrderItem, OrderStatus

MAX_LINES = 50
MAX_QUANTITY = 20
CENT = Decimal("0.01")


@dataclass(frozen=True)
class OrderLineRequest:
    """What the customer asked for: a dish and how many. Nothing about price."""

    menu_item_id: int
    quantity: int


@dataclass(frozen=True)
class PlacedOrder:
    """The order, and whether this call created it (False: a retry's first order)."""

    order: Order
    created: bool


def merge_lines(lines: Sequence[OrderLineRequest]) -> dict[int, int]:
    """Lines naming the same dish become one line with the quantities added."""
    merged: dict[int, int] = {}
    for line in lines:
        merged[line.menu_item_id] = merged.get(line.menu_item_id, 0) + line.quantity
    return merged


def fingerprint(
    *,
    quantities: dict[int, int],
    delivery_address: str,
    note: str,
    restaurant_slug: str | None = None,
) -> str:
    """A digest of what an order asks for, to recognise a retry of the same request.

    The restaurant is part of it only when the request names one, so a request that
    names none has the digest it always had.
    """
    asked = {
        "items": sorted(quantities.items()),
        "delivery_address": delivery_address,
        "note": note,
    }
    if restaurant_slug is not None:
        asked["restaurant"] = restaurant_slug
    canonical = json.dumps(asked, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(*, customer_id: int, idempotency_key: str, digest: str) -> Order | None:
    order = Order.objects.filter(
        customer_id=customer_id, idempotency_key=idempotency_key
    ).first()
    if order is not None and order.request_fingerprint != digest:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used for a different order."
        )
    return order


def _priced_dishes(*, customer_id: int, quantities: dict[int, int]) -> list[MenuItem]:
    """The dishes asked for, with their restaurant, checked for an order.

    The same query asks whether the customer still exists: an access token outlives
    an account deleted meanwhile, whose order would break the foreign key only at
    commit, too late to answer anything but a 500.
    """
    # No ORDER BY: the menu's default order would join the categories for nothing.
    dishes = list(
        MenuItem.objects.select_related("restaurant")
        .filter(pk__in=quantities)
        .annotate(customer_exists=Exists(User.objects.filter(pk=customer_id)))
        .order_by()
    )
    if dishes and not dishes[0].customer_exists:
        raise UnknownCustomer("No account found for the given token.")
    found = {dish.pk for dish in dishes}
    missing = sorted(set(quantities) - found)
    if missing:
        raise InvalidOrder(
            f"Unknown menu item(s): {', '.join(map(str, missing))}.", field="items"
        )
    unavailable = sorted(dish.name for dish in dishes if not dish.available)
    if unavailable:
        raise InvalidOrder(
            f"Not available today: {', '.join(unavailable)}.", field="items"
        )
    restaurants = {dish.restaurant_id for dish in dishes}
    if len(restaurants) > 1:
        raise InvalidOrder(
            "All dishes of an order must come from one restaurant.", field="items"
        )
    restaurant = dishes[0].restaurant
    if not restaurant.is_open:
        raise InvalidOrder(f"{restaurant.name} is closed.", field="items")
    return dishes


def place_order(
    *,
    customer_id: int,
    lines: Sequence[OrderLineRequest],
    delivery_address: str,
    note: str = "",
    restaurant_slug: str | None = None,
    idempotency_key: str | None = None,
) -> PlacedOrder:
    """Create an order priced from the menu, never from what the client sent.

    With an ``idempotency_key``, a retry of the same request returns the first order
    (``created`` is False) and a different request with that key raises
    ``IdempotencyConflict``; concurrent retries are settled by a unique constraint.
    """
    if not 1 <= len(lines) <= MAX_LINES:
        raise InvalidOrder(f"An order has 1 to {MAX_LINES} lines.", field="items")
    quantities = merge_lines(lines)
    for dish_id, quantity in quantities.items():
        if not 1 <= quantity <= MAX_QUANTITY:
            raise InvalidOrder(
                f"Order 1 to {MAX_QUANTITY} of a dish; menu item {dish_id} adds up "
                f"to {quantity}.",
                field="items",
            )
    digest = fingerprint(
        quantities=quantities,
        delivery_address=delivery_address,
        note=note,
        restaurant_slug=restaurant_slug,
    )
    if idempotency_key is not None:
        earlier = _replay(
            customer_id=customer_id, idempotency_key=idempotency_key, digest=digest
        )
        if earlier is not None:
            return PlacedOrder(order=earlier, created=False)
    try:
        order = _create_order(
            customer_id=customer_id,
            quantities=quantities,
            delivery_address=delivery_address,
            note=note,
            restaurant_slug=restaurant_slug,
            idempotency_key=idempotency_key,
            digest=digest,
        )
    except IntegrityError as exc:
        if not User.objects.filter(pk=customer_id).exists():
            # Deleted while the order was written: the commit refused an order
            # that named an account gone meanwhile.
            raise UnknownCustomer("No account found for the given token.") from exc
        if idempotency_key is None:
            raise
        earlier = _replay(
            customer_id=customer_id, idempotency_key=idempotency_key, digest=digest
        )
        if earlier is None:
            raise
        return PlacedOrder(order=earlier, created=False)
    return PlacedOrder(order=order, created=True)


@transaction.atomic
def _create_order(
    *,
    customer_id: int,
    quantities: dict[int, int],
    delivery_address: str,
    note: str,
    restaurant_slug: str | None,
    idempotency_key: str | None,
    digest: str,
) -> Order:
    dishes = _priced_dishes(customer_id=customer_id, quantities=quantities)
    restaurant = dishes[0].restaurant
    if restaurant_slug is not None and restaurant_slug != restaurant.slug:
        raise InvalidOrder(
            "The dishes come from another restaurant than the one named.",
            field="restaurant",
        )
    position = {dish_id: index for index, dish_id in enumerate(quantities)}
    lines = [
        OrderItem(
            menu_item=dish,
            name=dish.name,
            unit_price=dish.price,
            quantity=quantities[dish.pk],
            line_total=(dish.price * quantities[dish.pk]).quantize(CENT),
        )
        for dish in sorted(dishes, key=lambda dish: position[dish.pk])
    ]
    subtotal = sum((line.line_total for line in lines), Decimal("0.00"))
    order = Order.objects.create(
        customer_id=customer_id,
        restaurant=restaurant,
        delivery_address=delivery_address,
        note=note,
        subtotal=subtotal,
        delivery_fee=restaurant.delivery_fee,
        total=subtotal + restaurant.delivery_fee,
        idempotency_key=idempotency_key,
        request_fingerprint=digest,
    )
    for line in lines:
        line.order = order
    OrderItem.objects.bulk_create(lines)
    return order


def _move(order: Order, *, to: str) -> Order:
    """Compare-and-set: the status changes only if nobody changed it meanwhile."""
    now = timezone.now()
    changed = Order.objects.filter(pk=order.pk, status=order.status).update(
        status=to, updated_at=now
    )
    if changed != 1:
        raise TransitionNotAllowed("The order changed meanwhile; reload it.")
    order.status = to
    order.updated_at = now
    return order


@transaction.atomic
def advance_order(
    *, order_id: int, kitchen_user_id: int, expected_status: str | None = None
) -> Order:
    """Move an order of the kitchen's restaurant one step towards the door.

    With ``expected_status`` (the status the cook saw), the step is taken only from
    that status, so a double click or two cooks at once move the order one step,
    not two. Raises ``Order.DoesNotExist`` for an order of another restaurant.
    """
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("restaurant")
        .get(pk=order_id, restaurant__staff__id=kitchen_user_id)
    )
    if expected_status is not None and order.status != expected_status:
        raise TransitionNotAllowed(
            f"The order is already {order.get_status_display().lower()}."
        )
    following = NEXT_STATUS.get(order.status)
    if following is None:
        raise TransitionNotAllowed(
            f"A {order.get_status_display().lower()} order cannot move on."
        )
    return _move(order, to=following)


@transaction.atomic
def cancel_order(*, order_id: int, customer_id: int) -> Order:
    """Cancel one's own order, which is possible only before the kitchen starts.

    Raises ``Order.DoesNotExist`` for someone else's order.
    """
    order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("restaurant")
        .get(pk=order_id, customer_id=customer_id)
    )
    if order.status != OrderStatus.PLACED:
        raise TransitionNotAllowed(
            f"Only a placed order can be cancelled; this one is "
            f"{order.get_status_display().lower()}."
        )
    return _move(order, to=OrderStatus.CANCELLED)
