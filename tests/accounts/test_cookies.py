"""Cookie-held tokens: the flags, the CSRF rule, logout. (Renewal:
tests/accounts/test_middleware.py.)"""

import json

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_redis.exceptions import ConnectionInterrupted
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import UntypedToken

from accounts.revocation import is_blacklisted
from orders.models import Order
from tests.conftest import dead_redis_caches
from tests.factories import PASSWORD, MenuItemFactory

ACCESS = settings.JWT_ACCESS_COOKIE_NAME
REFRESH = settings.JWT_REFRESH_COOKIE_NAME
ORDERS = "/api/orders/"


@pytest.fixture
def margherita(db):
    return MenuItemFactory(name="Margherita Pizza")


def order_body(dish) -> str:
    return json.dumps(
        {"items": [{"menu_item": dish.pk, "quantity": 1}], "delivery_address": "1 Lane"}
    )


def jti(raw: str) -> str:
    return UntypedToken(raw, verify=False)["jti"]


def csrf_client(user) -> APIClient:
    """A browser that enforces CSRF as a real one does, logged in by cookie."""
    client = APIClient(enforce_csrf_checks=True)
    response = client.get(reverse("login-page"))
    token = response.cookies["csrftoken"].value
    response = client.post(
        reverse("login-page"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    return client


def test_login_sets_both_tokens_as_httponly_lax_cookies(client, user):
    response = client.post(
        reverse("login-page"), {"username": user.username, "password": PASSWORD}
    )
    access, refresh = response.cookies[ACCESS], response.cookies[REFRESH]
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds()
    for cookie in (access, refresh):
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie.value.count(".") == 2
        # Both last as long as the refresh token: an access cookie whose card ran
        # out says that a renewal may be possible.
        assert int(cookie["max-age"]) == pytest.approx(lifetime, abs=2)
    assert access["path"] == settings.JWT_ACCESS_COOKIE_PATH == "/"
    assert refresh["path"] == settings.JWT_REFRESH_COOKIE_PATH == "/account/"


@pytest.mark.parametrize("secure", [True, False])
def test_cookies_are_secure_when_the_setting_says_so(client, user, settings, secure):
    settings.JWT_COOKIE_SECURE = secure
    response = client.post(
        reverse("login-page"), {"username": user.username, "password": PASSWORD}
    )
    assert bool(response.cookies[ACCESS]["secure"]) is secure
    assert bool(response.cookies[REFRESH]["secure"]) is secure


def test_over_https_the_cookies_carry_the_browsers_prefixes(client, user, settings):
    """``__Host-``: Secure, Path=/ and no Domain, so no other host (a sibling
    subdomain) and no plain-HTTP page can plant the access cookie. The refresh
    cookie's narrow path rules that prefix out; ``__Secure-`` still asks Secure."""
    settings.JWT_COOKIE_SECURE = True
    settings.JWT_ACCESS_COOKIE_NAME = "__Host-delivery_access"
    settings.JWT_REFRESH_COOKIE_NAME = "__Secure-delivery_refresh_token"
    login = {"username": user.username, "password": PASSWORD}
    response = client.post(reverse("login-page"), login, secure=True)
    access = response.cookies["__Host-delivery_access"]
    refresh = response.cookies["__Secure-delivery_refresh_token"]
    assert (access["secure"], access["path"], access["domain"]) == (True, "/", "")
    assert (refresh["secure"], refresh["path"]) == (True, "/account/")
    out = client.post(reverse("logout-page"), secure=True)
    assert out.cookies["__Host-delivery_access"]["secure"] is True
    assert out.cookies["__Secure-delivery_refresh_token"]["secure"] is True
    assert out.cookies["__Secure-delivery_refresh_token"]["path"] == "/account/"


def test_the_cookie_authenticates_an_api_request(browser, user):
    response = browser.get(reverse("accounts:me"))
    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_the_csrf_cookie_is_out_of_reach_of_page_scripts(client, db):
    """The pages read the CSRF token from the page (a meta tag, a form field)."""
    response = client.get(reverse("login-page"))
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert '<meta name="csrf-token" content="' in response.content.decode()


def test_unsafe_cookie_request_without_csrf_token_is_refused(user, margherita):
    client = csrf_client(user)
    response = client.post(
        ORDERS, order_body(margherita), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF Failed")
    assert not Order.objects.exists()


def test_unsafe_cookie_request_with_csrf_token_is_served(user, margherita):
    client = csrf_client(user)
    response = client.post(
        ORDERS,
        order_body(margherita),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 201, response.content
    assert Order.objects.get().customer == user


def test_safe_cookie_request_needs_no_csrf_token(user):
    assert csrf_client(user).get(ORDERS).status_code == 200


def test_bearer_request_needs_no_csrf_token(user, margherita):
    client = APIClient(enforce_csrf_checks=True)
    access = client.post(
        reverse("accounts:token"), {"username": user.username, "password": PASSWORD}
    ).json()["access"]
    response = client.post(
        ORDERS,
        order_body(margherita),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {access}",
    )
    assert response.status_code == 201, response.content


def test_a_header_is_judged_alone_even_with_a_valid_cookie(browser):
    response = browser.get(ORDERS, HTTP_AUTHORIZATION="Bearer not.a.token")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_broken_cookie_from_another_site_is_a_401_with_the_bearer_challenge(
    client, db
):
    """Not sent to be renewed: the waiter judges the card in the cookie."""
    client.cookies[ACCESS] = "not-a-token"
    response = client.get(ORDERS, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    ("access", "refresh"),
    [
        ("", "garbage"),
        ("a.b.c", "a.b.c"),
        ("ÿÿÿ.ÿÿÿ.ÿÿÿ", "%%%"),
        ("eyJ" * 3000, "eyJ.eyJ.eyJ"),
    ],
)
def test_garbage_cookies_are_refused_never_a_server_error(client, db, access, refresh):
    for path in (ORDERS, reverse("jwt-mine"), reverse("my-orders-page"), "/"):
        client.cookies[ACCESS] = access
        client.cookies[REFRESH] = refresh
        response = client.get(path, follow=True)
        assert response.status_code < 500, path
    assert client.get(ORDERS).status_code == 401


def test_a_card_that_cannot_be_checked_leaves_pages_anonymous_not_broken(
    browser, monkeypatch, settings
):
    settings.JWT_INSTANT_REVOCATION = True

    def revocation_list_down(*args, **kwargs):
        raise ConnectionInterrupted(connection=None)

    monkeypatch.setattr(caches["security"], "get_many", revocation_list_down)
    response = browser.get("/")
    assert response.status_code == 200
    assert "data-username" not in response.content.decode()
    assert ACCESS not in response.cookies
    assert browser.get(ORDERS).status_code == 503


def test_a_django_session_is_not_accepted_by_the_orders_api(client, user):
    client.force_login(user)
    response = client.get(ORDERS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_logout_blacklists_the_refresh_token_and_clears_both_cookies(browser):
    refresh = browser.cookies[REFRESH].value
    response = browser.post(reverse("logout-page"))
    assert response.status_code == 302
    for name in (ACCESS, REFRESH):
        assert response.cookies[name].value == ""
        assert int(response.cookies[name]["max-age"]) == 0
    assert is_blacklisted(jti=jti(refresh))
    assert browser.get(ORDERS).status_code == 401


def test_logout_with_the_revocation_list_down_still_logs_the_browser_out(
    browser, settings
):
    settings.JWT_INSTANT_REVOCATION = True
    refresh = browser.cookies[REFRESH].value
    with override_settings(CACHES=dead_redis_caches()):
        response = browser.post(reverse("logout-page"))
    assert response.status_code == 503
    assert "could not be ended on every server" in response.content.decode()
    for name in (ACCESS, REFRESH):
        assert response.cookies[name].value == ""
        assert int(response.cookies[name]["max-age"]) == 0
    assert is_blacklisted(jti=jti(refresh))


def test_logout_by_get_asks_first_and_logs_nobody_out(browser):
    refresh = browser.cookies[REFRESH].value
    response = browser.get(reverse("logout-page"), {"next": "/orders/"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<form method="post" action="{reverse("logout-page")}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<input type="hidden" name="next" value="/orders/">' in page
    assert ACCESS not in response.cookies
    assert REFRESH not in response.cookies
    assert not is_blacklisted(jti=jti(refresh))
    assert browser.get(ORDERS).status_code == 200


def test_logout_by_get_without_a_card_says_so(client, db):
    response = client.get(reverse("logout-page"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You are not logged in" in page
    assert f'href="{reverse("login-page")}"' in page


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_logout_takes_get_and_post_only(browser, method):
    assert getattr(browser, method)(reverse("logout-page")).status_code == 405


def test_logout_needs_the_csrf_token(user):
    client = csrf_client(user)
    response = client.post(reverse("logout-page"))
    assert response.status_code == 403
    assert client.get(ORDERS).status_code == 200


def test_logout_without_cookies_just_redirects(client, db):
    response = client.post(reverse("logout-page"))
    assert response.status_code == 302


def test_pages_learn_the_card_holder_without_a_query(browser, user):
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(reverse("jwt-page"))
    assert f'data-username="{user.username}"' in response.content.decode()
    # The one query asks whether the holder is staff, which no card says.
    [staff_lookup] = queries.captured_queries
    assert '"is_staff"' in staff_lookup["sql"]


def test_a_refused_session_client_gets_the_login_page_link_in_the_browsable_api(
    client, db
):
    response = client.get(ORDERS, HTTP_ACCEPT="text/html")
    assert response.status_code == 401
    assert f"{reverse('login-page')}?next={ORDERS}" in response.content.decode()
