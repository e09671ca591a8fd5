"""The API's documentation: a valid OpenAPI 3 schema that describes every answer."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_the_schema_validates_as_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_the_schema_is_served_and_the_docs_load_it_from_this_server(client, db):
    response = client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    docs = client.get(reverse("docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn." not in docs
    assert "unpkg" not in docs


def test_both_ways_to_show_the_card_are_described(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["jwtAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": schemes["jwtAuth"]["description"],
    }
    assert schemes["cookieAuth"]["type"] == "apiKey"
    assert schemes["cookieAuth"]["in"] == "cookie"
    assert "CSRF" in schemes["cookieAuth"]["description"]
    orders = schema["paths"]["/api/orders/"]["post"]["security"]
    assert {"jwtAuth": []} in orders
    assert {"cookieAuth": []} in orders


def test_every_operation_has_a_success_answer_with_a_body_or_a_reason(schema):
    for name, operation in operations(schema):
        successes = [code for code in operation["responses"] if code.startswith("2")]
        assert successes, name
        for code in successes:
            response = operation["responses"][code]
            assert "content" in response or code in {"204", "205"}, (name, code)


def test_every_error_answer_has_a_schema_and_a_description(schema):
    for name, operation in operations(schema):
        for code, response in operation["responses"].items():
            if code.startswith("4"):
                assert response.get("description"), (name, code)
                assert "content" in response, (name, code)


def test_operations_that_need_a_token_document_401(schema):
    for name, operation in operations(schema):
        if {"jwtAuth": []} in operation.get("security", []):
            assert "401" in operation["responses"], name


def test_operations_that_take_a_body_document_400(schema):
    for name, operation in operations(schema):
        if "requestBody" in operation:
            assert "400" in operation["responses"], name


def test_the_kitchen_and_throttled_endpoints_document_403_and_429(schema):
    paths = schema["paths"]
    assert "403" in paths["/api/kitchen/orders/"]["get"]["responses"]
    assert "429" in paths["/api/auth/token/"]["post"]["responses"]
    assert "429" in paths["/api/auth/register/"]["post"]["responses"]
    assert "404" in paths["/api/orders/{id}/"]["get"]["responses"]


def test_operations_that_consult_the_revocation_list_document_503(schema):
    paths = schema["paths"]
    for name, operation in operations(schema):
        if {"jwtAuth": []} in operation.get("security", []):
            assert "503" in operation["responses"], name
    for path in (
        "/api/auth/token/refresh/",
        "/api/auth/token/verify/",
        "/api/auth/logout/",
        "/api/auth/inspect/",
    ):
        answer = paths[path]["post"]["responses"]["503"]
        assert "revocation_unavailable" in answer["description"], path
        assert "content" in answer, path
    assert "503" not in paths["/api/auth/token/"]["post"]["responses"]
    assert "503" not in paths["/api/restaurants/"]["get"]["responses"]
