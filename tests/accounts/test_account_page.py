"""The account page: a person's logins, ended one at a time or all, and a new
password, in a browser that holds its cards in cookies."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import Login, LoginEnd
from accounts.services import issue_token_pair, log_in
from accounts.tokens import AccessToken
from tests.conftest import log_in as log_in_page
from tests.conftest import throttle_rates
from tests.factories import PASSWORD, UserFactory

ACCOUNT = reverse("account-page")
PASSWORD_PAGE = reverse("password-page")
EVERYWHERE = reverse("logout-everywhere-page")
RENEW = reverse("renew-page")
NEW_PASSWORD = "a-fresh-passphrase-for-today"


def end_url(login: Login) -> str:
    return reverse("end-login-page", args=[login.pk])


def current_login(browser: Client) -> Login:
    """The login of the card the browser holds."""
    card = AccessToken(browser.cookies[settings.JWT_ACCESS_COOKIE_NAME].value)
    return Login.objects.get(family=card["fam"])


def still_signed_in(browser: Client) -> bool:
    """Whether the browser's cards still work: its page says who it is, and its
    refresh token still renews (this site's own request)."""
    page = browser.get(ACCOUNT)
    renewal = browser.get(RENEW, HTTP_SEC_FETCH_SITE="same-origin")
    cookie = browser.cookies.get(settings.JWT_ACCESS_COOKIE_NAME)
    return (
        page.status_code == 200
        and bool(cookie and cookie.value)
        and (
            renewal.status_code == 302
            and renewal.cookies.get(settings.JWT_ACCESS_COOKIE_NAME) is not None
            and renewal.cookies[settings.JWT_ACCESS_COOKIE_NAME].value != ""
        )
    )


def can_renew(client, pair) -> bool:
    response = client.post(
        reverse("accounts:token-refresh"), {"refresh": str(pair.refresh)}
    )
    return response.status_code == 200


def change_password(browser, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return browser.post(
        PASSWORD_PAGE,
        {
            "old_password": old,
            "new_password": new,
            "new_password_again": new if again is None else again,
        },
    )


@pytest.fixture
def phone(user):
    return log_in(user=user, device="Safari on iOS", address="198.51.100.7")


def test_a_visitor_without_a_card_is_sent_to_log_in_first(client, db):
    response = client.get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/account/"


@pytest.mark.parametrize("path", [EVERYWHERE, PASSWORD_PAGE])
def test_a_form_posted_without_a_card_leads_to_log_in_then_the_account(
    client, db, path
):
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/account/"


def test_the_page_lists_the_logins_and_marks_this_device(browser, user, phone):
    response = browser.get(ACCOUNT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Safari on iOS" in page
    assert "198.51.100.7" in page
    this_device = current_login(browser)
    assert f'data-login="{this_device.pk}" data-current' in page
    assert page.count("End this login") == 1  # the phone's, not this device's
    assert f'action="{end_url(Login.objects.get(family=phone.refresh["fam"]))}"' in page
    assert "Log out everywhere" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert page.count('name="csrfmiddlewaretoken"') == page.count('method="post"')


def test_the_nav_links_to_the_account_for_signed_in_people(browser, client):
    assert 'href="/account/"' in browser.get("/").content.decode()


def test_the_nav_has_no_account_link_for_visitors(client, db):
    assert 'href="/account/"' not in client.get("/").content.decode()


@pytest.mark.parametrize("others", [1, 5])
def test_the_page_costs_two_queries(browser, user, others, django_assert_num_queries):
    """The logins, and whether the holder runs the workshop (the nav's links, on
    every page); the card itself costs none."""
    for _ in range(others):
        issue_token_pair(user=user)
    with django_assert_num_queries(2):
        assert browser.get(ACCOUNT).status_code == 200


def test_ending_another_login_leaves_this_one_and_the_rest_working(
    browser, api_client, user, phone
):
    tablet = log_in(user=user, device="Chrome on Android")
    response = browser.post(end_url(Login.objects.get(family=phone.refresh["fam"])))
    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    assert Login.objects.get(family=phone.refresh["fam"]).ended_reason == (
        LoginEnd.ENDED
    )
    assert not can_renew(api_client, phone)
    assert can_renew(api_client, tablet)
    page = browser.get(ACCOUNT).content.decode()
    assert "The login of Safari on iOS since" in page
    assert "its access token runs out within 15 minutes" in page
    assert "Ended from another login" in page
    assert still_signed_in(browser)


def test_with_instant_revocation_the_ended_devices_next_page_asks_it_to_log_in(
    settings, browser, user
):
    settings.JWT_INSTANT_REVOCATION = True
    other = log_in_page(Client(), user)
    assert other.get(reverse("my-orders-page")).status_code == 200
    browser.post(end_url(current_login(other)))
    response = other.get(reverse("my-orders-page"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert "its cards are refused from now on" in browser.get(ACCOUNT).content.decode()
    assert still_signed_in(browser)


def test_ending_this_devices_login_from_the_page_logs_it_out(browser):
    response = browser.post(end_url(current_login(browser)))
    assert response.status_code == 302
    assert response.cookies[settings.JWT_ACCESS_COOKIE_NAME].value == ""
    assert Login.objects.get().ended_reason == LoginEnd.LOGGED_OUT


def test_another_persons_login_is_a_404_and_stays_open(browser, api_client):
    theirs = issue_token_pair(user=UserFactory())
    login = Login.objects.get(family=theirs.refresh["fam"])
    assert browser.post(end_url(login)).status_code == 404
    assert Login.objects.get(pk=login.pk).ended_at is None
    assert can_renew(api_client, theirs)


def test_the_forms_only_take_a_post(browser, phone):
    login = Login.objects.get(family=phone.refresh["fam"])
    for path in (end_url(login), EVERYWHERE, PASSWORD_PAGE):
        assert browser.get(path).status_code == 405
    assert browser.post(ACCOUNT).status_code == 405


def test_the_forms_need_the_csrf_token(browser, phone):
    without_csrf = Client(enforce_csrf_checks=True)
    without_csrf.cookies = browser.cookies
    login = Login.objects.get(family=phone.refresh["fam"])
    assert without_csrf.post(end_url(login)).status_code == 403
    assert without_csrf.post(EVERYWHERE).status_code == 403
    assert change_password(without_csrf).status_code == 403
    assert Login.objects.filter(ended_at=None).count() == 2


def test_log_out_everywhere_ends_every_login_this_one_too(browser, api_client, phone):
    response = browser.post(EVERYWHERE)
    assert response.status_code == 302
    assert response["Location"] == reverse("login-page")
    assert response.cookies[settings.JWT_ACCESS_COOKIE_NAME].value == ""
    assert not Login.objects.filter(ended_at=None).exists()
    assert not can_renew(api_client, phone)
    page = browser.get(response["Location"]).content.decode()
    assert "You are logged out everywhere: 2 logins ended, this one too." in page


def test_a_new_password_ends_every_other_login_and_keeps_this_one(
    browser, api_client, user, phone
):
    response = change_password(browser)
    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not can_renew(api_client, phone)
    page = browser.get(ACCOUNT).content.decode()
    assert "Your password is changed. 1 other login ended" in page
    assert still_signed_in(browser)


def test_with_instant_revocation_a_new_password_keeps_this_devices_cards(
    settings, browser, phone
):
    settings.JWT_INSTANT_REVOCATION = True
    assert change_password(browser).status_code == 302
    assert still_signed_in(browser)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"old": "not-my-password"}, "old_password", "entered incorrectly"),
        ({"new": "short"}, "new_password", "too short"),
        ({"new": "password123"}, "new_password", "too common"),
        ({"again": "something-else-entirely"}, "new_password_again", "differ"),
    ],
)
def test_a_refused_password_says_why_and_changes_nothing(
    browser, api_client, user, phone, fields, field, message
):
    response = change_password(browser, **fields)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert can_renew(api_client, phone)


def test_password_attempts_on_the_page_count_with_the_api_and_the_login(
    settings, client, user
):
    """The login was the first attempt of three."""
    browser = log_in_page(client, user)
    throttle_rates(settings, login_username="3/min", login_address="100/min")
    assert change_password(browser, old="a-guess").status_code == 200
    assert change_password(browser, old="another-guess").status_code == 200
    response = change_password(browser)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many password attempts" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_password_change_that_cannot_be_counted_says_so(browser, user, redis_down):
    response = change_password(browser)
    assert response.status_code == 503
    assert "cannot be counted right now" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
