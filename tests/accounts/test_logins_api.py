"""A person's logins through the API: list them, end one, change the password."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Login, LoginEnd, User
from accounts.services import issue_token_pair, log_in
from teaching import ticket_rail
from tests.conftest import throttle_rates
from tests.factories import PASSWORD, UserFactory

LOGINS = reverse("accounts:login-list")
PASSWORD_CHANGE = reverse("accounts:password")
REFRESH = reverse("accounts:token-refresh")
ME = reverse("accounts:me")
NEW_PASSWORD = "a-fresh-passphrase-for-today"


def end_url(login_id: int | str) -> str:
    return reverse("accounts:login-end", args=[login_id])


def bearer(pair) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {pair.access}"}


def can_renew(api_client, pair) -> bool:
    response = api_client.post(REFRESH, {"refresh": str(pair.refresh)}, format="json")
    return response.status_code == 200


def change_password(api_client, pair, old=PASSWORD, new=NEW_PASSWORD, **extra):
    return api_client.post(
        PASSWORD_CHANGE,
        {"old_password": old, "new_password": new},
        format="json",
        **bearer(pair),
        **extra,
    )


@pytest.fixture
def labs_off(settings):
    """Production's query budgets: with the labs on, a token event costs a write."""
    settings.LABS_ENABLED = False


@pytest.fixture
def laptop(user):
    return log_in(user=user, device="Firefox on Linux", address="192.0.2.10")


@pytest.fixture
def phone(user):
    return log_in(user=user, device="Safari on iOS", address="198.51.100.7")


# --- GET /api/auth/logins/ ------------------------------------------------------------


def test_the_list_shows_each_login_and_marks_the_one_that_asked(
    api_client, laptop, phone
):
    response = api_client.get(LOGINS, **bearer(phone))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    newest, oldest = body["results"]
    assert newest["family"] == phone.refresh["fam"]
    assert (newest["device"], newest["address"]) == ("Safari on iOS", "198.51.100.7")
    assert (newest["current"], oldest["current"]) == (True, False)
    assert (newest["state"], newest["ended_reason"], newest["ended_at"]) == (
        "open",
        "",
        None,
    )
    assert oldest["device"] == "Firefox on Linux"
    assert set(newest) == {
        "id",
        "family",
        "device",
        "address",
        "created_at",
        "renewed_at",
        "expires_at",
        "state",
        "ended_at",
        "ended_reason",
        "current",
    }


def test_the_list_reads_the_card_from_the_cookie_too(client, user):
    client.post(
        reverse("login-page"),
        {"username": user.username, "password": PASSWORD},
        HTTP_USER_AGENT=(
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
        ),
    )
    [login] = client.get(LOGINS).json()["results"]
    assert login["current"] is True
    assert (login["device"], login["address"]) == ("Firefox on Linux", "127.0.0.1")


def test_the_api_login_records_the_program_it_came_from(api_client, user):
    response = api_client.post(
        reverse("accounts:token"),
        {"username": user.username, "password": PASSWORD},
        format="json",
        HTTP_USER_AGENT="curl/8.5.0",
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 200
    login = Login.objects.get(user=user)
    assert (login.device, login.address) == ("curl/8.5.0", "203.0.113.9")


def test_the_list_holds_only_the_callers_logins(api_client, laptop):
    stranger = issue_token_pair(user=UserFactory())
    results = api_client.get(LOGINS, **bearer(stranger)).json()["results"]
    assert [login["family"] for login in results] == [stranger.refresh["fam"]]


def test_the_list_shows_a_recently_ended_login_with_its_reason(
    api_client, laptop, phone
):
    api_client.post(reverse("accounts:logout"), {"refresh": str(laptop.refresh)})
    results = api_client.get(LOGINS, **bearer(phone)).json()["results"]
    ended = next(login for login in results if not login["current"])
    assert (ended["state"], ended["ended_reason"]) == ("ended", "logged_out")
    assert ended["ended_at"] is not None


def test_a_login_that_ended_over_a_day_ago_is_no_longer_listed(user, laptop):
    api_client = APIClient()
    api_client.post(reverse("accounts:logout"), {"refresh": str(laptop.refresh)})
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        later = issue_token_pair(user=user)
        results = api_client.get(LOGINS, **bearer(later)).json()["results"]
    assert [login["family"] for login in results] == [later.refresh["fam"]]


def test_the_list_needs_a_card(api_client, db):
    response = api_client.get(LOGINS)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


# --- POST /api/auth/logins/{id}/end/ --------------------------------------------------


def test_ending_one_login_leaves_the_others_working(api_client, user, laptop, phone):
    tablet = log_in(user=user, device="Chrome on Android")
    laptop_login = Login.objects.get(family=laptop.refresh["fam"])
    response = api_client.post(end_url(laptop_login.pk), **bearer(phone))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["state"], body["ended_reason"]) == (
        laptop_login.pk,
        "ended",
        "ended",
    )
    assert body["current"] is False
    assert not can_renew(api_client, laptop)
    assert can_renew(api_client, phone)
    assert can_renew(api_client, tablet)
    ticket = ticket_rail.latest()[2]  # then the two renewals
    assert (ticket.kind, ticket.user_id, ticket.jti) == (
        "revoked",
        user.pk,
        laptop.refresh["jti"],
    )


def test_ending_the_login_that_asks_is_logging_out(api_client, laptop, phone):
    login = Login.objects.get(family=phone.refresh["fam"])
    response = api_client.post(end_url(login.pk), **bearer(phone))
    assert response.status_code == 200
    assert (response.json()["current"], response.json()["ended_reason"]) == (
        True,
        "logged_out",
    )
    assert not can_renew(api_client, phone)
    assert can_renew(api_client, laptop)
    assert ticket_rail.latest()[1].kind == "logged out"


def test_ending_a_login_again_changes_nothing(api_client, laptop, phone):
    login = Login.objects.get(family=laptop.refresh["fam"])
    api_client.post(end_url(login.pk), **bearer(phone))
    ended_at = Login.objects.get(pk=login.pk).ended_at
    response = api_client.post(end_url(login.pk), **bearer(phone))
    assert response.status_code == 200
    assert Login.objects.get(pk=login.pk).ended_at == ended_at


def test_with_instant_revocation_an_ended_logins_access_token_ends_too(
    settings, api_client, laptop, phone
):
    settings.JWT_INSTANT_REVOCATION = True
    login = Login.objects.get(family=laptop.refresh["fam"])
    api_client.post(end_url(login.pk), **bearer(phone))
    assert api_client.get(ME, **bearer(laptop)).status_code == 401
    assert api_client.get(ME, **bearer(phone)).status_code == 200


def test_another_persons_login_is_a_404_and_stays_open(api_client, phone):
    theirs = issue_token_pair(user=UserFactory())
    login = Login.objects.get(family=theirs.refresh["fam"])
    response = api_client.post(end_url(login.pk), **bearer(phone))
    assert response.status_code == 404
    assert response.json() == {"detail": "No such login.", "code": "not_found"}
    assert Login.objects.get(pk=login.pk).ended_at is None
    assert can_renew(api_client, theirs)


@pytest.mark.parametrize("login_id", ["999999", "0", "abc", str(2**70)])
def test_a_login_that_does_not_exist_is_a_404(api_client, phone, login_id):
    response = api_client.post(end_url(login_id), **bearer(phone))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_ending_a_login_by_cookie_needs_the_csrf_token(browser, laptop):
    without_csrf = APIClient(enforce_csrf_checks=True)
    without_csrf.cookies = browser.cookies
    login = Login.objects.get(family=laptop.refresh["fam"])
    response = without_csrf.post(end_url(login.pk))
    assert response.status_code == 403
    assert Login.objects.get(pk=login.pk).ended_at is None


# --- POST /api/auth/password/ ---------------------------------------------------------


def test_a_new_password_ends_every_other_login_and_keeps_this_one(
    api_client, user, laptop, phone
):
    response = change_password(api_client, phone)
    assert response.status_code == 200
    assert response.json() == {"logins_ended": 1}
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert Login.objects.get(family=laptop.refresh["fam"]).ended_reason == (
        LoginEnd.PASSWORD_CHANGED
    )
    assert not can_renew(api_client, laptop)
    assert api_client.get(ME, **bearer(phone)).status_code == 200
    assert can_renew(api_client, phone)
    login = api_client.post(
        reverse("accounts:token"),
        {"username": user.username, "password": NEW_PASSWORD},
        format="json",
    )
    assert login.status_code == 200


def test_with_instant_revocation_a_new_password_keeps_this_access_token(
    settings, api_client, laptop, phone
):
    settings.JWT_INSTANT_REVOCATION = True
    assert change_password(api_client, phone).status_code == 200
    assert api_client.get(ME, **bearer(phone)).status_code == 200
    assert api_client.get(ME, **bearer(laptop)).status_code == 401


def test_a_wrong_old_password_is_a_400_and_changes_nothing(
    api_client, user, laptop, phone
):
    response = change_password(api_client, phone, old="not-my-password")
    assert response.status_code == 400
    assert response.json() == {
        "old_password": ["Your old password was entered incorrectly."]
    }
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert can_renew(api_client, laptop)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (
            "short",
            "This password is too short. It must contain at least 10 characters.",
        ),
        ("1234567890123", "This password is entirely numeric."),
        ("password123", "This password is too common."),
    ],
)
def test_a_new_password_the_validators_refuse_is_a_400(
    api_client, user, laptop, phone, new, message
):
    response = change_password(api_client, phone, new=new)
    assert response.status_code == 400
    assert message in response.json()["new_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert can_renew(api_client, laptop)


def test_a_new_password_like_the_username_is_refused(api_client, db):
    user = UserFactory(username="margherita-lover")
    pair = issue_token_pair(user=user)
    response = change_password(api_client, pair, new="margherita-lover1")
    assert response.status_code == 400
    assert response.json()["new_password"] == [
        "The password is too similar to the username."
    ]


def test_a_password_change_needs_both_fields(api_client, phone):
    response = api_client.post(PASSWORD_CHANGE, {}, format="json", **bearer(phone))
    assert response.status_code == 400
    assert response.json() == {
        "old_password": ["This field is required."],
        "new_password": ["This field is required."],
    }


def test_a_password_change_needs_a_card(api_client, user):
    response = api_client.post(
        PASSWORD_CHANGE,
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 401
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_disabled_account_cannot_change_its_password(api_client, user, phone):
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = change_password(api_client, phone)
    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"


def test_password_guesses_count_with_the_logins_of_the_username(
    settings, api_client, user, phone
):
    throttle_rates(settings, login_username="3/min", login_address="100/min")
    for _ in range(3):
        assert change_password(api_client, phone, old="a-guess").status_code == 400
    response = change_password(api_client, phone)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    login = api_client.post(
        reverse("accounts:token"),
        {"username": user.username, "password": PASSWORD},
        format="json",
    )
    assert login.status_code == 429


def test_password_changes_are_counted_per_address_too(settings, api_client, user):
    throttle_rates(settings, login_username="100/min", login_address="2/min")
    pairs = [issue_token_pair(user=UserFactory()) for _ in range(3)]
    assert change_password(api_client, pairs[0], old="a-guess").status_code == 400
    assert change_password(api_client, pairs[1], old="a-guess").status_code == 400
    assert change_password(api_client, pairs[2]).status_code == 429


def test_a_password_change_that_cannot_be_counted_is_a_503(
    api_client, user, laptop, phone, redis_down
):
    response = change_password(api_client, phone)
    assert response.status_code == 503
    assert response.json() == {
        "detail": "Attempts cannot be counted right now; try again shortly.",
        "code": "throttle_unavailable",
    }
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert Login.objects.get(family=laptop.refresh["fam"]).ended_at is None


# --- Query budgets --------------------------------------------------------------------


@pytest.mark.parametrize("others", [1, 5])
def test_the_list_query_budget(
    labs_off, api_client, user, phone, others, django_assert_num_queries
):
    """One query for a first page that is not full; the card costs none."""
    for _ in range(others):
        issue_token_pair(user=user)
        issue_token_pair(user=UserFactory())
    with django_assert_num_queries(1):
        response = api_client.get(LOGINS, **bearer(phone))
    assert response.json()["count"] == others + 1


@pytest.mark.parametrize("others", [1, 5])
def test_the_end_query_budget(
    labs_off, api_client, user, laptop, phone, others, django_assert_num_queries
):
    """Read the login with its account, end it, read it back."""
    for _ in range(others):
        issue_token_pair(user=user)
    login = Login.objects.get(family=laptop.refresh["fam"])
    with django_assert_num_queries(3):
        response = api_client.post(end_url(login.pk), **bearer(phone))
    assert response.status_code == 200


@pytest.mark.parametrize("others", [1, 5])
def test_the_password_change_query_budget(
    labs_off, api_client, user, phone, others, django_assert_num_queries
):
    """Read the account; in a transaction (two savepoint statements under the test's
    own), count the other logins, save the password, end the other logins."""
    for _ in range(others):
        issue_token_pair(user=user)
    with django_assert_num_queries(6):
        response = change_password(api_client, phone)
    assert response.json() == {"logins_ended": others}
