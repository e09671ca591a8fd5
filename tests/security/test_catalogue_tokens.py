"""Attack catalogue, part 1: the card itself (RFC 8725, the OWASP JWT cheat sheet).

Every forged, malformed, expired or misused token is tried against every endpoint
that needs a card, and each must get a 401 in the documented shape with nothing
written. The header, the structure, the signature and algorithm, the time claims
and the token type are each a group, as a reviewer would list them.
"""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.services import issue_token_pair
from orders.models import Order
from tests.factories import CategoryFactory, KitchenUserFactory, MenuItemFactory
from tests.tokens import assembled, b64, hs256, parts, resigned, tampered


@pytest.fixture
def kitchen(db):
    cook = KitchenUserFactory()
    dish = MenuItemFactory(category=CategoryFactory(restaurant=cook.restaurant))
    return cook, dish


@pytest.fixture
def card(kitchen):
    """A genuine access token of a kitchen user: the raw material of forgeries."""
    cook, _ = kitchen
    return issue_token_pair(user=cook)


def protected_requests(kitchen):
    """Every endpoint that needs a card, with a body that would succeed."""
    _, dish = kitchen
    order = {"items": [{"menu_item": dish.pk, "quantity": 1}], "delivery_address": "x"}
    return [
        ("get", reverse("accounts:me"), None),
        ("post", reverse("accounts:logout-all"), None),
        ("get", reverse("accounts:login-list"), None),
        ("post", reverse("accounts:login-end", args=[1]), None),
        (
            "post",
            reverse("accounts:password"),
            {"old_password": "x", "new_password": "a-long-new-password"},
        ),
        ("get", reverse("order-list"), None),
        ("post", reverse("order-list"), order),
        ("get", reverse("order-detail", args=[1]), None),
        ("post", reverse("order-cancel", args=[1]), None),
        ("get", reverse("kitchen-order-list"), None),
        ("post", reverse("kitchen-order-advance", args=[1]), None),
    ]


def assert_refused_everywhere(api_client, kitchen, authorization: str | None) -> None:
    for method, url, body in protected_requests(kitchen):
        headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
        response = getattr(api_client, method)(url, body, format="json", **headers)
        assert response.status_code == 401, (method, url, response.content)
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert {"detail", "code"} <= set(response.json())
    assert Order.objects.count() == 0


# --- the Authorization header and its scheme ---------------------------------------


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "bearer {token}",
        "BEARER {token}",
        "Token {token}",
        "JWT {token}",
        "Basic {token}",
        "Bearer {token} {token}",
        "Bearer {token},Bearer {token}",
        "{token}",
    ],
)
def test_header_and_scheme(api_client, kitchen, card, authorization):
    value = None if authorization is None else authorization.format(token=card.access)
    assert_refused_everywhere(api_client, kitchen, value)


def test_a_token_in_the_query_string_is_ignored(api_client, kitchen, card):
    response = api_client.get(f"{reverse('order-list')}?access_token={card.access}")
    assert response.status_code == 401


# --- structure and parsing ----------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "a.b",
        "a.b.c.d",
        "..",
        "....",
        "=.=.=",
        "eyJ.eyJ.",
        "€.€.€",
        "a" * 9000,
        b64(b"[]") + "." + b64(b"{}") + ".c2ln",
        b64(b"null") + "." + b64(b"null") + ".c2ln",
        b64(b'{"alg":"HS256"}') + "." + b64(b"not json") + ".c2ln",
        b64(b'{"alg":"HS256"}') + "." + b64(b'{"exp": NaN}') + ".c2ln",
        b64(b'{"alg":"HS256"}') + "." + b64(b"[" * 5000) + ".c2ln",
        b64(b'{"alg":"HS256"}') + "." + b64(b"\xff\xfe\x00") + ".c2ln",
    ],
)
def test_malformed_tokens(api_client, kitchen, token):
    assert_refused_everywhere(api_client, kitchen, f"Bearer {token}")


# --- signature and algorithm ---------------------------------------------------------


def test_changed_payload_with_the_old_signature(api_client, kitchen, card, user):
    """The cook's card, rewritten to name another user who exists."""
    forged = tampered(card.access, user_id=str(user.pk))
    assert_refused_everywhere(api_client, kitchen, f"Bearer {forged}")


def test_changed_header_with_the_old_signature(api_client, kitchen, card):
    header, payload, signature = parts(card.access)
    forged = assembled({**header, "typ": "at+jwt"}, payload, signature)
    assert_refused_everywhere(api_client, kitchen, f"Bearer {forged}")


@pytest.mark.parametrize("key", [b"", b"secret", b"delivery", b"0" * 64])
def test_signed_with_a_guessed_key(api_client, kitchen, card, key):
    header, payload, _ = parts(card.access)
    forged = hs256(payload, header=header, key=key)
    assert_refused_everywhere(api_client, kitchen, f"Bearer {forged}")


@pytest.mark.parametrize("alg", ["none", "None", "NONE", "nOnE", ""])
def test_unsigned_tokens(api_client, kitchen, card, alg):
    _, payload, signature = parts(card.access)
    for tail in ("", signature, "c2ln"):
        forged = assembled({"alg": alg, "typ": "JWT"}, payload, tail)
        assert_refused_everywhere(api_client, kitchen, f"Bearer {forged}")


@pytest.mark.parametrize("alg", ["HS384", "HS512"])
def test_another_hmac_algorithm_with_the_real_key(api_client, kitchen, card, alg):
    forged = resigned(card.access, algorithm=alg)
    assert_refused_everywhere(api_client, kitchen, f"Bearer {forged}")


def test_rs256_header_on_an_hmac_signature(api_client, kitchen, card):
    """Algorithm confusion: the header asks for RS256, the bytes are an HMAC."""
    header, payload, _ = parts(card.access)
    forged = hs256(payload, header={**header, "alg": "RS256"})
    assert_refused_everywhere(api_client, kitchen, f"Bearer {forged}")


@pytest.mark.parametrize(
    "extra",
    [
        {"jwk": {"kty": "oct", "k": b64(b"attacker-key")}},
        {"jku": "https://attacker.example/jwks.json"},
        {"x5u": "https://attacker.example/cert.pem"},
        {"kid": "../../../../dev/null"},
        {"kid": "' OR '1'='1"},
    ],
)
def test_keys_named_by_the_token_are_never_trusted(api_client, kitchen, card, extra):
    """The attacker signs with their own key and names it in the header."""
    header, payload, _ = parts(card.access)
    forged = hs256(payload, header={**header, **extra}, key=b"attacker-key")
    assert_refused_everywhere(api_client, kitchen, f"Bearer {forged}")


def test_an_unknown_critical_header_is_refused_even_when_signed(
    api_client, kitchen, card
):
    forged = resigned(card.access, headers={"crit": ["exp"], "b64": False})
    assert_refused_everywhere(api_client, kitchen, f"Bearer {forged}")


# --- time claims ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": None},
        {"exp": "2100-01-01"},
        {"exp": 10**20},
        {"exp": -1},
        {"nbf": 4_102_444_800},
        {"iat": 4_102_444_800},
        {"iat": None},
    ],
    ids=[
        "no exp",
        "exp text",
        "exp year 3e12",
        "exp 1969",
        "nbf 2100",
        "iat 2100",
        "no iat",
    ],
)
def test_time_claims_signed_with_the_real_key(api_client, kitchen, card, changes):
    assert_refused_everywhere(
        api_client, kitchen, f"Bearer {resigned(card.access, **changes)}"
    )


def test_no_leeway_after_expiry(api_client, kitchen, card):
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    with time_machine.travel(timezone.now() + lifetime + timedelta(seconds=1)):
        assert_refused_everywhere(api_client, kitchen, f"Bearer {card.access}")


# --- token type and claims -----------------------------------------------------------


def test_a_refresh_token_is_not_an_access_token(api_client, kitchen, card):
    assert_refused_everywhere(api_client, kitchen, f"Bearer {card.refresh}")


@pytest.mark.parametrize(
    "changes",
    [
        {"token_type": "refresh"},
        {"token_type": "sliding"},
        {"token_type": None},
        {"jti": None},
        {"user_id": None},
        {"user_id": "0"},
        {"user_id": "1 OR 1=1"},
        {"user_id": "9" * 40},
        {"role": "admin"},
        {"role": None},
    ],
)
def test_claims_the_waiter_relies_on(api_client, kitchen, card, changes):
    assert_refused_everywhere(
        api_client, kitchen, f"Bearer {resigned(card.access, **changes)}"
    )


def test_an_access_token_is_not_a_refresh_token(api_client, card):
    response = api_client.post(
        reverse("accounts:token-refresh"), {"refresh": str(card.access)}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_the_genuine_card_still_works(api_client, kitchen, card):
    """The control: the same requests with the untouched card are not refused."""
    for method, url, body in protected_requests(kitchen):
        response = getattr(api_client, method)(
            url, body, format="json", HTTP_AUTHORIZATION=f"Bearer {card.access}"
        )
        assert response.status_code != 401, (method, url, response.content)
