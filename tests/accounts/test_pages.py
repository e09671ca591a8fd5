"""The front desk's pages: log in, register, a safe next, the API's throttles."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role, User
from tests.conftest import throttle_rates
from tests.factories import PASSWORD

LOGIN = reverse("login-page")
REGISTER = reverse("register-page")
ACCESS = settings.JWT_ACCESS_COOKIE_NAME


@pytest.fixture
def rates(settings):
    throttle_rates(
        settings, login_username="3/min", login_address="50/min", register="2/hour"
    )


def log_in(client, username, password=PASSWORD, **data):
    return client.post(LOGIN, {"username": username, "password": password, **data})


def test_login_page_shows_the_form(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
    assert 'type="password"' in response.content.decode()


def test_login_with_the_right_password_redirects_with_cookies(client, user):
    response = log_in(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[ACCESS].value


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("wrong-password", "No active account found with the given credentials"),
        ("", "This field is required"),
    ],
)
def test_login_with_a_wrong_password_says_so_and_sets_nothing(
    client, user, password, message
):
    response = log_in(client, user.username, password)
    assert response.status_code == 200
    assert ACCESS not in response.cookies
    assert message in response.content.decode()


def test_login_answers_the_same_for_an_unknown_user(client, db):
    response = log_in(client, "nobody-here", "wrong-password")
    assert response.status_code == 200
    assert "No active account found with the given credentials" in (
        response.content.decode()
    )


def test_a_disabled_account_cannot_log_in(client, user):
    user.is_active = False
    user.save()
    assert ACCESS not in log_in(client, user.username).cookies


@pytest.mark.parametrize("target", ["/orders/", "/api/orders/?page=1"])
def test_login_follows_a_next_on_this_site(client, user, target):
    response = log_in(client, user.username, next=target)
    assert response["Location"] == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "/\\evil.example",
    ],
)
def test_login_ignores_a_next_to_another_site(client, user, target):
    response = log_in(client, user.username, next=target)
    assert response["Location"] == "/"


def test_the_next_in_the_query_string_is_kept_in_the_form(client, db):
    response = client.get(LOGIN, {"next": "/kitchen/"})
    assert 'name="next" value="/kitchen/"' in response.content.decode()


def test_login_page_is_throttled_per_username(client, user, rates):
    for _ in range(3):
        log_in(client, user.username, "wrong-password")
    response = log_in(client, user.username)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert ACCESS not in response.cookies
    assert "Too many login attempts" in response.content.decode()


def test_login_page_and_api_count_attempts_together(client, api_client, user, rates):
    for _ in range(2):
        api_client.post(
            reverse("accounts:token"),
            {"username": user.username, "password": "wrong-password"},
        )
    log_in(client, user.username, "wrong-password")
    assert log_in(client, user.username).status_code == 429
    response = api_client.post(
        reverse("accounts:token"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 429


def test_register_creates_a_customer_and_logs_them_in(client, db):
    response = client.post(
        REGISTER,
        {"username": "newcomer", "email": "", "password": "a-long-new-password"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/restaurants/"
    assert response.cookies[ACCESS].value
    user = User.objects.get(username="newcomer")
    assert user.role == Role.CUSTOMER
    assert user.check_password("a-long-new-password")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "newcomer", "password": "short"}, "too short"),
        ({"username": "newcomer", "password": "12345678901234"}, "entirely numeric"),
        (
            {"username": "bad name!", "password": "a-long-new-password"},
            "Enter a valid username",
        ),
        (
            {"username": "newcomer", "password": "a-long-new-password", "email": "x"},
            "valid email",
        ),
    ],
)
def test_register_shows_the_apis_rules_next_to_the_fields(client, db, data, message):
    response = client.post(REGISTER, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_register_refuses_a_taken_username_in_any_letter_case(client, user):
    response = client.post(
        REGISTER,
        {"username": user.username.upper(), "password": "a-long-new-password"},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_register_page_is_throttled_like_the_api(client, db, rates):
    for number in range(2):
        client.post(REGISTER, {"username": f"name{number}", "password": "x"})
    response = client.post(
        REGISTER, {"username": "newcomer", "password": "a-long-new-password"}
    )
    assert response.status_code == 429
    assert not User.objects.filter(username="newcomer").exists()


def test_the_nav_shows_the_card_holder_and_a_logout_form(browser, user):
    content = browser.get("/").content.decode()
    assert f'data-username="{user.username}"' in content
    assert f'action="{reverse("logout-page")}"' in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_the_nav_offers_login_to_anonymous_visitors(client, db):
    content = client.get("/restaurants/").content.decode()
    assert f'href="{LOGIN}?next=/restaurants/"' in content
    assert "Log out" not in content


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_login_page_refuses_other_methods(client, db, method):
    assert getattr(client, method)(LOGIN).status_code == 405
