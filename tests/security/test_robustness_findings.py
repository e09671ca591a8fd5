"""The defects the robustness table and the fuzzer found, one test each.

Each was a 5xx, an answer out of the documented shape, or a write that a refusal
left behind (``tests/security/test_robustness.py``, ``tests/security/test_fuzz.py``);
each test sends the request that found it. The server answers as in production.
"""

import json

import pytest

from tests.factories import PASSWORD
from tests.security.robustness import (
    Call,
    database_state,
    form_body,
    multipart,
    post_json,
    send,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("relaxed_throttles", "production"),
]


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    robust_client, scene, tokens, settings
):
    body = json.dumps({"items": [], "delivery_address": "x" * (70 * 1024)})
    before = database_state()
    answer = post_json(
        robust_client,
        "/api/orders/",
        body,
        HTTP_AUTHORIZATION=f"Bearer {tokens.customer_access}",
    )
    assert answer.status_code == 413
    assert answer.json() == {
        "detail": "The request body is too large.",
        "code": "request_too_large",
    }
    page = robust_client.post(
        "/login/", {"username": "x" * (70 * 1024), "password": "p"}
    )
    assert page.status_code == 413
    assert page["Content-Type"].startswith("text/plain")
    assert database_state() == before


def test_a_declared_length_over_the_limit_is_refused_even_for_a_short_body(
    robust_client, db
):
    answer = post_json(
        robust_client, "/api/auth/token/", "{}", CONTENT_LENGTH=str(10**12)
    )
    assert answer.status_code == 413


def test_a_declared_length_that_is_no_number_is_a_400(robust_client, db):
    answer = post_json(robust_client, "/api/auth/token/", "{}", CONTENT_LENGTH="abc")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_content_length"
    assert robust_client.post("/login/", CONTENT_LENGTH="-1").status_code == 400


def test_a_charset_that_is_no_text_encoding_is_a_415(robust_client, db):
    for path in ("/api/auth/token/", "/login/"):
        answer = robust_client.generic(
            "POST",
            path,
            data=b"username=x&password=y",
            CONTENT_TYPE="application/x-www-form-urlencoded; charset=zlib",
        )
        assert answer.status_code == 415, path


def test_a_query_string_of_too_many_parameters_is_a_400(robust_client, db):
    query = "&".join(["a=1"] * 1500)
    answer = robust_client.get(f"/api/restaurants/?{query}")
    assert answer.status_code == 400
    assert answer.json()["code"] == "too_many_parameters"


@pytest.mark.parametrize(
    "body",
    ["[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000],
    ids=["arrays", "objects"],
)
def test_json_nested_deeper_than_python_recurses_is_a_400(robust_client, db, body):
    answer = post_json(robust_client, "/api/auth/token/", body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "parse_error"


def test_a_lone_surrogate_in_json_is_a_400_not_a_failed_password_hash(
    robust_client, scene
):
    name = json.dumps(scene.customer.username)
    body = f'{{"username": {name}, "password": "\\ud800"}}'
    answer = post_json(robust_client, "/api/auth/token/", body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    "malform",
    [form_body("&".join(["a=1"] * 1001)), multipart(101, files=True)],
    ids=["fields", "files"],
)
def test_too_many_form_fields_or_files_is_a_400(robust_client, db, malform):
    call = Call(method="POST", path="/api/auth/token/", template="/api/auth/token/")
    answer = send(robust_client, malform(call))
    assert answer.status_code == 400
    assert answer.json()["code"] == "parse_error"


def test_a_host_not_allowed_is_answered_in_the_apis_shape(robust_client, db):
    answer = robust_client.get("/api/restaurants/", HTTP_HOST="evil.example")
    assert answer.status_code == 400
    assert answer.json() == {"detail": "Bad request.", "code": "bad_request"}


def test_the_boards_filter_never_refuses_an_advance_already_made(
    robust_client, scene, tokens
):
    answer = robust_client.post(
        f"/api/kitchen/orders/{scene.kitchen_order.pk}/advance/?status=eaten",
        HTTP_AUTHORIZATION=f"Bearer {tokens.cook_access}",
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "preparing"


def test_the_boards_filter_refuses_an_empty_status(robust_client, scene, tokens):
    answer = robust_client.get(
        "/api/kitchen/orders/?status=",
        HTTP_AUTHORIZATION=f"Bearer {tokens.cook_access}",
    )
    assert answer.status_code == 400
    assert "status" in answer.json()


def test_the_login_page_answers_a_json_body_as_an_empty_form(robust_client, db):
    answer = post_json(robust_client, "/login/", '{"username": "x"}')
    assert answer.status_code == 200


@pytest.mark.parametrize("target", ["home", "%ff", "nowhere"])
def test_a_next_that_is_no_path_leads_home(robust_client, scene, target):
    answer = robust_client.post(
        f"/login/?next={target}",
        {"username": scene.customer.username, "password": PASSWORD},
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/"


def test_a_nul_in_the_restaurant_search_page_is_left_out(robust_client, scene):
    answer = robust_client.get("/restaurants/?search=%00&cuisine=%00")
    assert answer.status_code == 200


def test_a_nul_in_the_apis_search_is_a_field_error(robust_client, scene):
    answer = robust_client.get("/api/restaurants/?search=%00")
    assert answer.status_code == 400
    assert list(answer.json()) == ["search"]


def test_a_token_of_a_deleted_account_places_no_order(robust_client, scene, tokens):
    scene.customer.orders.all().delete()
    scene.customer.delete()
    before = database_state()
    answer = post_json(
        robust_client,
        "/api/orders/",
        json.dumps(
            {
                "items": [{"menu_item": scene.dish.pk, "quantity": 1}],
                "delivery_address": "1 Main Street",
            }
        ),
        HTTP_AUTHORIZATION=f"Bearer {tokens.customer_access}",
    )
    assert answer.status_code == 401
    assert answer.json()["code"] == "no_active_account"
    assert answer["WWW-Authenticate"] == 'Bearer realm="api"'
    assert database_state() == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/auth/inspect/", {"token": 0}),
        ("/api/auth/register/", {"username": 12345, "password": "long-enough-pass"}),
        (
            "/api/orders/",
            {"items": [{"menu_item": 1, "quantity": 1}], "delivery_address": 7},
        ),
        (
            "/api/orders/",
            {"items": [{"menu_item": "1", "quantity": "1"}], "delivery_address": "x"},
        ),
    ],
    ids=["token", "username", "address", "line"],
)
def test_a_number_is_no_text_and_text_no_number(
    robust_client, scene, tokens, path, body
):
    before = database_state()
    answer = post_json(
        robust_client,
        path,
        json.dumps(body),
        HTTP_AUTHORIZATION=f"Bearer {tokens.customer_access}",
    )
    assert answer.status_code == 400
    assert database_state() == before


def test_text_is_measured_as_sent_not_as_trimmed(robust_client, db):
    """Found by the fuzzer (FUZZ_SEED=2613478971): 9,000 white-space characters
    after a token passed its 8,192-character limit, trimmed away first."""
    answer = post_json(
        robust_client, "/api/auth/inspect/", json.dumps({"token": ":" + "\x1f" * 9000})
    )
    assert answer.status_code == 400
    assert "token" in answer.json()


@pytest.mark.parametrize(("page", "status"), [("", 404), ("last", 404), ("1", 200)])
def test_pages_are_numbered_from_one_and_nothing_else(
    robust_client, scene, page, status
):
    assert robust_client.get(f"/api/menu-items/?page={page}").status_code == status


@pytest.mark.parametrize(("value", "status"), [("", 200), ("maybe", 400)])
def test_the_vegetarian_filter_takes_an_empty_value_as_any(
    robust_client, scene, value, status
):
    answer = robust_client.get(f"/api/menu-items/?vegetarian={value}")
    assert answer.status_code == status


def test_the_docs_page_does_not_offer_options(robust_client, db):
    assert robust_client.options("/api/docs/").status_code == 405
    assert robust_client.get("/api/docs/").status_code == 200


def test_the_browsable_api_draws_its_page_for_a_body_of_no_known_type(
    robust_client, scene, tokens
):
    answer = robust_client.generic(
        "POST",
        f"/api/orders/{scene.order.pk}/cancel/",
        data=b"<order/>",
        CONTENT_TYPE="application/xml",
        HTTP_ACCEPT="text/html",
        HTTP_AUTHORIZATION=f"Bearer {tokens.customer_access}",
    )
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/html")


def test_a_page_that_reads_more_than_django_allows_answers_413(
    robust_client, db, settings
):
    """Django's own limit, met when a body's length was not declared, is a 413."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    answer = robust_client.post("/login/", {"username": "x" * 2048, "password": "p"})
    assert answer.status_code == 413


def test_the_apis_multipart_parser_answers_django_limit_with_413(
    robust_client, db, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    answer = robust_client.post(
        "/api/auth/token/", {"username": "x" * 2048, "password": "p"}
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "request_too_large"
