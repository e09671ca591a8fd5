"""Renewal: a request of this site whose access cookie ran out goes to /account/renew/
and comes back with a new pair; another site's request renews nothing."""

import json
import logging
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework_simplejwt.tokens import UntypedToken

from accounts.models import Login
from accounts.revocation import is_blacklisted
from orders.models import Order
from tests.conftest import log_in
from tests.factories import PASSWORD, MenuItemFactory, UserFactory
from tests.races import postgres_race, run_together

ACCESS = settings.JWT_ACCESS_COOKIE_NAME
REFRESH = settings.JWT_REFRESH_COOKIE_NAME
ORDERS = reverse("order-list")
RENEW = reverse("renew-page")
ME = reverse("accounts:me")


# What a browser sends with a request of this site's own page.
OWN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture
def browser(client, user) -> Client:
    return log_in(client, user)


def access_ran_out():
    """The clock moved past the access token's lifetime, well within the refresh
    token's."""
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] + timedelta(seconds=5)
    return time_machine.travel(timezone.now() + lifetime, tick=False)


def jti(raw: str) -> str:
    return UntypedToken(raw, verify=False)["jti"]


def the_login(user) -> Login:
    return Login.objects.get(user=user)


def test_a_request_whose_card_ran_out_goes_to_be_renewed_and_comes_back(browser, user):
    old_access, old_refresh = (
        browser.cookies[ACCESS].value,
        browser.cookies[REFRESH].value,
    )
    with access_ran_out():
        sent = browser.get(ORDERS, {"page": "1"}, **OWN)
        assert sent.status_code == 302
        assert sent["Location"] == f"{RENEW}?next=%2Fapi%2Forders%2F%3Fpage%3D1"
        assert "no-store" in sent["Cache-Control"]
        renewed = browser.get(sent["Location"], **OWN)
        assert renewed.status_code == 302
        assert renewed["Location"] == f"{ORDERS}?page=1"
        assert renewed.cookies[ACCESS]["path"] == "/"
        assert renewed.cookies[REFRESH]["path"] == "/account/"
        served = browser.get(renewed["Location"], **OWN)
    assert served.status_code == 200
    assert browser.cookies[ACCESS].value not in {"", old_access}
    assert browser.cookies[REFRESH].value not in {"", old_refresh}
    assert is_blacklisted(jti=jti(old_refresh))
    assert the_login(user).refresh_jti == jti(browser.cookies[REFRESH].value)


def test_a_post_goes_through_renewal_with_its_method_and_body(user):
    """A script's POST (here, placing an order) is repeated with a 307: nothing
    the person sent is lost, and the CSRF token still has to be right."""
    dish = MenuItemFactory()
    browser = Client(enforce_csrf_checks=True)
    csrf = browser.get(reverse("login-page")).cookies["csrftoken"].value
    form = {"username": user.username, "password": PASSWORD}
    browser.post(reverse("login-page"), {**form, "csrfmiddlewaretoken": csrf})
    body = {"items": [{"menu_item": dish.pk, "quantity": 2}], "delivery_address": "x"}
    with access_ran_out():
        sent = browser.post(
            ORDERS,
            json.dumps(body),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=csrf,
            **OWN,
        )
        assert sent.status_code == 307
        placed = browser.post(
            ORDERS,
            json.dumps(body),
            content_type="application/json",
            HTTP_X_CSRFTOKEN=csrf,
            follow=True,
            **OWN,
        )
    assert [status for _, status in placed.redirect_chain] == [307, 307]
    assert placed.status_code == 201, placed.content
    assert Order.objects.get().items.get().quantity == 2


def test_a_valid_access_cookie_is_not_renewed(browser):
    response = browser.get(ORDERS)
    assert response.status_code == 200
    assert ACCESS not in response.cookies


def test_a_request_with_an_authorization_header_is_never_renewed(browser):
    with access_ran_out():
        response = browser.get(ORDERS, HTTP_AUTHORIZATION="Bearer not.a.token", **OWN)
    assert response.status_code == 401
    assert ACCESS not in response.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_SEC_FETCH_MODE": "navigate"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://elsewhere.example/page"},
        {},
    ],
    ids=["cross-site", "same-site", "origin", "null origin", "referer", "no page"],
)
def test_another_sites_request_renews_nothing(browser, user, headers):
    """A link or form on another site's page (or a request no page vouches for):
    it goes on anonymous, the cookies stay as they are, the login is not renewed."""
    with access_ran_out():
        page = browser.get(reverse("my-orders-page"), **headers)
        api = browser.get(ORDERS, **headers)
        direct = browser.get(f"{RENEW}?next=/", **headers)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login-page"))
    assert api.status_code == 401
    assert direct.status_code == 302
    assert direct["Location"] == "/"
    for response in (page, api, direct):
        assert ACCESS not in response.cookies
        assert REFRESH not in response.cookies
    assert the_login(user).renewed_at is None


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "none", "HTTP_SEC_FETCH_MODE": "navigate"},
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": "http://testserver/restaurants/"},
    ],
    ids=["same-origin", "typed address", "origin", "referer"],
)
def test_this_sites_request_is_renewed(browser, user, headers):
    with access_ran_out():
        response = browser.get(reverse("my-orders-page"), follow=True, **headers)
    assert response.status_code == 200
    assert f'data-username="{user.username}"' in response.content.decode()
    assert the_login(user).renewed_at is not None


def test_renewal_only_sends_the_request_on_to_a_path_of_this_site(browser):
    for target in ("https://evil.example/", "//evil.example/", "home", RENEW):
        response = browser.get(RENEW, {"next": target}, **OWN)
        assert response["Location"] == "/", target


def test_an_unusable_refresh_cookie_is_taken_out_and_the_request_is_anonymous(
    browser, user, caplog
):
    """Here, a copy kept after logging out."""
    refresh = browser.cookies[REFRESH].value
    browser.post(reverse("logout-page"))
    browser.cookies[REFRESH] = refresh
    browser.cookies[ACCESS] = "expired.or.broken"
    with caplog.at_level(logging.INFO):
        response = browser.get(ORDERS, follow=True, **OWN)
    assert response.status_code == 401
    assert browser.cookies[ACCESS].value == browser.cookies[REFRESH].value == ""
    assert the_login(user).ended_reason == "logged_out"


def test_without_a_refresh_cookie_the_stale_access_cookie_is_taken_out(browser):
    del browser.cookies[REFRESH]
    with access_ran_out():
        response = browser.get(ORDERS, follow=True, **OWN)
    assert response.status_code == 401
    assert browser.cookies[ACCESS].value == ""


def test_after_the_refresh_token_expires_the_person_is_logged_out(browser):
    later = timezone.now() + settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    with time_machine.travel(later + timedelta(seconds=5)):
        response = browser.get(ORDERS, follow=True, **OWN)
    assert response.status_code == 401


def test_logging_out_with_a_card_that_ran_out_ends_the_login(browser, user):
    with access_ran_out():
        response = browser.post(reverse("logout-page"), follow=True, **OWN)
    assert response.status_code == 200
    assert the_login(user).ended_reason == "logged_out"
    assert browser.cookies[ACCESS].value == browser.cookies[REFRESH].value == ""


def test_two_tabs_renewing_at_once_stay_logged_in_with_one_refresh_token(
    browser, user, caplog
):
    """Both tabs sent the same cookies before either answer came back."""
    second_tab = Client()
    second_tab.cookies = browser.cookies.__class__(browser.cookies)
    with access_ran_out(), caplog.at_level(logging.INFO):
        first = browser.get(f"{RENEW}?next=/", **OWN)
        second = second_tab.get(f"{RENEW}?next=/", **OWN)
        assert browser.get(ME).status_code == second_tab.get(ME).status_code == 200
    assert first.cookies[REFRESH].value == second.cookies[REFRESH].value
    assert the_login(user).ended_at is None
    assert not [
        r for r in caplog.records if getattr(r, "event", "") == "refresh_token_reused"
    ]


@postgres_race
def test_tabs_renewing_at_the_same_instant_all_stay_logged_in(caplog):
    """Threads, each a tab with the same cookies and a connection of its own."""
    user = UserFactory()
    cookies = log_in(Client(), user).cookies

    def tab(_):
        client = Client()
        client.cookies = cookies.__class__(cookies)
        with access_ran_out():
            renewed = client.get(f"{RENEW}?next={ME}", **OWN)
            return renewed, client.get(ME).status_code

    with caplog.at_level(logging.INFO):
        answers = run_together(6, tab)
    assert [status for _, status in answers] == [200] * 6
    assert len({renewed.cookies[REFRESH].value for renewed, _ in answers}) == 1
    assert the_login(user).ended_at is None
    assert not [
        r for r in caplog.records if getattr(r, "event", "") == "refresh_token_reused"
    ]
