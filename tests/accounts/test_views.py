"""The front desk's endpoints: register, token, refresh, verify, logout, me."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from accounts.models import User
from accounts.services import issue_token_pair
from tests.conftest import bearer_client, past_the_grace_period
from tests.factories import (
    PASSWORD,
    KitchenUserFactory,
    RestaurantFactory,
    UserFactory,
)

REGISTER = reverse("accounts:register")
TOKEN = reverse("accounts:token")
REFRESH = reverse("accounts:token-refresh")
VERIFY = reverse("accounts:token-verify")
LOGOUT = reverse("accounts:logout")
ME = reverse("accounts:me")


def login(client, username, password=PASSWORD):
    return client.post(TOKEN, {"username": username, "password": password})


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- register ------------------------------------------------------------


def test_register_creates_a_customer(api_client, db):
    response = api_client.post(
        REGISTER,
        {"username": "carol", "password": "a-long-pass-phrase", "email": "c@ex.org"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "username", "email", "role"}
    assert body["role"] == "customer"
    user = User.objects.get(username="carol")
    assert user.check_password("a-long-pass-phrase")
    assert body["id"] == user.pk


def test_register_ignores_a_requested_role(api_client, db):
    response = api_client.post(
        REGISTER,
        {"username": "mallory", "password": "a-long-pass-phrase", "role": "kitchen"},
        format="json",
    )
    assert response.status_code == 201
    assert User.objects.get(username="mallory").role == "customer"


@pytest.mark.parametrize(
    "password", ["short", "password123", "1234567890123", "carol-smith"]
)
def test_register_refuses_weak_passwords(api_client, db, password):
    response = api_client.post(
        REGISTER, {"username": "carol-smith", "password": password}, format="json"
    )
    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.exists()


@pytest.mark.parametrize("name", ["alice", "ALICE", "Alice"])
def test_register_refuses_a_taken_username_in_any_case(api_client, db, name):
    UserFactory(username="alice")
    response = api_client.post(
        REGISTER, {"username": name, "password": "a-long-pass-phrase"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "username": ["A user with that username already exists."]
    }
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "carol"},
        {"password": "a-long-pass-phrase"},
        {"username": "bad name!", "password": "a-long-pass-phrase"},
        {"username": "carol", "password": "a-long-pass-phrase", "email": "nope"},
        {"username": ["carol"], "password": "a-long-pass-phrase"},
        {"username": "x" * 151, "password": "a-long-pass-phrase"},
    ],
)
def test_register_refuses_malformed_bodies(api_client, db, body):
    response = api_client.post(REGISTER, body, format="json")
    assert response.status_code == 400
    assert User.objects.count() == 0


# --- token (log in) --------------------------------------------------------


def test_login_returns_a_pair_with_expiry_times(api_client, user):
    before = timezone.now()
    response = login(api_client, user.username)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "access_expires_at", "refresh_expires_at"}
    access_lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    refresh_lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    access_at = parse_time(body["access_expires_at"])
    refresh_at = parse_time(body["refresh_expires_at"])
    assert abs(access_at - (before + access_lifetime)) < timedelta(seconds=5)
    assert abs(refresh_at - (before + refresh_lifetime)) < timedelta(seconds=5)
    assert response["Cache-Control"] == "no-store"
    user.refresh_from_db()
    assert user.last_login is not None


def test_login_stores_no_usable_refresh_token(api_client, user):
    login(api_client, user.username)
    outstanding = OutstandingToken.objects.get(user=user)
    assert outstanding.token == ""


def test_wrong_password_and_unknown_user_get_the_same_answer(api_client, user):
    wrong = login(api_client, user.username, "not-the-password")
    unknown = login(api_client, "nobody-by-that-name", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {
            "detail": "No active account found with the given credentials",
            "code": "no_active_account",
        }
    )
    assert wrong["WWW-Authenticate"] == 'Bearer realm="api"'


def test_disabled_user_cannot_log_in(api_client, db):
    user = UserFactory(is_active=False)
    assert login(api_client, user.username).status_code == 401


def test_login_ignores_a_stale_authorization_header(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.broken")
    assert login(api_client, user.username).status_code == 200


@pytest.mark.parametrize("body", [{}, {"username": "a"}, {"password": "b"}])
def test_login_with_missing_fields_is_a_400(api_client, db, body):
    assert api_client.post(TOKEN, body, format="json").status_code == 400


def test_login_with_a_body_that_is_not_json_is_a_400(api_client, db):
    response = api_client.post(TOKEN, "{not json", content_type="application/json")
    assert response.status_code == 400


# --- refresh -------------------------------------------------------------------


def test_refresh_rotates_and_blacklists_the_old_token(api_client, user):
    old = issue_token_pair(user=user)
    response = api_client.post(REFRESH, {"refresh": str(old.refresh)})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh", "access_expires_at", "refresh_expires_at"}
    assert body["refresh"] != str(old.refresh)
    assert BlacklistedToken.objects.filter(token__jti=old.refresh["jti"]).exists()
    assert response["Cache-Control"] == "no-store"

    newer = api_client.post(REFRESH, {"refresh": body["refresh"]})
    assert newer.status_code == 200

    with past_the_grace_period():
        again = api_client.post(REFRESH, {"refresh": str(old.refresh)})
    assert again.status_code == 401
    assert again.json()["code"] == "token_not_valid"


def test_refreshed_access_token_works(api_client, user):
    old = issue_token_pair(user=user)
    access = api_client.post(REFRESH, {"refresh": str(old.refresh)}).json()["access"]
    response = api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")
    assert response.status_code == 200


def test_refresh_reads_the_current_role(api_client, user):
    old = issue_token_pair(user=user)
    User.objects.filter(pk=user.pk).update(
        role="kitchen", restaurant=RestaurantFactory()
    )
    access = api_client.post(REFRESH, {"refresh": str(old.refresh)}).json()["access"]
    inspected = api_client.post(reverse("teaching:inspect"), {"token": access}).json()
    assert inspected["payload"]["role"] == "kitchen"


def test_access_token_is_refused_as_refresh_token(api_client, user):
    pair = issue_token_pair(user=user)
    response = api_client.post(REFRESH, {"refresh": str(pair.access)})
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_expired_refresh_token_is_refused(api_client, user):
    pair = issue_token_pair(user=user)
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    with time_machine.travel(timezone.now() + lifetime + timedelta(seconds=1)):
        response = api_client.post(REFRESH, {"refresh": str(pair.refresh)})
    assert response.status_code == 401


def test_disabled_user_cannot_refresh(api_client, user):
    pair = issue_token_pair(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = api_client.post(REFRESH, {"refresh": str(pair.refresh)})
    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"
    assert not BlacklistedToken.objects.exists()


def test_deleted_user_cannot_refresh(api_client, user):
    pair = issue_token_pair(user=user)
    user.delete()
    assert api_client.post(REFRESH, {"refresh": str(pair.refresh)}).status_code == 401


def test_password_change_ends_every_refresh_token(api_client, user):
    pairs = [issue_token_pair(user=user) for _ in range(3)]
    user.set_password("a-brand-new-pass-phrase")
    user.save()
    for pair in pairs:
        response = api_client.post(REFRESH, {"refresh": str(pair.refresh)})
        assert response.status_code == 401
    assert (
        login(api_client, user.username, "a-brand-new-pass-phrase").status_code == 200
    )


def test_saving_a_user_without_a_new_password_keeps_tokens(api_client, user):
    pair = issue_token_pair(user=user)
    user.email = "new@example.com"
    user.save()
    assert api_client.post(REFRESH, {"refresh": str(pair.refresh)}).status_code == 200


@pytest.mark.parametrize("body", [{}, {"refresh": ""}, {"refresh": ["x"]}])
def test_refresh_with_malformed_body_is_a_400(api_client, db, body):
    assert api_client.post(REFRESH, body, format="json").status_code == 400


def test_refresh_with_garbage_is_a_401(api_client, db):
    response = api_client.post(REFRESH, {"refresh": "garbage"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


# --- verify ------------------------------------------------------------------


def test_verify_accepts_valid_access_and_refresh_tokens(api_client, user):
    pair = issue_token_pair(user=user)
    for token in (pair.access, pair.refresh):
        response = api_client.post(VERIFY, {"token": str(token)})
        assert response.status_code == 200
        assert response.json() == {}


def test_verify_refuses_a_blacklisted_refresh_token(api_client, user):
    pair = issue_token_pair(user=user)
    api_client.post(LOGOUT, {"refresh": str(pair.refresh)})
    response = api_client.post(VERIFY, {"token": str(pair.refresh)})
    assert response.status_code == 401


def test_verify_refuses_garbage_and_expired_tokens(api_client, user):
    pair = issue_token_pair(user=user)
    assert api_client.post(VERIFY, {"token": "a.b.c"}).status_code == 401
    later = timezone.now() + settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    with time_machine.travel(later + timedelta(seconds=1)):
        assert api_client.post(VERIFY, {"token": str(pair.access)}).status_code == 401


# --- logout --------------------------------------------------------------------


def test_logout_blacklists_the_refresh_token(api_client, user):
    pair = issue_token_pair(user=user)
    response = api_client.post(LOGOUT, {"refresh": str(pair.refresh)})
    assert response.status_code == 205
    assert response.content == b""
    assert api_client.post(REFRESH, {"refresh": str(pair.refresh)}).status_code == 401
    assert api_client.post(LOGOUT, {"refresh": str(pair.refresh)}).status_code == 401


def test_logout_needs_a_refresh_token(api_client, user):
    pair = issue_token_pair(user=user)
    assert api_client.post(LOGOUT, {"refresh": str(pair.access)}).status_code == 401
    assert api_client.post(LOGOUT, {}).status_code == 400
    assert not BlacklistedToken.objects.exists()


# --- me --------------------------------------------------------------------------


def test_me_describes_the_token_holder(auth_client, user):
    response = auth_client.get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "role": "customer",
        "restaurant": None,
    }


def test_me_without_a_token_is_a_401(api_client, db):
    response = api_client.get(ME)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_me_ignores_a_session_login(client, user):
    client.force_login(user)
    assert client.get(ME).status_code == 401


def test_me_for_a_disabled_user_is_a_401(auth_client, user):
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert auth_client.get(ME).status_code == 401


def test_me_names_the_restaurant_of_kitchen_staff(api_client, db):
    cook = KitchenUserFactory(restaurant__slug="marios-pizzeria")
    body = bearer_client(cook).get(ME).json()
    assert body["role"] == "kitchen"
    assert body["restaurant"] == "marios-pizzeria"
