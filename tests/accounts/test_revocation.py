"""Instant revocation: logout, log out everywhere, reuse, password and deactivation.

With ``JWT_INSTANT_REVOCATION`` off, authenticating reads neither the database nor
the cache. With it on, it reads the cache once and the database never.
"""

import logging
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache import caches
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.request import Request

from accounts import services
from accounts.authentication import JWTAuthentication
from accounts.models import Login, User
from accounts.revocation import end_login, is_blacklisted
from accounts.services import issue_token_pair, rotate_refresh_token
from tests.conftest import dead_redis_caches, past_the_grace_period
from tests.factories import UserFactory

ME = reverse("accounts:me")
ORDERS = reverse("order-list")
REFRESH = reverse("accounts:token-refresh")
LOGOUT = reverse("accounts:logout")
LOGOUT_ALL = reverse("accounts:logout-all")
VERIFY = reverse("accounts:token-verify")
INSPECT = reverse("teaching:inspect")
CACHE_READS = ("get", "get_many", "has_key")


@pytest.fixture
def instant(settings):
    settings.JWT_INSTANT_REVOCATION = True


@contextmanager
def counting_cache_reads() -> Iterator[list[str]]:
    """Record each read the code asks of the cache (not the backend's inner calls)."""
    reads: list[str] = []
    backend = caches["security"]
    originals = {name: getattr(backend, name) for name in CACHE_READS}
    depth = [0]

    def counted(name):
        def read(*args, **kwargs):
            if depth[0] == 0:
                reads.append(name)
            depth[0] += 1
            try:
                return originals[name](*args, **kwargs)
            finally:
                depth[0] -= 1

        return read

    for name in CACHE_READS:
        setattr(backend, name, counted(name))
    try:
        yield reads
    finally:
        for name in CACHE_READS:
            delattr(backend, name)


def authenticate(access) -> tuple:
    request = Request(RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {access}"))
    return JWTAuthentication().authenticate(request)


def own_orders(client, access):
    return client.get(ORDERS, HTTP_AUTHORIZATION=f"Bearer {access}")


def me(client, access):
    return client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")


def later(seconds: float = 1):
    """Move the clock on: marks are compared with births in milliseconds."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=False)


def test_authenticating_reads_nothing_when_off(user, django_assert_num_queries):
    pair = issue_token_pair(user=user)
    with django_assert_num_queries(0), counting_cache_reads() as reads:
        token_user, _ = authenticate(pair.access)
    assert token_user.id == user.pk
    assert reads == []


def test_authenticating_reads_the_cache_once_and_no_table_when_on(
    instant, user, django_assert_num_queries
):
    pair = issue_token_pair(user=user)
    with django_assert_num_queries(0), counting_cache_reads() as reads:
        token_user, _ = authenticate(pair.access)
    assert token_user.id == user.pk
    assert reads == ["get_many"]


def test_a_whole_request_reads_the_cache_once_when_on(instant, api_client, user):
    pair = issue_token_pair(user=user)
    with counting_cache_reads() as reads:
        assert me(api_client, pair.access).status_code == 200
    assert reads == ["get_many"]


def test_logout_ends_the_access_tokens_of_that_login_when_on(instant, api_client, user):
    first, second = issue_token_pair(user=user), issue_token_pair(user=user)
    response = api_client.post(LOGOUT, {"refresh": str(first.refresh)}, format="json")
    assert response.status_code == 205
    refused = me(api_client, first.access)
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_not_valid"
    assert refused.json()["detail"] == "Token has been revoked"
    assert me(api_client, second.access).status_code == 200


def test_logout_leaves_access_tokens_to_expire_when_off(api_client, user):
    pair = issue_token_pair(user=user)
    api_client.post(LOGOUT, {"refresh": str(pair.refresh)}, format="json")
    assert me(api_client, pair.access).status_code == 200


def test_logout_everywhere_ends_every_token_of_the_user(instant, api_client, user):
    phone, laptop = issue_token_pair(user=user), issue_token_pair(user=user)
    someone_else = issue_token_pair(user=UserFactory())
    response = api_client.post(LOGOUT_ALL, HTTP_AUTHORIZATION=f"Bearer {phone.access}")
    assert response.status_code == 205
    for pair in (phone, laptop):
        assert me(api_client, pair.access).status_code == 401
        again = api_client.post(REFRESH, {"refresh": str(pair.refresh)}, format="json")
        assert again.status_code == 401
    assert me(api_client, someone_else.access).status_code == 200
    with later():
        assert me(api_client, issue_token_pair(user=user).access).status_code == 200


def test_logout_everywhere_when_off_ends_refresh_tokens_only(api_client, user):
    pair = issue_token_pair(user=user)
    response = api_client.post(LOGOUT_ALL, HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    assert response.status_code == 205
    assert me(api_client, pair.access).status_code == 200
    again = api_client.post(REFRESH, {"refresh": str(pair.refresh)}, format="json")
    assert again.status_code == 401


def test_logout_everywhere_needs_a_valid_token(api_client, db):
    response = api_client.post(LOGOUT_ALL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_rotation_keeps_the_family(user):
    pair = issue_token_pair(user=user)
    rotated = rotate_refresh_token(raw_token=str(pair.refresh))
    assert rotated.refresh["fam"] == pair.refresh["fam"] == rotated.access["fam"]
    assert issue_token_pair(user=user).refresh["fam"] != pair.refresh["fam"]


def test_a_reused_refresh_token_ends_its_family_and_is_logged(
    instant, api_client, user, caplog
):
    stolen = issue_token_pair(user=user)
    other_login = issue_token_pair(user=user)
    rotated = api_client.post(REFRESH, {"refresh": str(stolen.refresh)}, format="json")
    assert rotated.status_code == 200
    with (
        caplog.at_level(logging.WARNING, logger="accounts.verification"),
        past_the_grace_period(),
    ):
        reused = api_client.post(
            REFRESH, {"refresh": str(stolen.refresh)}, format="json"
        )
    assert reused.status_code == 401
    fresh = rotated.json()
    assert me(api_client, fresh["access"]).status_code == 401
    again = api_client.post(REFRESH, {"refresh": fresh["refresh"]}, format="json")
    assert again.status_code == 401
    assert me(api_client, other_login.access).status_code == 200
    (record,) = [r for r in caplog.records if r.event == "refresh_token_reused"]
    assert record.user_id == user.pk
    assert record.family == stolen.refresh["fam"]


def test_a_reused_refresh_token_ends_its_login_and_is_logged_when_off(
    api_client, user, caplog
):
    """The refresh tokens of the login end in the database; its access tokens run
    out on their own."""
    pair = issue_token_pair(user=user)
    rotated = api_client.post(REFRESH, {"refresh": str(pair.refresh)}, format="json")
    with (
        caplog.at_level(logging.WARNING, logger="accounts.verification"),
        past_the_grace_period(),
    ):
        reused = api_client.post(REFRESH, {"refresh": str(pair.refresh)}, format="json")
        newer = api_client.post(
            REFRESH, {"refresh": rotated.json()["refresh"]}, format="json"
        )
        assert me(api_client, rotated.json()["access"]).status_code == 200
    assert reused.status_code == newer.status_code == 401
    assert [r.event for r in caplog.records] == ["refresh_token_reused"]


def test_an_expired_refresh_token_presented_again_is_merely_expired(
    instant, api_client, user, caplog
):
    pair = issue_token_pair(user=user)
    rotated = rotate_refresh_token(raw_token=str(pair.refresh))
    lifetime = pair.refresh.lifetime + timedelta(seconds=1)
    with time_machine.travel(timezone.now() + lifetime):
        response = api_client.post(
            REFRESH, {"refresh": str(pair.refresh)}, format="json"
        )
    assert response.status_code == 401
    assert not [
        r for r in caplog.records if getattr(r, "event", "") == "refresh_token_reused"
    ]
    assert me(api_client, rotated.access).status_code == 200


def test_a_new_password_ends_every_access_token(instant, api_client, user):
    pair = issue_token_pair(user=user)
    user.set_password("a-brand-new-password")
    user.save()
    assert me(api_client, pair.access).status_code == 401
    with later():
        assert me(api_client, issue_token_pair(user=user).access).status_code == 200


def test_a_card_born_in_the_millisecond_of_a_new_password_is_refused(
    instant, api_client, user
):
    """Marks and births are compared in milliseconds: a tie ends the card."""
    with time_machine.travel(timezone.now(), tick=False):
        pair = issue_token_pair(user=user)
        user.set_password("a-brand-new-password")
        user.save()
        assert me(api_client, pair.access).status_code == 401


@pytest.mark.parametrize("change", ["password", "disable"])
def test_without_instant_revocation_a_new_password_leaves_access_tokens_to_run_out(
    api_client, user, settings, change
):
    """A disabled account's too: the waiter does not ask the database."""
    pair = issue_token_pair(user=user)
    if change == "password":
        user.set_password("a-brand-new-password")
    else:
        user.is_active = False
    user.save()
    assert own_orders(api_client, pair.access).status_code == 200
    renewed = api_client.post(REFRESH, {"refresh": str(pair.refresh)}, format="json")
    assert renewed.status_code == 401
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    with later(lifetime.total_seconds() + 1):
        assert own_orders(api_client, pair.access).status_code == 401


def test_ending_one_login_ends_its_access_tokens_only_with_instant_revocation(
    api_client, user, settings
):
    """Ending one login ("end this login"): its refresh tokens at once whatever the
    setting; its access tokens at once with instant revocation, else when they
    expire. The person's other logins are left alone."""
    off, on, kept = (issue_token_pair(user=user) for _ in range(3))
    end_login(login=Login.objects.get(family=off.refresh["fam"]), reason="ended")
    settings.JWT_INSTANT_REVOCATION = True
    end_login(login=Login.objects.get(family=on.refresh["fam"]), reason="ended")
    assert me(api_client, off.access).status_code == 200
    assert me(api_client, on.access).status_code == 401
    assert me(api_client, kept.access).status_code == 200
    for pair, status in ((off, 401), (on, 401), (kept, 200)):
        renewed = api_client.post(REFRESH, {"refresh": str(pair.refresh)})
        assert renewed.status_code == status


def test_disabling_an_account_ends_every_access_token(instant, api_client, user):
    pair = issue_token_pair(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert me(api_client, pair.access).status_code == 401


def delete_the_instance(user, admin_client) -> None:
    user.delete()


def delete_with_a_queryset(user, admin_client) -> None:
    User.objects.filter(pk=user.pk).delete()


def delete_in_the_admin(user, admin_client) -> None:
    url = reverse("admin:accounts_user_delete", args=[user.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302


@pytest.mark.parametrize(
    "delete", [delete_the_instance, delete_with_a_queryset, delete_in_the_admin]
)
def test_deleting_an_account_ends_every_token_at_once(
    instant, api_client, admin_client, user, delete
):
    pair = issue_token_pair(user=user)
    assert own_orders(api_client, pair.access).status_code == 200
    delete(user, admin_client)
    refused = own_orders(api_client, pair.access)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Token has been revoked"
    assert is_blacklisted(jti=pair.refresh["jti"])
    refresh = api_client.post(REFRESH, {"refresh": str(pair.refresh)}, format="json")
    assert refresh.status_code == 401


def test_without_instant_revocation_a_deleted_accounts_access_token_runs_out(
    api_client, user, settings
):
    """The documented price of stateless cards: reads answer until the card expires."""
    pair = issue_token_pair(user=user)
    user.delete()
    listed = own_orders(api_client, pair.access)
    assert (listed.status_code, listed.json()["results"]) == (200, [])
    assert me(api_client, pair.access).status_code == 401
    assert is_blacklisted(jti=pair.refresh["jti"])
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    with later(lifetime.total_seconds() + 1):
        assert own_orders(api_client, pair.access).status_code == 401


def test_saving_an_active_user_keeps_the_tokens(instant, api_client, user):
    pair = issue_token_pair(user=user)
    user.email = "new@example.com"
    user.save()
    assert me(api_client, pair.access).status_code == 200


def test_verify_refuses_a_revoked_access_token(instant, api_client, user):
    pair = issue_token_pair(user=user)
    api_client.post(LOGOUT, {"refresh": str(pair.refresh)}, format="json")
    response = api_client.post(VERIFY, {"token": str(pair.access)}, format="json")
    assert response.status_code == 401


def test_the_inspector_reports_a_revoked_access_token(instant, api_client, user):
    pair = issue_token_pair(user=user)
    before = api_client.post(INSPECT, {"token": str(pair.access)}, format="json")
    check = {c["name"]: c for c in before.json()["checks"]}["not blacklisted"]
    assert check["ok"] is True
    assert "Instant revocation is on" in check["detail"]
    api_client.post(LOGOUT, {"refresh": str(pair.refresh)}, format="json")
    after = api_client.post(INSPECT, {"token": str(pair.access)}, format="json")
    assert after.json()["valid"] is False
    check = {c["name"]: c for c in after.json()["checks"]}["not blacklisted"]
    assert check["ok"] is False
    assert check["detail"].startswith("Revoked. This login was ended")


def test_marks_outlive_every_token_they_concern(instant, settings, user, monkeypatch):
    backend = caches["security"]
    timeouts = []
    depth = [0]

    def recording(name):
        real = getattr(backend, name)

        def write(key_or_keys, *args, timeout=None, **kwargs):
            if depth[0] == 0:  # not the backend's own set() inside set_many()
                timeouts.append(timeout)
            depth[0] += 1
            try:
                return real(key_or_keys, *args, timeout=timeout, **kwargs)
            finally:
                depth[0] -= 1

        return write

    for name in ("set", "set_many"):
        monkeypatch.setattr(backend, name, recording(name))
    pair = issue_token_pair(user=user)
    services.revoke_refresh_token(raw_token=str(pair.refresh))
    services.log_out_everywhere(user_id=user.pk)
    longest = max(
        settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"],
        settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"],
    )
    assert len(timeouts) == 2
    assert all(timeout > longest.total_seconds() for timeout in timeouts)


@pytest.mark.slow
def test_production_refuses_instant_revocation_without_redis():
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DEBUG", "SECRET_KEY", "JWT_SIGNING_KEY"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **clean,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "JWT_SIGNING_KEY": secrets.token_hex(32),
            "JWT_INSTANT_REVOCATION": "1",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "JWT_INSTANT_REVOCATION needs REDIS_URL" in line


def test_a_dead_revocation_list_refuses_with_503_not_500(api_client, db, instant):
    """Fail closed: an unchecked card is not accepted, and the answer says why."""
    pair = issue_token_pair(user=UserFactory())
    with override_settings(CACHES=dead_redis_caches()):
        response = api_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "Tokens cannot be checked right now; try again shortly.",
        "code": "revocation_unavailable",
    }


def test_a_dead_revocation_list_makes_logout_answer_503_after_ending_the_login(
    api_client, db, instant
):
    """The login ends in the database; only its access tokens could not be ended."""
    pair = issue_token_pair(user=UserFactory())
    with override_settings(CACHES=dead_redis_caches()):
        response = api_client.post(LOGOUT, {"refresh": str(pair.refresh)})
    assert response.status_code == 503
    assert response.json()["code"] == "revocation_unavailable"
    assert Login.objects.get(family=pair.refresh["fam"]).ended_reason == "logged_out"


def test_a_refresh_is_judged_by_the_database_even_with_the_revocation_list_down(
    api_client, db, instant
):
    pair = issue_token_pair(user=UserFactory())
    with override_settings(CACHES=dead_redis_caches()):
        response = api_client.post(REFRESH, {"refresh": str(pair.refresh)})
    assert response.status_code == 200
