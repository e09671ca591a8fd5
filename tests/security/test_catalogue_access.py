"""Attack catalogue, part 2: who may do what (OWASP API Security Top 10, ASVS).

The token lifecycle and the inspector's verdict on each stage, the front desk
(enumeration and guessing), objects and functions of other people, mass
assignment, idempotency, cookies with CSRF and CORS, and what error bodies reveal.
Each case checks the exact status and that nothing changed where nothing should.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import issue_token_pair
from orders.models import Order
from tests.conftest import bearer_client, log_in, past_the_grace_period, throttle_rates
from tests.factories import (
    PASSWORD,
    CategoryFactory,
    KitchenUserFactory,
    MenuItemFactory,
    RestaurantFactory,
    UserFactory,
)

TOKEN = reverse("accounts:token")
REFRESH = reverse("accounts:token-refresh")
LOGOUT = reverse("accounts:logout")
INSPECT = reverse("teaching:inspect")
ORDERS = reverse("order-list")
KEY = settings.SIMPLE_JWT["SIGNING_KEY"]


@pytest.fixture
def dish(db):
    restaurant = RestaurantFactory(delivery_fee=Decimal("2.00"))
    return MenuItemFactory(
        category=CategoryFactory(restaurant=restaurant), price=Decimal("10.00")
    )


def order_body(dish, **extra):
    return {
        "items": [{"menu_item": dish.pk, "quantity": 1}],
        "delivery_address": "1 Main St",
        **extra,
    }


def failed_checks(api_client, token) -> set[str]:
    """The checks that explain why the inspector's verdict is a refusal."""
    body = api_client.post(INSPECT, {"token": str(token)}).json()
    assert body["valid"] is False
    return {
        check["name"]
        for check in body["checks"]
        if not check["ok"] and check["name"] != "verdict"
    }


# --- the token lifecycle, and what the inspector says at each stage -------------------


def test_a_rotated_refresh_token_is_refused_and_reported(api_client, user):
    pair = issue_token_pair(user=user)
    assert api_client.post(REFRESH, {"refresh": str(pair.refresh)}).status_code == 200
    with past_the_grace_period():
        again = api_client.post(REFRESH, {"refresh": str(pair.refresh)})
        assert again.status_code == 401
        assert failed_checks(api_client, pair.refresh) == {"not blacklisted", "login"}


def test_a_logged_out_refresh_token_is_refused_and_reported(api_client, user):
    pair = issue_token_pair(user=user)
    assert api_client.post(LOGOUT, {"refresh": str(pair.refresh)}).status_code == 205
    assert api_client.post(REFRESH, {"refresh": str(pair.refresh)}).status_code == 401
    assert failed_checks(api_client, pair.refresh) == {"not blacklisted", "login"}


def test_a_password_change_ends_refresh_tokens(api_client, user):
    pair = issue_token_pair(user=user)
    user.set_password("an-entirely-new-pass-phrase")
    user.save()
    assert api_client.post(REFRESH, {"refresh": str(pair.refresh)}).status_code == 401
    assert failed_checks(api_client, pair.refresh) == {"login"}


def test_a_disabled_account_cannot_refresh_and_is_reported(api_client, user):
    pair = issue_token_pair(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert api_client.post(REFRESH, {"refresh": str(pair.refresh)}).status_code == 401
    assert "account" in failed_checks(api_client, pair.refresh)


def test_an_expired_access_token_is_reported_as_expired(api_client, user):
    pair = issue_token_pair(user=user)
    later = timezone.now() + settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    with time_machine.travel(later + timedelta(seconds=1)):
        assert failed_checks(api_client, pair.access) == {"not expired"}


def test_the_inspector_never_reveals_the_key(api_client, user):
    pair = issue_token_pair(user=user)
    for token in (pair.access, pair.refresh, "a.b.c", "x"):
        response = api_client.post(INSPECT, {"token": str(token)})
        assert KEY not in response.content.decode()
        assert KEY[:12] not in response.content.decode()


# --- the front desk: enumeration and guessing -----------------------------------------


def test_login_answers_do_not_tell_which_part_was_wrong(api_client, db):
    UserFactory(username="known")
    UserFactory(username="disabled", is_active=False)
    answers = [
        api_client.post(TOKEN, {"username": name, "password": password})
        for name, password in [
            ("known", "wrong-password"),
            ("unknown", "wrong-password"),
            ("disabled", PASSWORD),
        ]
    ]
    assert {response.status_code for response in answers} == {401}
    assert len({response.content for response in answers}) == 1


def test_login_hashes_a_password_once_whether_or_not_the_user_exists(
    api_client, db, monkeypatch
):
    """The time an answer takes does not tell whether the username exists."""
    UserFactory(username="known")
    UserFactory(username="disabled", is_active=False)
    calls: list[str] = []
    original = MD5PasswordHasher.encode

    def counted(self, password, salt):
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counted)
    counts = []
    for name in ("known", "unknown", "disabled"):
        calls.clear()
        api_client.post(TOKEN, {"username": name, "password": "wrong-password"})
        counts.append(len(calls))
    assert counts == [1, 1, 1]


def test_login_throttle_cannot_be_dodged_with_forwarded_headers(
    api_client, db, settings
):
    throttle_rates(settings, login_address="3/min")
    statuses = [
        api_client.post(
            TOKEN,
            {"username": f"name{number}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
            HTTP_X_REAL_IP=f"198.51.100.{number}",
            HTTP_FORWARDED=f"for=192.0.2.{number}",
        ).status_code
        for number in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]


# --- objects and functions of other people (BOLA, BFLA) -------------------------------


def test_another_customers_order_is_a_404_for_every_verb(api_client, dish):
    owner, other = UserFactory(), UserFactory()
    order_id = (
        bearer_client(owner).post(ORDERS, order_body(dish), format="json").json()["id"]
    )
    thief = bearer_client(other)
    detail = reverse("order-detail", args=[order_id])
    for method in ("get", "put", "patch", "delete"):
        assert getattr(thief, method)(detail).status_code in {404, 405}
    assert thief.get(detail).status_code == 404
    assert thief.post(reverse("order-cancel", args=[order_id])).status_code == 404
    assert thief.get(ORDERS).json()["results"] == []
    assert Order.objects.get().status == "placed"


def test_a_customer_cannot_use_the_kitchens_functions(api_client, dish):
    customer = bearer_client(UserFactory())
    order_id = customer.post(ORDERS, order_body(dish), format="json").json()["id"]
    assert customer.get(reverse("kitchen-order-list")).status_code == 403
    advance = reverse("kitchen-order-advance", args=[order_id])
    assert customer.post(advance).status_code == 403
    assert Order.objects.get().status == "placed"


def test_a_kitchen_cannot_touch_another_restaurants_orders(api_client, dish):
    customer = bearer_client(UserFactory())
    order_id = customer.post(ORDERS, order_body(dish), format="json").json()["id"]
    stranger = bearer_client(KitchenUserFactory())
    advance = reverse("kitchen-order-advance", args=[order_id])
    assert stranger.post(advance).status_code == 404
    assert stranger.get(reverse("kitchen-order-list")).json()["results"] == []
    assert Order.objects.get().status == "placed"


# --- mass assignment ------------------------------------------------------------------


def test_server_owned_order_fields_are_ignored(api_client, dish):
    other = UserFactory()
    client = bearer_client(UserFactory())
    body = order_body(
        dish,
        status="delivered",
        total="0.01",
        subtotal="0.01",
        delivery_fee="0.00",
        customer=other.pk,
        id=999,
        created_at="2000-01-01T00:00:00Z",
    )
    answer = client.post(ORDERS, body, format="json").json()
    order = Order.objects.get()
    assert (order.status, order.total, order.delivery_fee) == (
        "placed",
        Decimal("12.00"),
        Decimal("2.00"),
    )
    assert order.customer != other
    assert answer["id"] == order.pk != 999
    assert order.created_at.year == timezone.now().year


def test_registration_cannot_grant_a_role_or_staff(api_client, db):
    response = api_client.post(
        reverse("accounts:register"),
        {
            "username": "mallory",
            "password": "a-long-pass-phrase",
            "role": "kitchen",
            "is_staff": True,
            "is_superuser": True,
            "restaurant": "marios-pizzeria",
        },
        format="json",
    )
    assert response.status_code == 201
    mallory = User.objects.get(username="mallory")
    assert (mallory.role, mallory.is_staff, mallory.is_superuser) == (
        "customer",
        False,
        False,
    )
    assert mallory.restaurant is None


# --- idempotency ----------------------------------------------------------------------


def test_one_key_cannot_replay_another_users_order(api_client, dish):
    first, second = bearer_client(UserFactory()), bearer_client(UserFactory())
    a = first.post(ORDERS, order_body(dish), format="json", HTTP_IDEMPOTENCY_KEY="k")
    b = second.post(ORDERS, order_body(dish), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]


def test_a_key_reused_with_another_body_is_a_409_and_writes_nothing(api_client, dish):
    client = bearer_client(UserFactory())
    client.post(ORDERS, order_body(dish), format="json", HTTP_IDEMPOTENCY_KEY="k")
    changed = order_body(dish, delivery_address="2 Other St")
    response = client.post(ORDERS, changed, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 409
    assert Order.objects.count() == 1


# --- cookies, CSRF and CORS -----------------------------------------------------------


def test_a_cross_site_post_with_the_cookie_but_no_csrf_token_is_refused(dish):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = log_in(Client(), UserFactory()).cookies
    response = browser.post(ORDERS, order_body(dish), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert Order.objects.count() == 0


def test_the_token_cookies_are_out_of_reach_of_scripts(client, user):
    log_in(client, user)
    cookies = [cookie for cookie in client.cookies.values() if cookie.value]
    token_cookies = [cookie for cookie in cookies if cookie.value.startswith("eyJ")]
    assert len(token_cookies) == 2
    for cookie in token_cookies:
        assert cookie["httponly"]
        assert cookie["samesite"] == "Lax"


def test_cors_answers_only_allowed_origins_and_never_with_credentials(
    api_client, db, settings
):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    preflight = {
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "authorization, content-type",
    }
    evil = api_client.options(ORDERS, HTTP_ORIGIN="https://evil.example", **preflight)
    assert "Access-Control-Allow-Origin" not in evil
    good = api_client.options(ORDERS, HTTP_ORIGIN="https://app.example", **preflight)
    assert good["Access-Control-Allow-Origin"] == "https://app.example"
    assert "authorization" in good["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in good


# --- what error answers reveal --------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/orders/", None),
        ("get", "/api/restaurants/no-such-place/", None),
        ("get", "/api/menu-items/?vegetarian=perhaps", None),
        ("delete", "/api/restaurants/", None),
        ("post", "/api/auth/token/", {"username": "x' OR 1=1 --", "password": "x"}),
        ("post", "/api/auth/token/refresh/", {"refresh": "a.b.c"}),
        ("post", "/api/orders/", "{broken json"),
    ],
)
def test_error_bodies_reveal_nothing_inside(api_client, db, method, path, body):
    if isinstance(body, str):
        response = api_client.post(path, body, content_type="application/json")
    else:
        response = getattr(api_client, method)(path, body, format="json")
    assert 400 <= response.status_code < 500
    text = response.content.decode()
    for leak in ("Traceback", "SELECT", "sqlite", "psycopg", 'File "', KEY):
        assert leak not in text
    assert response["Content-Type"].startswith("application/json")
