"""Login throttling: per username and per client address, with Retry-After."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from tests.conftest import throttle_rates
from tests.factories import PASSWORD

TOKEN = reverse("accounts:token")


@pytest.fixture
def rates(settings):
    throttle_rates(settings, login_username="3/min", login_address="5/min")


def attempt(client, username, password="wrong-password", address="10.0.0.1", **extra):
    return client.post(
        TOKEN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def test_one_username_is_locked_after_too_many_tries(api_client, user, rates):
    for number in range(3):
        assert (
            attempt(api_client, user.username, address=f"10.0.0.{number}").status_code
            == 401
        )
    response = attempt(api_client, user.username, PASSWORD, address="10.0.1.1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"
    User.objects.get(pk=user.pk)  # the account itself is untouched


def test_username_throttle_ignores_letter_case(api_client, user, rates):
    for name in ("alice", "ALICE", "Alice"):
        attempt(api_client, name, address="10.0.0.9")
    assert attempt(api_client, "aLiCe", address="10.0.0.8").status_code == 429


def test_one_address_is_limited_across_usernames(api_client, db, rates):
    for number in range(5):
        assert attempt(api_client, f"name{number}").status_code == 401
    assert attempt(api_client, "someone-new").status_code == 429
    assert attempt(api_client, "someone-new", address="10.9.9.9").status_code == 401


def test_forged_forwarded_for_does_not_dodge_the_address_throttle(
    api_client, db, rates
):
    for number in range(5):
        response = attempt(
            api_client, f"name{number}", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"
        )
        assert response.status_code == 401
    response = attempt(api_client, "fresh", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_a_correct_password_still_counts(api_client, user, rates):
    for _ in range(3):
        assert attempt(api_client, user.username, PASSWORD).status_code == 200
    assert attempt(api_client, user.username, PASSWORD).status_code == 429


# --- when the counters cannot be reached ----------------------------------------------


def test_a_login_that_cannot_be_counted_is_refused_with_a_503(
    api_client, user, redis_down
):
    response = attempt(api_client, user.username, PASSWORD)
    assert response.status_code == 503
    assert response.json() == {
        "detail": "Attempts cannot be counted right now; try again shortly.",
        "code": "throttle_unavailable",
    }
    user.refresh_from_db()
    assert user.last_login is None


def test_a_registration_that_cannot_be_counted_is_refused_with_a_503(
    api_client, db, redis_down
):
    response = api_client.post(
        reverse("accounts:register"),
        {"username": "newcomer", "password": "a-long-new-password"},
    )
    assert response.status_code == 503
    assert response.json()["code"] == "throttle_unavailable"
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("page", ["login-page", "register-page"])
def test_the_pages_say_when_attempts_cannot_be_counted(client, user, redis_down, page):
    response = client.post(
        reverse(page), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 503
    assert "cannot be counted right now" in response.content.decode()
    assert settings.JWT_ACCESS_COOKIE_NAME not in response.cookies


# --- the admin's login ----------------------------------------------------------------

ADMIN_LOGIN = reverse("admin:login")


@pytest.fixture
def staff(db):
    return User.objects.create_user(
        username="manager", password=PASSWORD, is_staff=True, is_superuser=True
    )


def admin_attempt(client, username, password="wrong-password", address="10.0.0.1"):
    return client.post(
        ADMIN_LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_the_admin_login_is_limited_per_username(client, staff, rates):
    for number in range(3):
        response = admin_attempt(client, staff.username, address=f"10.0.0.{number}")
        assert response.status_code == 200  # the admin's form: wrong password
    response = admin_attempt(client, staff.username, PASSWORD, address="10.0.1.1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_admin_login_is_limited_per_address(client, staff, rates):
    for number in range(5):
        assert admin_attempt(client, f"name{number}").status_code == 200
    response = admin_attempt(client, staff.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_and_the_api_count_in_the_same_buckets(
    client, api_client, staff, rates
):
    for number in range(2):
        attempt(api_client, staff.username, address=f"10.0.2.{number}")
    admin_attempt(client, staff.username, address="10.0.2.9")
    refused = attempt(api_client, staff.username, PASSWORD, address="10.0.3.1")
    assert refused.status_code == 429


def test_the_admin_login_still_logs_staff_in_within_the_limits(client, staff, rates):
    response = admin_attempt(client, staff.username, PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_an_admin_login_that_cannot_be_counted_is_a_503(client, staff, redis_down):
    response = admin_attempt(client, staff.username, PASSWORD)
    assert response.status_code == 503
    assert "cannot be counted right now" in response.content.decode()
    assert "_auth_user_id" not in client.session
