"""Response headers a reviewer checks: CSP, nosniff, referrer, framing, no-store."""

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

SITE_PAGES = ["/", "/restaurants/", "/cart/", "/jwt/", "/workshop/", "/login/"]
INLINE_SCRIPT = re.compile(r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>')


@pytest.mark.parametrize("path", SITE_PAGES)
def test_site_pages_carry_a_strict_policy_and_keep_to_it(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    content = response.content.decode()
    assert not INLINE_SCRIPT.search(content), "inline script"
    assert " style=" not in content
    assert " onclick=" not in content


@pytest.mark.parametrize("path", ["/api/docs/", "/api/restaurants/", "/admin/login/"])
def test_api_and_admin_pages_allow_inline_styles_but_not_scripts(client, db, path):
    response = client.get(path, HTTP_ACCEPT="text/html")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert not INLINE_SCRIPT.search(response.content.decode())


@pytest.mark.parametrize(
    "path", ["/", "/api/restaurants/", "/api/auth/me/", "/healthz"]
)
def test_every_answer_has_the_basic_headers(client, db, path):
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_token_answers_are_never_stored(api_client, user):
    body = {"username": user.username, "password": PASSWORD}
    pair = api_client.post(reverse("accounts:token"), body).json()
    for response in (
        api_client.post(reverse("accounts:token"), body),
        api_client.post(
            reverse("accounts:token-refresh"), {"refresh": pair["refresh"]}
        ),
        api_client.post(reverse("teaching:inspect"), {"token": pair["access"]}),
    ):
        assert "no-store" in response["Cache-Control"]
