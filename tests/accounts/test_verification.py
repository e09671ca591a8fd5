"""One verdict per card: the waiter, the cookie renewal, the inspector and the
front desk all judge a card by ``accounts.verification``, so they never disagree.

Every card below is signed with the server's own key unless it says otherwise: a
card with a good signature and a bad claim must still be refused, everywhere, with
a 401 and never a server error.
"""

import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Login, User
from accounts.services import issue_token_pair
from tests.factories import UserFactory
from tests.tokens import signed, tampered, unsigned, with_changes

ORDERS = reverse("order-list")
INSPECT = reverse("teaching:inspect")
VERIFY = reverse("accounts:token-verify")
REFRESH = reverse("accounts:token-refresh")
MINE = reverse("jwt-mine")


def changed(**changes) -> Callable[[dict], str]:
    """A card signed by the server whose claims differ from a real one's
    (a change to ``None`` removes the claim)."""
    return lambda claims: signed(with_changes(claims, changes))


NOW = int(time.time())
VALID = "valid"
REFUSED = "refused"
# name -> (how the card is made from a real access token's claims, the verdict)
CARDS = {
    "valid": (changed(), VALID),
    "tampered": (lambda claims: tampered(signed(claims), role="kitchen"), REFUSED),
    "another key": (lambda claims: signed(claims, key="guess" * 10), REFUSED),
    "alg none": (unsigned, REFUSED),
    "HS512": (lambda claims: signed(claims, algorithm="HS512"), REFUSED),
    "expired": (changed(exp=NOW - 10), REFUSED),
    "not yet valid": (changed(nbf=NOW + 3600), REFUSED),
    "issued in the future": (changed(iat=NOW + 3600), REFUSED),
    "unknown role": (changed(role="chef"), REFUSED),
    "no type": (changed(token_type=None), REFUSED),
    "type not text": (changed(token_type=5), REFUSED),
    "audience of another service": (changed(aud="billing"), REFUSED),
    "foreign key headers": (
        lambda claims: signed(claims, headers={"jku": "https://evil.example/k"}),
        VALID,
    ),
    "no exp": (changed(exp=None), REFUSED),
    "exp as text": (changed(exp="soon"), REFUSED),
    "exp a boolean": (changed(exp=True), REFUSED),
    "exp a fraction": (changed(exp=NOW + 600.5), REFUSED),
    "exp past year 9999": (changed(exp=10**12), REFUSED),
    "exp huge": (changed(exp=10**40), REFUSED),
    "no iat": (changed(iat=None), REFUSED),
    "iat as text": (changed(iat="now"), REFUSED),
    "iat a boolean": (changed(iat=True), REFUSED),
    "iat after exp": (changed(iat=NOW + 5, exp=NOW + 2), REFUSED),
    "no jti": (changed(jti=None), REFUSED),
    "jti a number": (changed(jti=123), REFUSED),
    "jti empty": (changed(jti=""), REFUSED),
    "jti long": (changed(jti="a" * 5000), REFUSED),
    "jti not hex": (changed(jti="z" * 32), REFUSED),
    "no user_id": (changed(user_id=None), REFUSED),
    "user_id words": (changed(user_id="abc"), REFUSED),
    "user_id zero": (changed(user_id="0"), REFUSED),
    "user_id negative": (changed(user_id=-1), REFUSED),
    "user_id a boolean": (changed(user_id=True), REFUSED),
    "user_id a fraction": (changed(user_id=1.5), REFUSED),
    "user_id a list": (changed(user_id=[1]), REFUSED),
    "user_id past 64 bits": (changed(user_id="9" * 30), REFUSED),
    "user_id in unicode digits": (changed(user_id="١٢"), REFUSED),
    "no username": (changed(username=None), REFUSED),
    "username a number": (changed(username=5), REFUSED),
    "username empty": (changed(username=""), REFUSED),
    "username long": (changed(username="x" * 151), REFUSED),
    "no fam": (changed(fam=None), REFUSED),
    "fam a number": (changed(fam=12), REFUSED),
    "fam short": (changed(fam="abc"), REFUSED),
}


@pytest.fixture
def claims(db) -> dict:
    user = UserFactory()
    return dict(issue_token_pair(user=user).access.payload)


def waiter_verdict(client, card: str) -> str:
    response = client.get(ORDERS, HTTP_AUTHORIZATION=f"Bearer {card}")
    assert response.status_code in (200, 401), response.content
    if response.status_code == 401:
        assert response.json().keys() == {"detail", "code"}
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    return VALID if response.status_code == 200 else REFUSED


def cookie_verdict(client, card: str) -> str:
    """The waiter's, for a card in the cookie: a request of another site's page,
    which is never sent to be renewed."""
    client.cookies[settings.JWT_ACCESS_COOKIE_NAME] = card
    response = client.get(ORDERS, HTTP_SEC_FETCH_SITE="cross-site")
    del client.cookies[settings.JWT_ACCESS_COOKIE_NAME]
    assert response.status_code in (200, 401), response.content
    return VALID if response.status_code == 200 else REFUSED


def renewal_verdict(client, card: str) -> str:
    """The cookie renewal's: a refused card in the cookie of this site's request is
    sent to be renewed (a redirect) before the view runs."""
    client.cookies[settings.JWT_ACCESS_COOKIE_NAME] = card
    response = client.get(ORDERS, HTTP_SEC_FETCH_SITE="same-origin")
    del client.cookies[settings.JWT_ACCESS_COOKIE_NAME]
    assert response.status_code in (200, 302), response.content
    return VALID if response.status_code == 200 else REFUSED


def inspector_verdict(client, card: str) -> str:
    response = client.post(INSPECT, {"token": card}, format="json")
    assert response.status_code == 200, response.content
    return VALID if response.json()["valid"] else REFUSED


def front_desk_verdict(client, card: str) -> str:
    response = client.post(VERIFY, {"token": card}, format="json")
    assert response.status_code in (200, 401), response.content
    return VALID if response.status_code == 200 else REFUSED


@pytest.mark.parametrize("name", CARDS)
def test_every_judge_of_a_card_gives_the_same_verdict(api_client, claims, name):
    make, expected = CARDS[name]
    card = make(claims)
    verdicts = {
        "waiter": waiter_verdict(api_client, card),
        "cookie": cookie_verdict(api_client, card),
        "renewal": renewal_verdict(api_client, card),
        "inspector": inspector_verdict(api_client, card),
        "front desk": front_desk_verdict(api_client, card),
    }
    assert set(verdicts.values()) == {expected}, verdicts


def test_a_refresh_token_is_no_card_for_the_waiter_yet_a_valid_refresh_token(
    api_client, claims
):
    """The inspector and the front desk's verify judge a token as what it is."""
    current = Login.objects.get(family=claims["fam"]).refresh_jti
    card = changed(token_type="refresh", jti=current)(claims)
    assert waiter_verdict(api_client, card) == REFUSED
    assert cookie_verdict(api_client, card) == REFUSED
    assert renewal_verdict(api_client, card) == REFUSED
    assert inspector_verdict(api_client, card) == VALID
    assert front_desk_verdict(api_client, card) == VALID


ODD = [name for name in CARDS if CARDS[name][1] == REFUSED]


@pytest.mark.parametrize("name", ODD)
def test_a_refused_card_in_the_cookie_is_renewed_or_dropped_never_a_500(
    client, claims, name
):
    """A refused access cookie is renewed with the refresh cookie; an odd card
    offered as the refresh cookie is refused there too, and forgotten."""
    card = CARDS[name][0](claims)
    user_id = int(claims["user_id"])
    pair = issue_token_pair(user=User.objects.get(pk=user_id))
    client.cookies[settings.JWT_ACCESS_COOKIE_NAME] = card
    client.cookies[settings.JWT_REFRESH_COOKIE_NAME] = str(pair.refresh)
    renewed = client.get(MINE, follow=True, HTTP_SEC_FETCH_SITE="same-origin")
    assert renewed.status_code == 200
    assert renewed.json()["valid"] is True

    client.cookies[settings.JWT_ACCESS_COOKIE_NAME] = card
    client.cookies[settings.JWT_REFRESH_COOKIE_NAME] = card
    dropped = client.get("/", follow=True, HTTP_SEC_FETCH_SITE="same-origin")
    assert dropped.status_code == 200
    assert client.cookies[settings.JWT_ACCESS_COOKIE_NAME].value == ""
    assert client.cookies[settings.JWT_REFRESH_COOKIE_NAME].value == ""


@pytest.mark.parametrize("name", ODD)
def test_an_odd_card_offered_as_a_refresh_token_is_a_401(api_client, claims, name):
    card = CARDS[name][0]({**claims, "token_type": "refresh"})
    response = api_client.post(REFRESH, {"refresh": card}, format="json")
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "token_not_valid"
