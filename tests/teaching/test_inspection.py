"""The token inspector explains any string, never answers 5xx, never leaks a key."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import issue_token_pair
from tests.conftest import dead_redis_caches, log_in
from tests.tokens import b64, resigned, tampered

INSPECT = reverse("teaching:inspect")
LOGOUT = reverse("accounts:logout")
KEY = settings.SIMPLE_JWT["SIGNING_KEY"]
CHECKS = [
    "structure",
    "algorithm",
    "signature",
    "not expired",
    "token type",
    "claims",
    "not blacklisted",
    "verdict",
]
ACCOUNT = "account"


def inspect(client, token):
    response = client.post(INSPECT, {"token": token}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    names = [check["name"] for check in body["checks"]]
    # A refresh token's login is one more check, just before the verdict.
    is_refresh = (body["payload"] or {}).get("token_type") == "refresh"
    assert ("login" in names) is is_refresh
    names = [name for name in names if name != "login"]
    assert names[: len(CHECKS)] == CHECKS
    assert names[len(CHECKS) :] in ([], [ACCOUNT])
    assert KEY not in response.content.decode()
    return body, {check["name"]: check for check in body["checks"]}


def test_a_valid_access_token_passes_every_check(api_client, user):
    pair = issue_token_pair(user=user)
    body, checks = inspect(api_client, str(pair.access))
    assert body["valid"] is True
    assert all(check["ok"] for check in checks.values())
    assert body["header"] == {"alg": "HS256", "typ": "JWT"}
    assert body["payload"]["username"] == user.username
    assert body["signature"] == str(pair.access).split(".")[2]
    assert body["size_bytes"] == len(str(pair.access))
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds()
    assert lifetime - 5 <= body["times"]["exp"]["seconds_from_now"] <= lifetime
    assert body["times"]["exp"]["iso"].endswith("Z")
    assert body["times"]["iat"]["epoch"] == body["payload"]["iat"]


def test_a_tampered_token_fails_the_signature_and_skips_trusting_claims(
    api_client, user
):
    pair = issue_token_pair(user=user)
    forged = tampered(pair.access, role="kitchen")
    body, checks = inspect(api_client, forged)
    assert body["valid"] is False
    assert checks["structure"]["ok"]
    assert checks["algorithm"]["ok"]
    assert not checks["signature"]["ok"]
    assert body["payload"]["role"] == "kitchen"
    assert not checks["claims"]["ok"]
    assert "Not checked" in checks["claims"]["detail"]
    assert ACCOUNT not in checks


@pytest.mark.parametrize("alg", ["none", "NONE", "HS512"])
def test_a_foreign_algorithm_fails_the_algorithm_check(api_client, user, alg):
    pair = issue_token_pair(user=user)
    _, payload, signature = str(pair.access).split(".")
    header = b64({"alg": alg, "typ": "JWT"})
    body, checks = inspect(api_client, f"{header}.{payload}.{signature}")
    assert not checks["algorithm"]["ok"]
    assert not checks["signature"]["ok"]
    assert body["valid"] is False


def test_an_expired_token_says_how_long_ago(api_client, user):
    pair = issue_token_pair(user=user)
    later = timezone.now() + settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    with time_machine.travel(later + timedelta(seconds=30)):
        body, checks = inspect(api_client, str(pair.access))
    assert not checks["not expired"]["ok"]
    assert "ago" in checks["not expired"]["detail"]
    assert body["valid"] is False


def test_a_blacklisted_refresh_token_is_reported(api_client, user):
    pair = issue_token_pair(user=user)
    api_client.post(LOGOUT, {"refresh": str(pair.refresh)})
    body, checks = inspect(api_client, str(pair.refresh))
    assert checks["token type"]["ok"]
    assert not checks["not blacklisted"]["ok"]
    assert body["valid"] is False


def test_a_disabled_user_is_reported_and_the_card_stays_valid_as_the_waiter_says(
    api_client, user
):
    pair = issue_token_pair(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    body, checks = inspect(api_client, str(pair.access))
    assert not checks[ACCOUNT]["ok"]
    assert "disabled" in checks[ACCOUNT]["detail"]
    assert body["valid"] is True
    orders = api_client.get(
        reverse("order-list"), HTTP_AUTHORIZATION=f"Bearer {pair.access}"
    )
    assert orders.status_code == 200


def test_a_token_signed_with_another_key_fails_the_signature(api_client, user):
    pair = issue_token_pair(user=user)
    forged = resigned(pair.access, key="guess" * 10)
    _, checks = inspect(api_client, forged)
    assert not checks["signature"]["ok"]


@pytest.mark.parametrize(
    "garbage",
    [
        "x",
        "a.b",
        "a.b.c.d",
        "..",
        "ÿ.ÿ.ÿ",
        b64(b"[]") + "." + b64(b"{}") + ".c2ln",
        b64(b'{"alg":"HS256"}') + "." + b64(b'{"exp": NaN}') + ".c2ln",
        b64(b'{"alg":"HS256"}') + "." + b64(b'{"exp": 1e999}') + ".c2ln",
        b64(b'{"alg":"HS256"}') + "." + b64(b'{"exp": 99999999999999999999}') + ".",
        b64(b'{"alg":"HS256"}') + "." + b64(b"[" * 3000 + b"]" * 3000) + ".c2ln",
        b64(b'{"alg":"HS256"}') + "." + b64(b"\xff\xfe") + ".c2ln",
        b64(b'{"alg":["HS256"]}') + "." + b64(b'{"exp": "soon"}') + ".c2ln",
    ],
)
def test_garbage_gets_a_200_with_failed_checks(api_client, db, garbage):
    body, _ = inspect(api_client, garbage)
    assert body["valid"] is False


@pytest.mark.parametrize("body", [{}, {"token": ""}, {"token": "x" * 9000}])
def test_missing_empty_or_huge_token_is_a_400(api_client, db, body):
    assert api_client.post(INSPECT, body, format="json").status_code == 400


def test_with_the_revocation_marks_unreadable_the_inspector_says_so(
    client, user, settings
):
    """The card is refused (the waiter answers 503) and the page says why."""
    settings.JWT_INSTANT_REVOCATION = True
    log_in(client, user)
    with override_settings(CACHES=dead_redis_caches()):
        response = client.get(reverse("jwt-mine"))
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    checks = {check["name"]: check for check in body["checks"]}
    assert checks["not blacklisted"]["ok"] is False
    assert "cannot be read right now" in checks["not blacklisted"]["detail"]
    assert "cannot be read right now" in checks["verdict"]["detail"]
