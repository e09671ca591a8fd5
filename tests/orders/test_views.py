"""The waiter: orders need a valid token, are priced by the server, stay private."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import Order, OrderItem
from tests.factories import build_menu
from tests.orders.conftest import order_body

ORDERS = reverse("order-list")
KITCHEN = reverse("kitchen-order-list")


def order_url(pk):
    return reverse("order-detail", args=[pk])


def cancel_url(pk):
    return reverse("order-cancel", args=[pk])


def advance_url(pk):
    return reverse("kitchen-order-advance", args=[pk])


def place(client, *lines, **extra):
    return client.post(ORDERS, order_body(*lines, **extra), format="json")


def assert_nothing_written():
    assert Order.objects.count() == 0
    assert OrderItem.objects.count() == 0


# --- no card, no order --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", ORDERS),
        ("post", ORDERS),
        ("options", ORDERS),
        ("head", ORDERS),
        ("get", "/api/orders/1/"),
        ("post", "/api/orders/1/cancel/"),
        ("options", "/api/orders/1/"),
        ("get", KITCHEN),
        ("options", KITCHEN),
        ("post", "/api/kitchen/orders/1/advance/"),
    ],
)
def test_every_order_path_needs_a_token(api_client, db, method, url):
    response = getattr(api_client, method)(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    if method != "head":
        assert response.json()["code"] == "not_authenticated"


def test_a_session_login_is_not_a_token(client, alice, margherita):
    client.force_login(alice)
    response = client.post(
        ORDERS, order_body((margherita, 1)), content_type="application/json"
    )
    assert response.status_code == 401
    assert_nothing_written()


def test_a_forged_token_places_nothing(api_client, margherita):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer a.b.c")
    assert place(api_client, (margherita, 1)).status_code == 401
    assert_nothing_written()


# --- placing an order ------------------------------------------------------------


def test_place_order_is_priced_by_the_server(
    alice_client, alice, margherita, pepperoni
):
    response = place(
        alice_client,
        (margherita, 2),
        (pepperoni, 1),
        note="Ring twice",
        price="0.01",
        total="0.01",
        subtotal="0.01",
        status="delivered",
        customer=999,
        unit_price="0.01",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "placed"
    assert body["restaurant"] == "marios-pizzeria"
    assert body["items"] == [
        {
            "menu_item": margherita.pk,
            "name": "Margherita Pizza",
            "unit_price": "11.50",
            "quantity": 2,
            "line_total": "23.00",
        },
        {
            "menu_item": pepperoni.pk,
            "name": "Pepperoni Pizza",
            "unit_price": "13.00",
            "quantity": 1,
            "line_total": "13.00",
        },
    ]
    assert body["subtotal"] == "36.00"
    assert body["delivery_fee"] == "2.50"
    assert body["total"] == "38.50"
    assert body["note"] == "Ring twice"
    order = Order.objects.get()
    assert order.customer == alice
    assert order.total == Decimal("38.50")


@pytest.mark.parametrize(
    ("price", "quantity", "fee", "total"),
    [
        ("0.10", 3, "0.20", "0.50"),
        ("12.90", 3, "0.20", "38.90"),
        ("0.07", 7, "0.01", "0.50"),
        ("99999.99", 20, "9999.99", "2009999.79"),
    ],
)
def test_amounts_that_binary_floats_cannot_hold_are_exact(
    alice_client, db, price, quantity, fee, total
):
    """12.90 x 3 is 38.699999999999996 in floating point, as SQLite computes it
    when it checks the database's constraints; the order must still be placed."""
    restaurant = build_menu(restaurants=1, categories=1, dishes=1)[0]
    restaurant.delivery_fee = Decimal(fee)
    restaurant.save()
    dish = restaurant.items.get()
    dish.price = Decimal(price)
    dish.save()
    response = place(alice_client, (dish, quantity))
    assert response.status_code == 201, response.content
    assert response.json()["total"] == total
    assert Order.objects.get().total == Decimal(total)
    assert OrderItem.objects.get().line_total == Decimal(price) * quantity


def test_the_price_paid_stays_when_the_menu_changes(alice_client, margherita):
    order_id = place(alice_client, (margherita, 1)).json()["id"]
    margherita.price = Decimal("99.00")
    margherita.name = "Renamed"
    margherita.save()
    body = alice_client.get(order_url(order_id)).json()
    assert body["items"][0]["unit_price"] == "11.50"
    assert body["items"][0]["name"] == "Margherita Pizza"


def test_duplicate_lines_are_merged(alice_client, margherita):
    response = place(alice_client, (margherita, 2), (margherita, 3))
    assert response.status_code == 201
    assert [(line["quantity"]) for line in response.json()["items"]] == [5]


def test_duplicate_lines_adding_up_past_twenty_are_refused(alice_client, margherita):
    response = place(alice_client, (margherita, 15), (margherita, 6))
    assert response.status_code == 400
    assert "items" in response.json()
    assert_nothing_written()


@pytest.mark.parametrize("quantity", [0, -1, 21, 1.5, 2.0, "two", 10**30, True, None])
def test_bad_quantities_are_refused(alice_client, margherita, quantity):
    body = {
        "items": [{"menu_item": margherita.pk, "quantity": quantity}],
        "delivery_address": "1 Main Street",
    }
    response = alice_client.post(ORDERS, body, format="json")
    assert response.status_code == 400, response.content
    assert "items" in response.json()
    assert_nothing_written()


@pytest.mark.parametrize("menu_item", [999_999, "abc", 1.5, -3, 0, None, 2**70, [1]])
def test_unknown_or_malformed_menu_items_are_refused(alice_client, pizzeria, menu_item):
    body = {
        "items": [{"menu_item": menu_item, "quantity": 1}],
        "delivery_address": "1 Main Street",
    }
    response = alice_client.post(ORDERS, body, format="json")
    assert response.status_code == 400
    assert "items" in response.json()
    assert_nothing_written()


def test_unavailable_dish_is_refused(alice_client, pizzeria):
    calzone = pizzeria.items.get(name="Calzone")
    response = place(alice_client, (calzone, 1))
    assert response.status_code == 400
    assert response.json() == {"items": ["Not available today: Calzone."]}
    assert_nothing_written()


def test_items_of_two_restaurants_are_refused(alice_client, margherita, sushi):
    response = place(alice_client, (margherita, 1), (sushi.items.get(), 1))
    assert response.status_code == 400
    assert "one restaurant" in response.json()["items"][0]
    assert_nothing_written()


def test_a_closed_restaurant_takes_no_order(alice_client, pizzeria, margherita):
    pizzeria.is_open = False
    pizzeria.save()
    response = place(alice_client, (margherita, 1))
    assert response.status_code == 400
    assert "closed" in response.json()["items"][0]
    assert_nothing_written()


def test_a_restaurant_that_disagrees_with_the_items_is_refused(
    alice_client, margherita, sushi
):
    response = place(alice_client, (margherita, 1), restaurant="sakura")
    assert response.status_code == 400
    assert "restaurant" in response.json()
    assert_nothing_written()
    agreeing = place(alice_client, (margherita, 1), restaurant="marios-pizzeria")
    assert agreeing.status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"items": [], "delivery_address": "1 Main Street"},
        {"delivery_address": "1 Main Street"},
        {"items": "pizza", "delivery_address": "1 Main Street"},
        {"items": [1, 2], "delivery_address": "1 Main Street"},
        {"items": [{"quantity": 1}], "delivery_address": "1 Main Street"},
        {"items": [{"menu_item": "MARGHERITA", "quantity": 1}]},
        {"items": [{"menu_item": "MARGHERITA", "quantity": 1}], "delivery_address": ""},
        {
            "items": [{"menu_item": "MARGHERITA", "quantity": 1}],
            "delivery_address": " ",
        },
        {
            "items": [{"menu_item": "MARGHERITA", "quantity": 1}],
            "delivery_address": "x" * 501,
        },
        {
            "items": [{"menu_item": "MARGHERITA", "quantity": 1}],
            "delivery_address": {"street": "Main"},
        },
        [{"menu_item": "MARGHERITA", "quantity": 1}],
        "just a string",
        None,
        42,
    ],
)
def test_malformed_bodies_are_refused(alice_client, margherita, body):
    if isinstance(body, dict):
        for line in (
            body.get("items", []) if isinstance(body.get("items"), list) else []
        ):
            if isinstance(line, dict) and line.get("menu_item") == "MARGHERITA":
                line["menu_item"] = margherita.pk
    elif isinstance(body, list):
        body[0]["menu_item"] = margherita.pk
    response = alice_client.post(ORDERS, body, format="json")
    assert response.status_code == 400, response.content
    assert_nothing_written()


def test_a_body_that_is_not_json_is_refused(alice_client, margherita):
    response = alice_client.post(
        ORDERS, "{'items': oops", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert_nothing_written()


def test_fifty_one_lines_are_refused(alice_client, db):
    restaurant = build_menu(restaurants=1, categories=3, dishes=17)[0]
    dishes = list(restaurant.items.all())
    assert len(dishes) == 51
    response = place(alice_client, *[(dish, 1) for dish in dishes])
    assert response.status_code == 400
    assert "items" in response.json()
    assert_nothing_written()
    assert place(alice_client, *[(dish, 1) for dish in dishes[:50]]).status_code == 201


# --- Idempotency-Key ----------------------------------------------------------------


def test_the_same_key_returns_the_first_order(alice_client, margherita):
    first = alice_client.post(
        ORDERS, order_body((margherita, 1)), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = alice_client.post(
        ORDERS, order_body((margherita, 1)), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert first.status_code == 201
    assert first["Idempotent-Replayed"] == "false"
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Order.objects.count() == 1


def test_the_same_key_with_another_body_is_a_409(alice_client, margherita):
    alice_client.post(
        ORDERS, order_body((margherita, 1)), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    response = alice_client.post(
        ORDERS, order_body((margherita, 2)), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_a_restaurant_that_is_not_text_is_refused_even_on_a_replay(
    alice_client, margherita
):
    first = alice_client.post(
        ORDERS, order_body((margherita, 1)), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    for key in ("k-1", None):
        extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
        response = alice_client.post(
            ORDERS, order_body((margherita, 1), restaurant=0), format="json", **extra
        )
        assert response.status_code == 400, key
        assert list(response.json()) == ["restaurant"], key
    assert list(Order.objects.values_list("pk", flat=True)) == [first.json()["id"]]


def test_keys_of_different_users_never_collide(alice_client, bob_client, margherita):
    for client in (alice_client, bob_client):
        response = client.post(
            ORDERS, order_body((margherita, 1)), format="json", HTTP_IDEMPOTENCY_KEY="k"
        )
        assert response.status_code == 201
    assert Order.objects.count() == 2


@pytest.mark.parametrize("key", ["x" * 65, "with space", "tab\tkey", "é"])
def test_malformed_keys_are_refused(alice_client, margherita, key):
    response = alice_client.post(
        ORDERS, order_body((margherita, 1)), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert_nothing_written()


def test_an_order_without_a_key_is_placed_twice(alice_client, margherita):
    place(alice_client, (margherita, 1))
    place(alice_client, (margherita, 1))
    assert Order.objects.count() == 2


# --- reading orders ------------------------------------------------------------------


def test_own_orders_newest_first_and_paginated(alice_client, bob_client, margherita):
    ids = [place(alice_client, (margherita, n)).json()["id"] for n in (1, 2, 3)]
    place(bob_client, (margherita, 1))
    body = alice_client.get(ORDERS).json()
    assert body == {"next": None, "previous": None, "results": body["results"]}
    assert [order["id"] for order in body["results"]] == ids[::-1]


def test_someone_elses_order_is_a_404(alice_client, bob_client, margherita):
    order_id = place(alice_client, (margherita, 1)).json()["id"]
    assert alice_client.get(order_url(order_id)).status_code == 200
    response = bob_client.get(order_url(order_id))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert bob_client.post(cancel_url(order_id)).status_code == 404
    assert Order.objects.get().status == "placed"


@pytest.mark.parametrize("pk", ["999999", "abc", "0", "-1", "9" * 30])
def test_unknown_or_malformed_order_ids_are_404s(alice_client, db, pk):
    assert alice_client.get(f"{ORDERS}{pk}/").status_code == 404
    assert alice_client.post(f"{ORDERS}{pk}/cancel/").status_code == 404


# The orders and their lines: 2 queries, however many orders there are.
@pytest.mark.parametrize("size", [1, 6, 21])
def test_order_list_query_count_is_fixed(
    alice_client, margherita, pepperoni, size, django_assert_num_queries
):
    for _ in range(size):
        place(alice_client, (margherita, 1), (pepperoni, 2))
    with django_assert_num_queries(2):
        body = alice_client.get(ORDERS).json()
    assert len(body["results"]) == min(size, 20)
    assert all(len(order["items"]) == 2 for order in body["results"])


def test_order_detail_query_count(alice_client, margherita, django_assert_num_queries):
    order_id = place(alice_client, (margherita, 1)).json()["id"]
    with django_assert_num_queries(2):
        alice_client.get(order_url(order_id))


# --- cancelling -----------------------------------------------------------------------


def test_a_placed_order_can_be_cancelled(alice_client, margherita):
    order_id = place(alice_client, (margherita, 1)).json()["id"]
    response = alice_client.post(cancel_url(order_id))
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    again = alice_client.post(cancel_url(order_id))
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"


def test_an_order_in_the_kitchen_cannot_be_cancelled(
    alice_client, chef_client, margherita
):
    order_id = place(alice_client, (margherita, 1)).json()["id"]
    chef_client.post(advance_url(order_id))
    assert alice_client.post(cancel_url(order_id)).status_code == 409
    assert Order.objects.get().status == "preparing"


def test_a_delivered_order_cannot_be_cancelled(alice_client, chef_client, margherita):
    order_id = place(alice_client, (margherita, 1)).json()["id"]
    for _ in range(4):
        chef_client.post(advance_url(order_id))
    assert Order.objects.get().status == "delivered"
    assert alice_client.post(cancel_url(order_id)).status_code == 409


# --- the kitchen ----------------------------------------------------------------------


def test_the_kitchen_follows_an_order_to_the_door(
    alice_client, bob_client, chef_client, margherita
):
    order_id = place(alice_client, (margherita, 2)).json()["id"]
    assert bob_client.get(order_url(order_id)).status_code == 404
    board = chef_client.get(KITCHEN).json()
    assert [order["id"] for order in board["results"]] == [order_id]
    assert board["results"][0]["customer"] == "alice"
    assert board["results"][0]["next_status"] == "preparing"
    for expected in ("preparing", "ready", "out_for_delivery", "delivered"):
        response = chef_client.post(advance_url(order_id))
        assert response.status_code == 200
        assert response.json()["status"] == expected
        assert alice_client.get(order_url(order_id)).json()["status"] == expected
    past_the_end = chef_client.post(advance_url(order_id))
    assert past_the_end.status_code == 409
    assert past_the_end.json()["code"] == "invalid_transition"
    assert Order.objects.get().status == "delivered"


def test_a_cancelled_order_cannot_advance(alice_client, chef_client, margherita):
    order_id = place(alice_client, (margherita, 1)).json()["id"]
    alice_client.post(cancel_url(order_id))
    assert chef_client.post(advance_url(order_id)).status_code == 409
    assert Order.objects.get().status == "cancelled"


def test_customers_are_not_kitchen_staff(alice_client, margherita):
    order_id = place(alice_client, (margherita, 1)).json()["id"]
    for response in (
        alice_client.get(KITCHEN),
        alice_client.post(advance_url(order_id)),
    ):
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Kitchen staff only.",
            "code": "permission_denied",
        }
    assert Order.objects.get().status == "placed"


def test_a_kitchen_sees_only_its_restaurant(alice_client, chef_client, sushi):
    order_id = place(alice_client, (sushi.items.get(), 1)).json()["id"]
    assert chef_client.get(KITCHEN).json()["results"] == []
    assert chef_client.post(advance_url(order_id)).status_code == 404
    assert Order.objects.get().status == "placed"


def test_kitchen_filters_by_status(alice_client, chef_client, margherita):
    first = place(alice_client, (margherita, 1)).json()["id"]
    place(alice_client, (margherita, 2))
    chef_client.post(advance_url(first))
    preparing = chef_client.get(KITCHEN, {"status": "preparing"}).json()
    assert [order["id"] for order in preparing["results"]] == [first]
    placed = chef_client.get(KITCHEN, {"status": "placed"}).json()["results"]
    assert len(placed) == 1
    assert chef_client.get(KITCHEN, {"status": "burnt"}).status_code == 400


@pytest.mark.parametrize("size", [1, 5, 21])
def test_kitchen_board_query_count_is_fixed(
    alice_client, chef_client, margherita, pepperoni, size, django_assert_num_queries
):
    for _ in range(size):
        place(alice_client, (margherita, 1), (pepperoni, 1))
    with django_assert_num_queries(2):
        body = chef_client.get(KITCHEN).json()
    assert len(body["results"]) == min(size, 20)
    assert {order["customer"] for order in body["results"]} == {"alice"}


def test_advancing_from_a_stale_status_is_a_409(alice_client, chef_client, margherita):
    order_id = place(alice_client, (margherita, 1)).json()["id"]
    seen = {"current_status": "placed"}
    first = chef_client.post(advance_url(order_id), seen, format="json")
    second = chef_client.post(advance_url(order_id), seen, format="json")
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["detail"] == "The order is already preparing."
    assert Order.objects.get().status == "preparing"


def test_advancing_with_an_unknown_status_is_a_400(
    alice_client, chef_client, margherita
):
    order_id = place(alice_client, (margherita, 1)).json()["id"]
    body = {"current_status": "burnt"}
    assert (
        chef_client.post(advance_url(order_id), body, format="json").status_code == 400
    )
    assert Order.objects.get().status == "placed"
