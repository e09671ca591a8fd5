"""The waiter checks the ID card: each way a token is refused, and the one way in."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.request import Request

from accounts.authentication import JWTAuthentication
from accounts.services import issue_token_pair
from tests.tokens import assembled, b64, parts, resigned, tampered

ME = reverse("accounts:me")


def get_me(client, authorization: str | None):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
    return client.get(ME, **headers)


def assert_refused(response, code: str | None = None) -> None:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    body = response.json()
    assert set(body) >= {"detail", "code"}
    if code:
        assert body["code"] == code


@pytest.fixture
def pair(user):
    return issue_token_pair(user=user)


def test_valid_bearer_token_is_accepted(api_client, user, pair):
    response = get_me(api_client, f"Bearer {pair.access}")
    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_missing_header_is_refused(api_client, db):
    assert_refused(get_me(api_client, None), "not_authenticated")


@pytest.mark.parametrize("scheme", ["Token", "Basic", "JWT", "bearer"])
def test_other_schemes_are_refused(api_client, pair, scheme):
    assert_refused(get_me(api_client, f"{scheme} {pair.access}"), "not_authenticated")


@pytest.mark.parametrize("value", ["Bearer", "Bearer ", "Bearer  "])
def test_empty_bearer_is_refused(api_client, db, value):
    assert_refused(get_me(api_client, value), "bad_authorization_header")


def test_three_values_in_header_are_refused(api_client, pair):
    assert_refused(get_me(api_client, f"Bearer {pair.access} extra"))


@pytest.mark.parametrize(
    "garbage",
    [
        "garbage",
        "a.b",
        "a.b.c.d",
        "...",
        "eyJ.eyJ.sig",
        "%%%.%%%.%%%",
        "ÿÿÿ.ÿÿÿ.ÿÿÿ",
        b64(b"[1,2]") + "." + b64(b"[3]") + ".c2ln",
        b64({"alg": "HS256"}) + "." + b64(b"not json") + ".c2ln",
    ],
)
def test_garbage_tokens_are_refused(api_client, db, garbage):
    assert_refused(get_me(api_client, f"Bearer {garbage}"), "token_not_valid")


def test_two_and_four_segments_are_refused(api_client, pair):
    header, payload, signature = str(pair.access).split(".")
    assert_refused(get_me(api_client, f"Bearer {header}.{payload}"), "token_not_valid")
    four = f"{header}.{payload}.{signature}.{signature}"
    assert_refused(get_me(api_client, f"Bearer {four}"), "token_not_valid")


def test_tampered_payload_with_old_signature_is_refused(api_client, pair):
    forged = tampered(pair.access, role="kitchen")
    assert_refused(get_me(api_client, f"Bearer {forged}"), "token_not_valid")


def test_token_signed_with_another_key_is_refused(api_client, pair):
    forged = resigned(pair.access, key="a-guessed-key-" * 4)
    assert_refused(get_me(api_client, f"Bearer {forged}"), "token_not_valid")


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE"])
def test_alg_none_in_any_casing_is_refused(api_client, pair, alg):
    _, payload, genuine = parts(pair.access)
    for signature in ("", genuine):
        unsigned = assembled({"alg": alg, "typ": "JWT"}, payload, signature)
        assert_refused(get_me(api_client, f"Bearer {unsigned}"), "token_not_valid")


@pytest.mark.parametrize("alg", ["HS384", "HS512"])
def test_another_algorithm_in_the_header_is_refused(api_client, pair, alg):
    forged = resigned(pair.access, algorithm=alg)
    assert_refused(get_me(api_client, f"Bearer {forged}"), "token_not_valid")


def test_expired_access_token_is_refused(api_client, pair):
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    with time_machine.travel(timezone.now() + lifetime + timedelta(seconds=1)):
        assert_refused(get_me(api_client, f"Bearer {pair.access}"), "token_not_valid")


def test_access_token_just_before_expiry_is_accepted(api_client, pair):
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    with time_machine.travel(timezone.now() + lifetime - timedelta(seconds=5)):
        assert get_me(api_client, f"Bearer {pair.access}").status_code == 200


def test_refresh_token_is_refused_as_access_token(api_client, pair):
    assert_refused(get_me(api_client, f"Bearer {pair.refresh}"), "token_not_valid")


@pytest.mark.parametrize(
    "change",
    [
        {"user_id": "abc"},
        {"user_id": None},
        {"user_id": "-1"},
        {"role": "admin"},
        {"username": None},
        {"iat": None},
        {"jti": None},
        {"exp": None},
        {"exp": 10**20},
        {"exp": "tomorrow"},
        {"iat": 10**20},
        {"nbf": 10**20},
        {"token_type": None},
        {"token_type": "refresh"},
    ],
)
def test_correctly_signed_token_with_bad_claims_is_refused(api_client, pair, change):
    token = resigned(pair.access, **change)
    assert_refused(get_me(api_client, f"Bearer {token}"), "token_not_valid")


def test_access_token_carries_the_documented_claims_only(user, pair):
    header, payload, _ = parts(pair.access)
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert set(payload) == {
        "token_type",
        "exp",
        "iat",
        "jti",
        "user_id",
        "username",
        "role",
        "fam",
    }
    assert payload["username"] == user.username
    assert payload["role"] == "customer"
    assert payload["token_type"] == "access"
    assert payload["user_id"] == str(user.pk)


def test_signing_key_is_not_the_django_secret_key():
    assert settings.SIMPLE_JWT["SIGNING_KEY"] != settings.SECRET_KEY


def test_authenticating_an_access_token_runs_no_query(pair, django_assert_num_queries):
    request = Request(
        RequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    )
    with django_assert_num_queries(0):
        token_user, _ = JWTAuthentication().authenticate(request)
    assert token_user.id == int(pair.access["user_id"])
    assert token_user.role == "customer"
    assert token_user.is_authenticated


def test_me_costs_one_query_for_the_profile_and_none_for_the_card(
    api_client, pair, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert get_me(api_client, f"Bearer {pair.access}").status_code == 200


def test_typical_access_token_is_small(pair):
    assert len(str(pair.access).encode()) < 400
