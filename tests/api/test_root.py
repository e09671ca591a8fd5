"""``GET /api/``: the API root, where a client (or a person) starts."""

import pytest

ROOT = "/api/"

pytestmark = pytest.mark.django_db

ENTRY_POINTS = {
    "register": "/api/auth/register/",
    "token": "/api/auth/token/",
    "token-refresh": "/api/auth/token/refresh/",
    "token-verify": "/api/auth/token/verify/",
    "logout": "/api/auth/logout/",
    "logout-all": "/api/auth/logout-all/",
    "me": "/api/auth/me/",
    "logins": "/api/auth/logins/",
    "password": "/api/auth/password/",
    "jwks": "/api/auth/jwks.json",
    "inspect": "/api/auth/inspect/",
    "restaurants": "/api/restaurants/",
    "menu-items": "/api/menu-items/",
    "orders": "/api/orders/",
    "kitchen-orders": "/api/kitchen/orders/",
    "schema": "/api/schema/",
    "docs": "/api/docs/",
}


def test_the_root_lists_every_entry_point_as_a_link(api_client):
    response = api_client.get(ROOT)
    assert response.status_code == 200
    assert response.json() == {
        name: f"http://testserver{path}" for name, path in ENTRY_POINTS.items()
    }


def test_every_listed_entry_point_exists(api_client):
    for name, url in api_client.get(ROOT).json().items():
        status = api_client.get(url, HTTP_ACCEPT="application/json").status_code
        assert status != 404, name


def test_the_root_is_public_and_reads_no_card(api_client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = api_client.get(ROOT, HTTP_AUTHORIZATION="Bearer not.a.token")
    assert response.status_code == 200


def test_the_root_is_browsable(client):
    response = client.get(ROOT, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "/api/orders/" in response.content.decode()


def test_the_root_takes_no_body(api_client):
    response = api_client.post(ROOT, {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_the_root_is_not_an_operation_of_the_schema(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/" not in schema["paths"]
