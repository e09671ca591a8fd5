"""Every API endpoint's database queries, pinned at two sizes of data.

A budget that holds at both sizes shows that a request costs a fixed number of
queries however much data there is: no N+1. Budgets pinned elsewhere (the menu and
order lists, authentication itself) are not repeated here.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.services import issue_token_pair
from orders.models import Order
from tests.conftest import bearer_client
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    KitchenUserFactory,
    MenuItemFactory,
    RestaurantFactory,
    UserFactory,
    build_menu,
)

SIZES = [1, 5]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _labs_off(settings):
    """Production's budgets: the attack labs are off there. With them on, a token
    event a lesson is about costs one more write (tests/lab/test_progress.py)."""
    settings.LABS_ENABLED = False


@pytest.fixture
def kitchen(db):
    """A restaurant with five dishes, a cook, and a customer with a card."""
    restaurant = RestaurantFactory(slug="budget-bistro", delivery_fee=Decimal("2.00"))
    category = CategoryFactory(restaurant=restaurant)
    MenuItemFactory.create_batch(5, category=category, price=Decimal("7.50"))
    return restaurant


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def customer_client(customer):
    return bearer_client(customer)


@pytest.fixture
def cook_client(kitchen):
    return bearer_client(KitchenUserFactory(restaurant=kitchen))


def order_body(kitchen, lines: int) -> dict:
    dishes = kitchen.items.order_by("id")[:lines]
    return {
        "items": [{"menu_item": dish.pk, "quantity": 2} for dish in dishes],
        "delivery_address": "1 Budget Street",
    }


def place_orders(client, kitchen, *, count: int, lines: int) -> list[int]:
    return [
        client.post(
            reverse("order-list"), order_body(kitchen, lines), format="json"
        ).json()["id"]
        for _ in range(count)
    ]


def earlier_logins(user, count: int) -> None:
    """Refresh tokens issued before, as a user who logs in from several devices."""
    for _ in range(count):
        issue_token_pair(user=user)


# --- the front desk ------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_register_query_budget(api_client, size, django_assert_num_queries):
    UserFactory.create_batch(size)
    body = {"username": "newcomer", "password": "a-long-enough-secret"}
    with django_assert_num_queries(4):
        response = api_client.post(reverse("accounts:register"), body, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize("size", SIZES)
def test_login_query_budget(api_client, customer, size, django_assert_num_queries):
    """The user, then in one transaction (a savepoint here: 2) last_login, which
    holds the account, the login recorded and its refresh token noted."""
    earlier_logins(customer, size)
    body = {"username": customer.username, "password": PASSWORD}
    with django_assert_num_queries(6):
        response = api_client.post(reverse("accounts:token"), body, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_refresh_query_budget(api_client, customer, size, django_assert_num_queries):
    """The blacklist, the login with its user; then, in a transaction: the user
    held for the new token, the login moved on, the old token blacklisted (its
    row, and the insert in a savepoint), the new one noted."""
    earlier_logins(customer, size)
    refresh = str(issue_token_pair(user=customer).refresh)
    with django_assert_num_queries(11):
        response = api_client.post(
            reverse("accounts:token-refresh"), {"refresh": refresh}, format="json"
        )
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_verify_query_budget(api_client, customer, size, django_assert_num_queries):
    earlier_logins(customer, size)
    pair = issue_token_pair(user=customer)
    url = reverse("accounts:token-verify")
    with django_assert_num_queries(0):
        access = api_client.post(url, {"token": str(pair.access)}, format="json")
    # A refresh token is judged as a refresh would judge it: the blacklist, then
    # its login with the account (a disabled account's refresh token is not valid).
    with django_assert_num_queries(2):
        refresh = api_client.post(url, {"token": str(pair.refresh)}, format="json")
    assert access.status_code == refresh.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_logout_query_budget(api_client, customer, size, django_assert_num_queries):
    """The blacklist, the login with its user, the token blacklisted (its row, and
    the insert in a savepoint), the login ended."""
    earlier_logins(customer, size)
    refresh = str(issue_token_pair(user=customer).refresh)
    with django_assert_num_queries(7):
        response = api_client.post(
            reverse("accounts:logout"), {"refresh": refresh}, format="json"
        )
    assert response.status_code == 205


@pytest.mark.parametrize("size", SIZES)
def test_logout_everywhere_query_budget(
    customer, customer_client, size, django_assert_num_queries
):
    """One update ends every open login."""
    earlier_logins(customer, size)
    with django_assert_num_queries(1):
        response = customer_client.post(reverse("accounts:logout-all"))
    assert response.status_code == 205


@pytest.mark.parametrize("size", SIZES)
def test_me_query_budget(customer_client, size, django_assert_num_queries):
    UserFactory.create_batch(size)
    with django_assert_num_queries(1):
        assert customer_client.get(reverse("accounts:me")).status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_inspect_query_budget(api_client, customer, size, django_assert_num_queries):
    """Two queries: whether the account is still active, one of the checks shown,
    and the card's login, drawn below them."""
    earlier_logins(customer, size)
    access = str(issue_token_pair(user=customer).access)
    with django_assert_num_queries(2):
        response = api_client.post(
            reverse("teaching:inspect"), {"token": access}, format="json"
        )
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_jwks_query_budget(api_client, customer, size, django_assert_num_queries):
    earlier_logins(customer, size)
    with django_assert_num_queries(0):
        assert api_client.get(reverse("accounts:jwks")).status_code == 200


# --- the orders and the kitchen -----------------------------------------------------


@pytest.mark.parametrize("lines", SIZES)
def test_place_order_query_budget(
    customer_client, kitchen, lines, django_assert_num_queries
):
    """In a transaction (BEGIN and COMMIT count): the dishes and whether the
    customer still exists, the order, its lines in one insert; then the lines are
    read back for the answer (the restaurant is already in hand)."""
    body = order_body(kitchen, lines)
    with django_assert_num_queries(6):
        response = customer_client.post(reverse("order-list"), body, format="json")
    assert response.status_code == 201
    assert len(response.json()["items"]) == lines


@pytest.mark.parametrize("lines", SIZES)
def test_replayed_order_query_budget(
    customer_client, kitchen, lines, django_assert_num_queries
):
    body = order_body(kitchen, lines)
    url = reverse("order-list")
    customer_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="once")
    # The first order found by its key, then its restaurant and its lines.
    with django_assert_num_queries(3):
        replay = customer_client.post(
            url, body, format="json", HTTP_IDEMPOTENCY_KEY="once"
        )
    assert replay.status_code == 200
    assert Order.objects.count() == 1


@pytest.mark.parametrize("lines", SIZES)
def test_cancel_query_budget(
    customer_client, kitchen, lines, django_assert_num_queries
):
    (order_id,) = place_orders(customer_client, kitchen, count=1, lines=lines)
    with django_assert_num_queries(6):
        response = customer_client.post(reverse("order-cancel", args=[order_id]))
    assert response.status_code == 200


@pytest.mark.parametrize("lines", SIZES)
def test_advance_query_budget(
    customer_client, cook_client, kitchen, lines, django_assert_num_queries
):
    (order_id,) = place_orders(customer_client, kitchen, count=1, lines=lines)
    with django_assert_num_queries(6):
        response = cook_client.post(reverse("kitchen-order-advance", args=[order_id]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_kitchen_list_by_status_query_budget(
    customer_client, cook_client, kitchen, size, django_assert_num_queries
):
    place_orders(customer_client, kitchen, count=size, lines=size)
    # The orders and their lines; cursor pages are never counted.
    with django_assert_num_queries(2):
        response = cook_client.get(reverse("kitchen-order-list"), {"status": "placed"})
    assert len(response.json()["results"]) == size


# --- the public menu: the cache cold, then warm ------------------------------------


def menu_urls(restaurant) -> dict[str, str]:
    dish = restaurant.items.order_by("id").first()
    return {
        "restaurant-list": reverse("restaurant-list"),
        "restaurant-detail": reverse("restaurant-detail", args=[restaurant.slug]),
        "menu-item-list": reverse("menu-item-list"),
        "menu-item-detail": reverse("menu-item-detail", args=[dish.pk]),
    }


# Per size: 1 restaurant with 1 dish, then 5 restaurants with 25 dishes each. The
# lists hold 20 a page: a first page with room to spare is the whole list (no
# COUNT), a full one is counted.
COLD_MENU_BUDGETS = {
    "restaurant-list": {1: 1, 5: 1},
    "restaurant-detail": {1: 3, 5: 3},
    "menu-item-list": {1: 1, 5: 2},
    "menu-item-detail": {1: 1, 5: 1},
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("endpoint", list(COLD_MENU_BUDGETS))
def test_menu_query_budget_cold_then_warm(
    api_client, size, endpoint, django_assert_num_queries
):
    restaurant = build_menu(restaurants=size, categories=size, dishes=size)[0]
    url = menu_urls(restaurant)[endpoint]
    with django_assert_num_queries(COLD_MENU_BUDGETS[endpoint][size]):
        assert api_client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert api_client.get(url).status_code == 200
