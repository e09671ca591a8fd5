"""The forging helpers have controls of their own: left unchanged, a card is let in."""

import jwt
from django.urls import reverse

from accounts.services import issue_token_pair
from tests.tokens import HS256_HEADER, assembled, hs256, parts, resigned, tampered

ME = reverse("accounts:me")


def me(client, token: str):
    return client.get(ME, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_card_taken_apart_and_put_together_is_the_same_card(user):
    access = str(issue_token_pair(user=user).access)
    header, payload, signature = parts(access)
    assert header == HS256_HEADER
    assert payload["user_id"] == str(user.pk)
    assert parts(assembled(header, payload, signature)) == (header, payload, signature)


def test_a_card_tampered_with_nothing_is_the_card_itself(api_client, user):
    access = str(issue_token_pair(user=user).access)
    assert tampered(access) == access
    forged = tampered(access, role="kitchen", username=None)
    _, claims, _ = parts(forged)
    assert claims["role"] == "kitchen"
    assert "username" not in claims
    assert me(api_client, tampered(access)).status_code == 200
    assert me(api_client, forged).status_code == 401


def test_a_card_signed_again_with_the_servers_key_is_let_in(api_client, user):
    access = issue_token_pair(user=user).access
    assert me(api_client, resigned(access)).status_code == 200
    assert me(api_client, hs256(parts(access)[1])).status_code == 200
    assert me(api_client, resigned(access, key="another-key-" * 3)).status_code == 401


def test_a_card_signed_by_hand_is_one_pyjwt_verifies(user):
    _, payload, _ = parts(issue_token_pair(user=user).access)
    key = "a-key-of-thirty-two-characters!!"
    token = hs256(payload, key=key)
    assert jwt.get_unverified_header(token) == HS256_HEADER
    assert jwt.decode(token, key, algorithms=["HS256"]) == payload
    assert parts(resigned(token, key=key, role=None))[1] == {
        name: value for name, value in payload.items() if name != "role"
    }
