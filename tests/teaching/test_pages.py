"""The token inspector page, and what it says of the token in the browser's cookie."""

from django.conf import settings
from django.urls import reverse

JWT_PAGE = reverse("jwt-page")
MINE = reverse("jwt-mine")


def test_the_inspector_page_is_open_to_anyone(client, db):
    response = client.get(JWT_PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tamper lab" in content
    assert "data-inspect-mine" not in content


def test_the_inspector_offers_a_card_holder_their_own_token(browser):
    content = browser.get(JWT_PAGE).content.decode()
    assert "data-inspect-mine" in content


def test_my_token_explains_the_cookie_but_withholds_the_signature(browser, user):
    raw = browser.cookies[settings.JWT_ACCESS_COOKIE_NAME].value
    signature = raw.rsplit(".", 1)[1]
    response = browser.get(MINE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["source"] == "cookie"
    assert body["valid"] is True
    assert body["payload"]["username"] == user.username
    assert body["payload"]["role"] == "customer"
    assert body["signature"] is None
    assert body["signature_length"] == len(signature)
    assert signature not in response.content.decode()
    assert raw not in response.content.decode()
    assert {check["name"] for check in body["checks"]} >= {"signature", "not expired"}


def test_my_token_without_a_cookie_is_a_404(client, db):
    response = client.get(MINE)
    assert response.status_code == 404
    assert response.json()["code"] == "no_token"


def test_my_token_of_a_forged_cookie_says_it_is_not_valid(client, db):
    """Sent from another site's page, the forged card is not taken to be renewed
    (and dropped), so it is explained."""
    client.cookies[settings.JWT_ACCESS_COOKIE_NAME] = "a.b.c"
    response = client.get(MINE, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 200
    assert response.json()["valid"] is False


def test_my_token_is_read_only(browser):
    assert browser.post(MINE).status_code == 405
