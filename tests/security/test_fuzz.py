"""The API fuzzed against its own OpenAPI schema with schemathesis.

Every operation of the schema the project serves is sent generated requests, the
schema's examples, its boundary values and random ones, both valid and invalid, as
an anonymous caller, a customer and a cook, each with a real ``Authorization:
Bearer`` header. Every answer must:

- not be a server error (``not_a_server_error``);
- have a status code the schema documents for the operation
  (``status_code_conformance``), with the content type it documents
  (``content_type_conformance``) and a body that matches its schema
  (``response_schema_conformance``);
- refuse a request that breaks the schema with a 4xx (``negative_data_rejection``).

The run is bounded: ``FUZZ_EXAMPLES`` examples per operation and caller (default
30), no deadline. It runs twice, once with a fixed seed, so that every run sends
the same requests, and once with a random seed, which a failure and the test
report print; ``FUZZ_SEED=<seed>`` replays that run.
"""

import copy
import re
from functools import cache

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.services import issue_token_pair
from delivery.wsgi import application
from tests.security.conftest import FIXED_FUZZ_SEED, fuzz_examples, random_fuzz_seed

# What a fuzzing test needs besides its caller.
fuzzing = pytest.mark.usefixtures("relaxed_throttles", "production", "wsgi_requests")

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# What a request that breaks the schema may be answered with.
REFUSALS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "429"]


@cache
def generated_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def served_schema() -> dict:
    """The schema /api/schema/ serves, a fresh copy for each reader."""
    return copy.deepcopy(generated_schema())


def api_schema(seed: int) -> schemathesis.BaseSchema:
    """The project's own schema, called in-process through the WSGI application."""
    config = schemathesis.Config.from_dict(
        {
            "seed": seed,
            "generation": {"max-examples": fuzz_examples(), "database": "none"},
            "checks": {"negative_data_rejection": {"expected-statuses": REFUSALS}},
            # The tokens in a failure's curl command are throwaway test tokens.
            "output": {"sanitization": {"enabled": False}},
        }
    )
    schema = schemathesis.openapi.from_dict(served_schema(), config=config)
    schema.app = application
    return schema


fixed = api_schema(FIXED_FUZZ_SEED)
randomised = api_schema(random_fuzz_seed())


@pytest.fixture
def wsgi_requests():
    """Let requests through the WSGI handler share the test's transaction.

    Django closes the connection at the start and end of each request; the test
    client stops that for its requests, and so does this for schemathesis's.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "customer", "cook"])
def caller(request, scene) -> dict[str, str]:
    """The headers of one caller: none, or a real Bearer token of a scene user."""
    if request.param == "anonymous":
        return {}
    user = scene.customer if request.param == "customer" else scene.cook
    return {"Authorization": f"Bearer {issue_token_pair(user=user).access}"}


@pytest.fixture(autouse=True)
def seed_in_report(request) -> None:
    """Name the seed in a failing test's report, so that its run can be replayed."""
    if request.node.originalname.endswith("fixed_seed"):
        text = f"{FIXED_FUZZ_SEED}, the fixed seed: every run sends these requests"
    else:
        seed = random_fuzz_seed()
        text = f"{seed}, drawn for this run: FUZZ_SEED={seed} replays it"
    request.node.add_report_section("setup", "fuzz seed", text)


@fixed.parametrize()
@pytest.mark.slow
@fuzzing
@settings(
    deadline=None,
    derandomize=True,
    max_examples=fuzz_examples(),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema_with_a_fixed_seed(case, caller):
    case.call_and_validate(headers=caller, checks=CHECKS)


@randomised.parametrize()
@pytest.mark.slow
@fuzzing
@settings(
    deadline=None,
    max_examples=fuzz_examples(),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema_with_a_random_seed(case, caller):
    case.call_and_validate(headers=caller, checks=CHECKS)


# --- What the fuzzer found the schema missing, pinned ------------------------------


@pytest.fixture(scope="module")
def schema() -> dict:
    return served_schema()


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_documents_406_and_a_body_413_and_415(schema):
    for name, operation in operations(schema):
        codes = set(operation["responses"])
        assert "406" in codes, name
        if "requestBody" in operation:
            assert {"413", "415"} <= codes, name


def test_a_400_is_field_errors_or_an_unreadable_bodys_detail(schema):
    answer = schema["paths"]["/api/auth/token/"]["post"]["responses"]["400"]
    refs = answer["content"]["application/json"]["schema"]["oneOf"]
    components = schema["components"]["schemas"]
    shapes = [components[ref["$ref"].rsplit("/", 1)[1]] for ref in refs]
    assert [sorted(shape.get("required", [])) for shape in shapes] == [
        [],
        ["code", "detail"],
    ]


def test_a_customers_restaurant_is_null_and_an_email_may_be_empty(schema):
    components = schema["components"]["schemas"]
    assert components["Profile"]["properties"]["restaurant"]["nullable"] is True
    for name in ("Profile", "User"):
        assert "format" not in components[name]["properties"]["email"], name


def test_query_parameters_are_documented_as_the_api_reads_them(schema):
    declared = schema["paths"]["/api/menu-items/"]["get"]["parameters"]
    parameters = {parameter["name"]: parameter["schema"] for parameter in declared}
    assert parameters["vegetarian"] == {"type": "boolean"}
    # An empty filter or search is no filter (the browsable API's form sends them).
    empty_allowed = {p["name"] for p in declared if p.get("allowEmptyValue")}
    assert empty_allowed == {"restaurant", "category", "vegetarian", "search"}
    assert parameters["page"] == {"type": "integer", "minimum": 1}


def test_the_idempotency_key_is_documented_as_the_waiter_checks_it(schema):
    (header,) = schema["paths"]["/api/orders/"]["post"]["parameters"]
    assert header["name"] == "Idempotency-Key"
    pattern = re.compile(header["schema"]["pattern"])
    assert pattern.match("order-2024-06-01")
    assert not pattern.match("k" * 65)
    assert not pattern.match("with space")
