"""The API's documentation: a valid OpenAPI 3 schema that describes every answer."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from openapi_spec_validator import validate

from accounts.models import User
from accounts.services import issue_token_pair
from orders.models import Order


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
    assert schemes["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": schemes["bearerAuth"]["description"],
    }
    assert schemes["cookieAuth"]["type"] == "apiKey"
    assert schemes["cookieAuth"]["in"] == "cookie"
    assert "CSRF" in schemes["cookieAuth"]["description"]
    orders = schema["paths"]["/api/orders/"]["post"]["security"]
    assert {"bearerAuth": []} in orders
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
        if {"bearerAuth": []} in operation.get("security", []):
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


def test_every_operation_documents_503_with_each_code_it_may_carry(schema):
    """The database, the attempt counters and the revocation list may each be out
    of reach: a generated client must be able to read any of those answers."""
    paths = schema["paths"]
    for name, operation in operations(schema):
        answer = operation["responses"]["503"]
        assert "content" in answer, name
        for code in ("database_unavailable", "throttle_unavailable"):
            assert code in answer["description"], name
    for path in (
        "/api/auth/token/refresh/",
        "/api/auth/token/verify/",
        "/api/auth/logout/",
        "/api/auth/inspect/",
    ):
        answer = paths[path]["post"]["responses"]["503"]
        assert "revocation_unavailable" in answer["description"], path
        assert "content" in answer, path


# --- the contract as generated clients read it ------------------------------------

ERROR_CODES = ("400", "401", "403", "404", "406", "409", "413", "415", "429", "503")


def served_schema(client) -> dict:
    response = client.get(
        reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_served_schema_passes_openapi_spec_validator(client, db):
    validate(served_schema(client))


def test_request_bodies_are_json_only(schema):
    bodies = {
        name: list(operation["requestBody"]["content"])
        for name, operation in operations(schema)
        if "requestBody" in operation
    }
    assert bodies
    assert all(types == ["application/json"] for types in bodies.values()), bodies


def test_component_names_say_request_once(schema):
    names = schema["components"]["schemas"]
    assert "OrderRequest" in names
    assert [name for name in names if "RequestRequest" in name] == []


def test_every_error_answer_refers_to_the_shared_error_components(schema):
    components = schema["components"]["schemas"]
    assert {"Error", "FieldErrors"} <= set(components)
    for name, operation in operations(schema):
        for code, response in operation["responses"].items():
            if code not in ERROR_CODES:
                continue
            body = response["content"]["application/json"]["schema"]
            refs = [body] if "$ref" in body else body["oneOf"]
            assert all(set(ref) == {"$ref"} for ref in refs), (name, code, body)
    paths = schema["paths"]
    bad_request = paths["/api/orders/"]["post"]["responses"]["400"]
    assert bad_request["content"]["application/json"]["schema"] == {
        "oneOf": [
            {"$ref": "#/components/schemas/FieldErrors"},
            {"$ref": "#/components/schemas/Error"},
        ]
    }


def test_the_vegetarian_filter_is_a_boolean(schema):
    parameters = schema["paths"]["/api/menu-items/"]["get"]["parameters"]
    [vegetarian] = [p for p in parameters if p["name"] == "vegetarian"]
    assert vegetarian["schema"] == {"type": "boolean"}
    assert "enum" not in vegetarian


def schema_operation(schema, name: str) -> dict:
    method, path = name.split()
    return schema["paths"][path][method.lower()]


def response_headers(schema, path, method, code) -> set[str]:
    response = schema["paths"][path][method]["responses"][code]
    return set(response.get("headers", {}))


def test_the_headers_the_api_sends_are_declared(schema):
    for name, operation in operations(schema):
        responses = operation["responses"]
        if "401" in responses:
            assert "WWW-Authenticate" in responses["401"].get("headers", {}), name
        if "429" in responses:
            assert "Retry-After" in responses["429"].get("headers", {}), name
    for code in ("200", "201"):
        assert "Idempotent-Replayed" in response_headers(
            schema, "/api/orders/", "post", code
        )
    for path in (
        "/api/restaurants/",
        "/api/restaurants/{slug}/",
        "/api/menu-items/",
        "/api/menu-items/{id}/",
    ):
        assert {"ETag", "Last-Modified", "Cache-Control"} <= response_headers(
            schema, path, "get", "200"
        ), path
        assert "ETag" in response_headers(schema, path, "get", "304"), path
        parameters = schema["paths"][path]["get"]["parameters"]
        assert {"If-None-Match", "If-Modified-Since"} <= {
            p["name"] for p in parameters if p["in"] == "header"
        }, path


def test_the_bearer_scheme_comes_first_for_swagger_ui(schema):
    schemes = list(schema["components"]["securitySchemes"])
    assert schemes[0] == "bearerAuth"
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for name, operation in operations(schema):
        security = operation.get("security", [])
        if {"cookieAuth": []} in security:
            assert security[0] == {"bearerAuth": []}, name


def test_the_front_desk_operations_are_described_by_their_own_docstrings(schema):
    front_desk = {
        name: operation["description"]
        for name, operation in operations(schema)
        if name.split()[1].startswith("/api/auth/")
    }
    assert len(front_desk) == 13  # with the teaching layer's query count (lesson 9)
    assert len(set(front_desk.values())) == len(front_desk), front_desk
    for name, description in front_desk.items():
        assert "Base of" not in description, name
        assert schema_operation(schema, name).get("summary"), name


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_order_example_places_an_order_in_the_demo_data(api_client, schema):
    """The demo data of a fresh database: its ids start at 1, as after ``make run``."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    body = schema["paths"]["/api/orders/"]["post"]["requestBody"]
    example = body["content"]["application/json"]["examples"]
    [value] = [each["value"] for each in example.values()]
    alice = User.objects.get(username="alice")
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {issue_token_pair(user=alice).access}"
    )
    response = api_client.post("/api/orders/", value, format="json")
    assert response.status_code == 201, response.json()
    assert Order.objects.get().customer == alice


def test_every_operation_is_described_in_words_of_its_own(schema):
    """No operation borrows its view class's docstring: each says what it does."""
    seen: dict[str, str] = {}
    for name, operation in operations(schema):
        assert operation.get("summary"), name
        description = operation.get("description", "")
        assert description, name
        assert description not in seen, (name, seen.get(description))
        seen[description] = name
