"""The rules of an order, called as the views call them, through the real database."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from orders import services
from orders.exceptions import (
    IdempotencyConflict,
    InvalidOrder,
    TransitionNotAllowed,
    UnknownCustomer,
)
from orders.models import Order, OrderItem
from tests.factories import KitchenUserFactory

NOON = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def line(dish, quantity=1) -> services.OrderLineRequest:
    return services.OrderLineRequest(menu_item_id=dish.pk, quantity=quantity)


def place(customer, *lines, **extra) -> Order:
    extra.setdefault("delivery_address", "1 Main Street")
    return services.place_order(customer_id=customer.pk, lines=lines, **extra).order


def rows() -> tuple:
    """Every order and line there is, to show that a refusal wrote nothing."""
    return (
        tuple(Order.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        tuple(OrderItem.objects.order_by("pk").values_list("pk", "quantity")),
    )


# --- place_order ------------------------------------------------------------------


def test_place_order_prices_from_the_menu_and_copies_the_lines(
    alice, margherita, pepperoni
):
    order = place(alice, line(margherita, 2), line(pepperoni), note="Ring twice")
    order = Order.objects.get(pk=order.pk)
    assert order.customer == alice
    assert order.restaurant.slug == "marios-pizzeria"
    assert order.status == "placed"
    assert order.subtotal == Decimal("36.00")
    assert order.delivery_fee == Decimal("2.50")
    assert order.total == Decimal("38.50")
    assert order.note == "Ring twice"
    assert [
        (item.menu_item_id, item.name, item.unit_price, item.quantity, item.line_total)
        for item in order.items.all()
    ] == [
        (margherita.pk, "Margherita Pizza", Decimal("11.50"), 2, Decimal("23.00")),
        (pepperoni.pk, "Pepperoni Pizza", Decimal("13.00"), 1, Decimal("13.00")),
    ]


def test_place_order_returns_the_model_with_nothing_added_for_a_view(alice, margherita):
    placed = services.place_order(
        customer_id=alice.pk, lines=[line(margherita)], delivery_address="1 Main St"
    )
    assert placed.created is True
    assert vars(placed.order).keys() == vars(Order.objects.get()).keys()


def test_place_order_merges_lines_of_the_same_dish(alice, margherita, pepperoni):
    order = place(alice, line(margherita, 2), line(pepperoni), line(margherita, 3))
    quantities = dict(order.items.values_list("name", "quantity"))
    assert quantities == {"Margherita Pizza": 5, "Pepperoni Pizza": 1}


def test_the_same_idempotency_key_returns_the_first_order(alice, margherita):
    first = services.place_order(
        customer_id=alice.pk,
        lines=[line(margherita)],
        delivery_address="1 Main Street",
        idempotency_key="key-1",
    )
    before = rows()
    again = services.place_order(
        customer_id=alice.pk,
        lines=[line(margherita)],
        delivery_address="1 Main Street",
        idempotency_key="key-1",
    )
    assert (first.created, again.created) == (True, False)
    assert again.order.pk == first.order.pk
    assert rows() == before


def test_the_same_key_with_another_order_is_refused(alice, margherita):
    place(alice, line(margherita), idempotency_key="key-1")
    before = rows()
    with pytest.raises(IdempotencyConflict):
        place(alice, line(margherita, 2), idempotency_key="key-1")
    assert rows() == before


def test_the_same_key_naming_another_restaurant_is_refused(alice, margherita, sushi):
    """A retry must ask for the same thing: a restaurant that disagrees with the
    first order's is another request, not a replay of it."""
    slug = margherita.restaurant.slug
    place(alice, line(margherita), idempotency_key="key-1", restaurant_slug=slug)
    before = rows()
    with pytest.raises(IdempotencyConflict):
        place(
            alice, line(margherita), idempotency_key="key-1", restaurant_slug=sushi.slug
        )
    assert rows() == before
    again = place(
        alice, line(margherita), idempotency_key="key-1", restaurant_slug=slug
    )
    assert again.restaurant.slug == slug


def refusals(margherita, pepperoni, sushi) -> dict[str, tuple[list, dict]]:
    calzone = margherita.restaurant.items.get(name="Calzone")
    tuna = sushi.items.get()
    unknown = services.OrderLineRequest(menu_item_id=99999, quantity=1)
    return {
        "no lines": ([], {}),
        "fifty-one lines": ([line(margherita)] * 51, {}),
        "twenty-one of a dish": ([line(margherita, 20), line(margherita, 1)], {}),
        "an unknown dish": ([line(margherita), unknown], {}),
        "an unavailable dish": ([line(calzone)], {}),
        "two restaurants": ([line(margherita), line(tuna)], {}),
        "another restaurant named": ([line(pepperoni)], {"restaurant_slug": "sakura"}),
    }


REFUSED = [
    "no lines",
    "fifty-one lines",
    "twenty-one of a dish",
    "an unknown dish",
    "an unavailable dish",
    "two restaurants",
    "another restaurant named",
]


@pytest.mark.parametrize("case", REFUSED)
def test_place_order_refuses_what_cannot_be_an_order(
    alice, margherita, pepperoni, sushi, case
):
    place(alice, line(margherita))
    lines, extra = refusals(margherita, pepperoni, sushi)[case]
    before = rows()
    with pytest.raises(InvalidOrder):
        place(alice, *lines, **extra)
    assert rows() == before


def test_a_closed_restaurant_takes_no_order(alice, margherita):
    margherita.restaurant.is_open = False
    margherita.restaurant.save()
    with pytest.raises(InvalidOrder, match="closed"):
        place(alice, line(margherita))
    assert rows() == ((), ())


def test_a_deleted_customer_places_no_order(alice, margherita):
    customer_id = alice.pk
    alice.delete()
    with pytest.raises(UnknownCustomer):
        services.place_order(
            customer_id=customer_id, lines=[line(margherita)], delivery_address="x"
        )
    assert rows() == ((), ())


# --- advance_order ----------------------------------------------------------------


def test_advance_order_takes_an_order_to_the_door_one_step_at_a_time(
    alice, chef, margherita
):
    with time_machine.travel(NOON, tick=False):
        order = place(alice, line(margherita))
    seen = []
    for minutes in (5, 10, 15, 20):
        with time_machine.travel(NOON + timedelta(minutes=minutes), tick=False):
            moved = services.advance_order(order_id=order.pk, kitchen_user_id=chef.pk)
        stored = Order.objects.get(pk=order.pk)
        assert (stored.status, stored.updated_at) == (moved.status, moved.updated_at)
        assert stored.updated_at == NOON + timedelta(minutes=minutes)
        seen.append(stored.status)
    assert seen == ["preparing", "ready", "out_for_delivery", "delivered"]
    assert stored.created_at == NOON
    before = rows()
    with pytest.raises(TransitionNotAllowed, match="delivered order cannot move on"):
        services.advance_order(order_id=order.pk, kitchen_user_id=chef.pk)
    assert rows() == before


def test_advance_order_from_a_status_no_longer_there_changes_nothing(
    alice, chef, margherita
):
    order = place(alice, line(margherita))
    services.advance_order(
        order_id=order.pk, kitchen_user_id=chef.pk, expected_status="placed"
    )
    before = rows()
    with pytest.raises(TransitionNotAllowed, match="already preparing"):
        services.advance_order(
            order_id=order.pk, kitchen_user_id=chef.pk, expected_status="placed"
        )
    assert rows() == before


def test_another_kitchen_cannot_advance_an_order(alice, margherita, sushi):
    order = place(alice, line(margherita))
    sushi_chef = KitchenUserFactory(restaurant=sushi)
    before = rows()
    with pytest.raises(Order.DoesNotExist):
        services.advance_order(order_id=order.pk, kitchen_user_id=sushi_chef.pk)
    with pytest.raises(Order.DoesNotExist):
        services.advance_order(order_id=order.pk, kitchen_user_id=alice.pk)
    assert rows() == before


def test_a_cancelled_order_cannot_advance(alice, chef, margherita):
    order = place(alice, line(margherita))
    services.cancel_order(order_id=order.pk, customer_id=alice.pk)
    before = rows()
    with pytest.raises(TransitionNotAllowed, match="cancelled order cannot move on"):
        services.advance_order(order_id=order.pk, kitchen_user_id=chef.pk)
    assert rows() == before


# --- cancel_order -----------------------------------------------------------------


def test_cancel_order_cancels_a_placed_order(alice, margherita):
    with time_machine.travel(NOON, tick=False):
        order = place(alice, line(margherita))
    with time_machine.travel(NOON + timedelta(minutes=2), tick=False):
        cancelled = services.cancel_order(order_id=order.pk, customer_id=alice.pk)
    stored = Order.objects.get(pk=order.pk)
    assert cancelled.status == stored.status == "cancelled"
    assert stored.updated_at == NOON + timedelta(minutes=2)


def test_an_order_in_the_kitchen_cannot_be_cancelled(alice, chef, margherita):
    order = place(alice, line(margherita))
    services.advance_order(order_id=order.pk, kitchen_user_id=chef.pk)
    before = rows()
    with pytest.raises(TransitionNotAllowed, match="this one is preparing"):
        services.cancel_order(order_id=order.pk, customer_id=alice.pk)
    assert rows() == before


def test_someone_elses_order_cannot_be_cancelled(alice, bob, margherita):
    order = place(alice, line(margherita))
    before = rows()
    with pytest.raises(Order.DoesNotExist):
        services.cancel_order(order_id=order.pk, customer_id=bob.pk)
    assert rows() == before
