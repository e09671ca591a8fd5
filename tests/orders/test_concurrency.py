"""Orders under concurrency, on PostgreSQL: nothing lost, nothing doubled."""

from decimal import Decimal

from django.db import IntegrityError
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.models import User
from orders.models import Order, OrderItem
from tests.conftest import bearer_client
from tests.factories import UserFactory
from tests.orders.conftest import order_body
from tests.races import POSTGRES_RACE, run_together

pytestmark = POSTGRES_RACE

ORDERS = reverse("order-list")


def test_twenty_orders_placed_at_once_are_all_kept(alice_client, margherita, pepperoni):
    def place(index):
        body = order_body((margherita, 1 + index % 3), (pepperoni, 1))
        return alice_client.post(ORDERS, body, format="json").status_code

    statuses = run_together(20, place)
    assert statuses == [201] * 20
    assert Order.objects.count() == 20
    for order in Order.objects.prefetch_related("items"):
        lines = list(order.items.all())
        assert order.subtotal == sum(line.line_total for line in lines)
        assert order.total == order.subtotal + Decimal("2.50")
    assert OrderItem.objects.count() == 40


def test_twenty_retries_with_one_key_make_one_order(alice_client, margherita):
    body = order_body((margherita, 2))

    def place(_):
        response = alice_client.post(
            ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="one-checkout"
        )
        return response.status_code, response.json()["id"]

    answers = run_together(20, place)
    assert Order.objects.count() == 1
    assert {order_id for _, order_id in answers} == {Order.objects.get().pk}
    assert sorted(status for status, _ in answers) == [200] * 19 + [201]


def test_ten_cooks_advancing_one_order_move_it_one_step(
    alice_client, chef_client, margherita
):
    order_id = alice_client.post(
        ORDERS, order_body((margherita, 1)), format="json"
    ).json()["id"]
    url = reverse("kitchen-order-advance", args=[order_id])

    def advance(_):
        body = {"current_status": "placed"}
        return chef_client.post(url, body, format="json").status_code

    statuses = run_together(10, advance)
    assert sorted(statuses) == [200] + [409] * 9
    assert Order.objects.get().status == "preparing"


def test_advance_and_cancel_at_once_leave_exactly_one_transition(
    alice_client, chef_client, margherita
):
    order_id = alice_client.post(
        ORDERS, order_body((margherita, 1)), format="json"
    ).json()["id"]
    advance = reverse("kitchen-order-advance", args=[order_id])
    cancel = reverse("order-cancel", args=[order_id])

    def act(index):
        if index % 2:
            body = {"current_status": "placed"}
            return "advance", chef_client.post(advance, body, format="json").status_code
        return "cancel", alice_client.post(cancel).status_code

    results = run_together(10, act)
    winners = [name for name, status in results if status == 200]
    assert len(winners) == 1
    assert all(status == 409 for _, status in results if status != 200)
    expected = "preparing" if winners == ["advance"] else "cancelled"
    assert Order.objects.get().status == expected


def test_an_account_deleted_while_it_orders_is_a_401_never_a_500(margherita):
    """Either the order comes first (201, and the account is kept: it has an
    order), or the deletion does (401, and no order)."""
    customers = UserFactory.create_batch(8)
    clients = {customer.pk: bearer_client(customer) for customer in customers}

    def act(index):
        customer = customers[index // 2]
        if index % 2 == 0:
            body = order_body((margherita, 1))
            return clients[customer.pk].post(ORDERS, body, format="json").status_code
        try:
            User.objects.get(pk=customer.pk).delete()
        except (ProtectedError, IntegrityError):
            return "kept"
        return "deleted"

    results = run_together(2 * len(customers), act)
    for customer, status, deletion in zip(
        customers, results[0::2], results[1::2], strict=True
    ):
        if status == 201:
            assert deletion == "kept"
            assert Order.objects.filter(customer_id=customer.pk).count() == 1
        else:
            assert (status, deletion) == (401, "deleted")
            assert not User.objects.filter(pk=customer.pk).exists()
    assert Order.objects.count() == results[0::2].count(201)
