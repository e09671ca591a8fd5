"""Logins (token families): a stolen refresh token ends its whole login, whatever
the settings, and two renewals at once keep the person logged in."""

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connections
from django.forms.models import model_to_dict
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from accounts.models import Login
from accounts.revocation import end_login, new_family_id
from accounts.services import issue_token_pair
from accounts.tokens import RefreshToken
from teaching import ticket_rail
from tests.conftest import past_the_grace_period
from tests.factories import PASSWORD, UserFactory
from tests.races import postgres_race, run_together

REFRESH = reverse("accounts:token-refresh")
VERIFY = reverse("accounts:token-verify")
LOGOUT = reverse("accounts:logout")
INSPECT = reverse("teaching:inspect")
ME = reverse("accounts:me")
REUSED = "refresh_token_reused"


@pytest.fixture
def instant(settings):
    settings.JWT_INSTANT_REVOCATION = True


def trade(client, refresh):
    return client.post(REFRESH, {"refresh": str(refresh)}, format="json")


def me(client, access):
    return client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")


def login_of(pair) -> Login:
    return Login.objects.get(family=pair.refresh["fam"])


def reuse_records(caplog) -> list:
    return [r for r in caplog.records if getattr(r, "event", "") == REUSED]


def test_a_login_names_its_current_refresh_token_and_never_holds_it(user):
    pair = issue_token_pair(user=user, device="Firefox on Linux", address="192.0.2.7")
    login = Login.objects.get(user=user)
    assert login.family == pair.refresh["fam"] == pair.access["fam"]
    assert login.refresh_jti == pair.refresh["jti"]
    assert (login.device, login.address) == ("Firefox on Linux", "192.0.2.7")
    assert login.ended_at is None
    assert login.is_open
    stored = [*model_to_dict(login).values(), OutstandingToken.objects.get().token]
    for token in (pair.refresh, pair.access):
        signature = str(token).split(".")[2]
        assert not any(signature in str(value) for value in stored)


def test_a_replayed_refresh_token_ends_the_whole_login_by_default(
    api_client, user, caplog
):
    """The owner renewed first; the thief's replay ends the login, so the owner's
    newer token is refused too. The person's other logins are left alone."""
    stolen = issue_token_pair(user=user)
    other = issue_token_pair(user=user)
    owner = trade(api_client, stolen.refresh)
    assert owner.status_code == 200
    with past_the_grace_period(), caplog.at_level(logging.INFO):
        thief = trade(api_client, stolen.refresh)
        owner_again = trade(api_client, owner.json()["refresh"])
        other_again = trade(api_client, other.refresh)
    assert thief.status_code == owner_again.status_code == 401
    assert thief.json()["code"] == "token_not_valid"
    assert owner_again.json()["detail"] == "Token's login has ended"
    assert other_again.status_code == 200
    login = login_of(stolen)
    assert login.ended_reason == "reused"
    assert login.ended_at is not None
    assert login_of(other).ended_at is None
    (record,) = reuse_records(caplog)
    assert (record.user_id, record.family) == (user.pk, stolen.refresh["fam"])
    ticket = ticket_rail.latest()[1]  # the newest is the other login's renewal
    assert (ticket.kind, ticket.jti) == ("reused", stolen.refresh["jti"])


def test_when_the_thief_renews_first_the_owners_replay_ends_the_login(api_client, user):
    stolen = issue_token_pair(user=user)
    thief = trade(api_client, stolen.refresh)
    with past_the_grace_period():
        owner = trade(api_client, stolen.refresh)
        thief_again = trade(api_client, thief.json()["refresh"])
    assert owner.status_code == thief_again.status_code == 401
    assert login_of(stolen).ended_reason == "reused"


def test_with_instant_revocation_the_logins_access_tokens_end_too(
    instant, api_client, user
):
    stolen = issue_token_pair(user=user)
    other = issue_token_pair(user=user)
    owner = trade(api_client, stolen.refresh).json()
    with past_the_grace_period():
        assert trade(api_client, stolen.refresh).status_code == 401
        for access in (stolen.access, owner["access"]):
            refused = me(api_client, access)
            assert refused.status_code == 401
            assert refused.json()["detail"] == "Token has been revoked"
        assert me(api_client, other.access).status_code == 200


def test_without_instant_revocation_the_access_tokens_run_out_on_their_own(
    api_client, user
):
    stolen = issue_token_pair(user=user)
    owner = trade(api_client, stolen.refresh).json()
    with past_the_grace_period():
        assert trade(api_client, stolen.refresh).status_code == 401
        assert me(api_client, owner["access"]).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_end_of_a_reused_login_is_committed_though_the_request_is_refused():
    """Another connection sees the login ended: it was not rolled back with the
    refused renewal."""
    client = APIClient()
    stolen = issue_token_pair(user=UserFactory())
    trade(client, stolen.refresh)
    with past_the_grace_period():
        assert trade(client, stolen.refresh).status_code == 401

    def ended_reason_seen_elsewhere() -> str:
        try:
            return login_of(stolen).ended_reason
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as elsewhere:
        assert elsewhere.submit(ended_reason_seen_elsewhere).result() == "reused"


@pytest.mark.parametrize("path", [VERIFY, INSPECT])
def test_showing_a_rotated_refresh_token_to_verify_or_inspect_ends_its_login(
    api_client, user, caplog, path
):
    """Checking a refresh token counts as presenting it: these endpoints tell no
    thief for free that the token was traded in."""
    stolen = issue_token_pair(user=user)
    owner = trade(api_client, stolen.refresh).json()
    with past_the_grace_period(), caplog.at_level(logging.INFO):
        shown = api_client.post(path, {"token": str(stolen.refresh)}, format="json")
        owner_again = trade(api_client, owner["refresh"])
    if path == VERIFY:
        assert shown.status_code == 401
    else:
        assert shown.json()["valid"] is False
    assert owner_again.status_code == 401
    assert login_of(stolen).ended_reason == "reused"
    assert len(reuse_records(caplog)) == 1


def test_a_second_renewal_within_the_grace_period_gets_the_same_refresh_token(
    api_client, user, caplog
):
    """Two tabs renewing at once: both stay logged in, with one refresh token
    between them, and nothing is counted as theft."""
    pair = issue_token_pair(user=user)
    with caplog.at_level(logging.INFO):
        first = trade(api_client, pair.refresh)
        second = trade(api_client, pair.refresh)
    assert first.status_code == second.status_code == 200
    assert second.json()["refresh"] == first.json()["refresh"]
    assert second.json()["access"] != first.json()["access"]
    for answer in (first, second):
        assert me(api_client, answer.json()["access"]).status_code == 200
    assert reuse_records(caplog) == []
    assert login_of(pair).ended_at is None
    assert BlacklistedToken.objects.count() == 1
    assert OutstandingToken.objects.count() == 2


def test_whoever_trades_a_shared_refresh_token_second_ends_the_login(api_client, user):
    """The grace period hands a late copy the login's current token, never a
    second line of tokens: the next trade of that token by the other holder is a
    reuse, as it would be without the grace period."""
    pair = issue_token_pair(user=user)
    owner = trade(api_client, pair.refresh).json()
    copy = trade(api_client, pair.refresh).json()  # a thief, just in time
    assert trade(api_client, owner["refresh"]).status_code == 200
    with past_the_grace_period():
        assert trade(api_client, copy["refresh"]).status_code == 401
    assert login_of(pair).ended_reason == "reused"


def test_the_grace_period_covers_only_the_token_traded_in_last(api_client, user):
    pair = issue_token_pair(user=user)
    newer = trade(api_client, pair.refresh).json()
    assert trade(api_client, newer["refresh"]).status_code == 200
    assert trade(api_client, pair.refresh).status_code == 401
    assert login_of(pair).ended_reason == "reused"


def test_without_a_grace_period_a_second_renewal_ends_the_login(
    api_client, user, settings
):
    settings.JWT_REFRESH_GRACE_PERIOD = timedelta(0)
    pair = issue_token_pair(user=user)
    assert trade(api_client, pair.refresh).status_code == 200
    assert trade(api_client, pair.refresh).status_code == 401
    assert login_of(pair).ended_reason == "reused"


def test_ending_a_login_refuses_every_refresh_token_of_it_at_once(api_client, user):
    pair = issue_token_pair(user=user)
    newer = trade(api_client, pair.refresh).json()
    assert end_login(login=login_of(pair), reason="ended") is True
    for token in (newer["refresh"], pair.refresh):  # the current one, and a repeat
        refused = trade(api_client, token)
        assert refused.status_code == 401
        assert refused.json()["detail"] == "Token's login has ended"
    assert end_login(login=login_of(pair), reason="ended") is False
    assert login_of(pair).ended_reason == "ended"


def test_logout_ends_its_whole_login_and_no_other(api_client, user):
    pair, other = issue_token_pair(user=user), issue_token_pair(user=user)
    newer = trade(api_client, pair.refresh).json()
    out = api_client.post(LOGOUT, {"refresh": newer["refresh"]}, format="json")
    assert out.status_code == 205
    for token in (newer["refresh"], pair.refresh):
        assert trade(api_client, token).status_code == 401
    assert login_of(pair).ended_reason == "logged_out"
    assert trade(api_client, other.refresh).status_code == 200


def test_a_refresh_token_of_no_recorded_login_is_refused(api_client, user):
    """Signed with the server's key, yet no login of this server issued it."""
    token = RefreshToken()
    token["user_id"] = str(user.pk)
    token["username"] = user.username
    token["role"] = user.role
    token["fam"] = new_family_id()
    response = trade(api_client, token)
    assert response.status_code == 401
    assert response.json()["detail"] == "Token's login has ended"
    assert not Login.objects.exists()
    assert not OutstandingToken.objects.exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("password", "password_changed"),
        ("disable", "account_disabled"),
    ],
)
def test_a_new_password_or_a_disabled_account_ends_every_login(user, change, reason):
    """Set anywhere: the admin, ``changepassword``, a script."""
    pairs = [issue_token_pair(user=user) for _ in range(3)]
    someone_else = issue_token_pair(user=UserFactory())
    if change == "password":
        user.set_password("an-entirely-new-pass-phrase")
    else:
        user.is_active = False
    user.save()
    assert {login_of(pair).ended_reason for pair in pairs} == {reason}
    assert login_of(someone_else).ended_at is None


def test_a_password_rehashed_at_login_ends_the_other_logins(api_client, user, settings):
    """As Django's sessions do: the hash changed, whatever the reason."""
    other_device = issue_token_pair(user=user)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.ScryptPasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    response = api_client.post(
        reverse("accounts:token"),
        {"username": user.username, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("scrypt$")
    assert login_of(other_device).ended_reason == "password_changed"
    assert trade(api_client, response.json()["refresh"]).status_code == 200


def test_saving_an_account_without_a_new_password_ends_nothing(user):
    pair = issue_token_pair(user=user)
    user.set_password("an-entirely-new-pass-phrase")
    user.save()
    fresh = issue_token_pair(user=user)
    user.first_name = "Alice"
    user.save()
    assert login_of(pair).ended_at is not None
    assert login_of(fresh).ended_at is None


@postgres_race
def test_concurrent_renewals_of_one_refresh_token_all_get_the_same_new_one(caplog):
    """Threads, each with its own database connection: one renews, the others wait
    for it and get what it got. SQLite's turn is against a real server, whose
    database is a file (tests/accounts/test_renewal_races.py)."""
    pair = issue_token_pair(user=UserFactory())
    with caplog.at_level(logging.INFO):
        answers = run_together(6, lambda _: trade(APIClient(), pair.refresh))
    assert [answer.status_code for answer in answers] == [200] * 6
    (shared,) = {answer.json()["refresh"] for answer in answers}
    assert reuse_records(caplog) == []
    assert BlacklistedToken.objects.count() == 1
    assert OutstandingToken.objects.count() == 2
    assert login_of(pair).ended_at is None
    assert trade(APIClient(), shared).status_code == 200
