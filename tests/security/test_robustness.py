"""No request, however malformed, makes the server answer 5xx.

Every endpoint, each operation of the OpenAPI schema and every page of the site, is
sent a table of malformed requests: bodies of any JSON shape, size and encoding,
odd headers, paths, query strings and tokens, in a header or a cookie. Each case
changes one thing in a request that would otherwise succeed, so that it reaches as
deep as it can. Every answer must be below 500; under ``/api/`` an error must come
in the documented shape (``{"detail", "code"}`` or ``{field: [messages]}``); and a
refused write must leave the database as it was.

The server runs as in production (``DEBUG`` off), where an unexpected error in the
API is a JSON 500 rather than a traceback. The machinery (the requests that would
succeed, the ways to malform them, the checks of each answer) is in
``tests/security/robustness.py``; this module is the table. The defects it found are
pinned one test each in ``tests/security/test_robustness_findings.py``.
"""

import json

import pytest
from django.test import Client

from tests.security.robustness import (
    DOCUMENTATION,
    FORM_PAGES,
    Malformation,
    api_operations,
    as_browser,
    baseline_calls,
    bearer,
    both,
    claims,
    content_type,
    cookie_token,
    cookies,
    every_field,
    form_body,
    json_body,
    meta,
    method,
    multipart,
    order_lines,
    path_parameter,
    path_suffix,
    problems_with,
    query,
    send,
    token_in_body,
)
from tests.tokens import b64

# A table of a few thousand requests: slow, so a quick `-m "not slow"` run skips it;
# CI runs it.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("relaxed_throttles", "production"),
]


# --- The malformations ----------------------------------------------------------

# Literal JSON values of every type and of odd sizes, spliced into bodies as text.
ODD_VALUES = {
    "null": "null",
    "true": "true",
    "zero": "0",
    "negative": "-1",
    "fraction": "1.5",
    "beyond-64-bits": str(2**64),
    "beyond-floats": "1e400",
    "thousands-of-digits": "1" * 4000,
    "digits-as-text": json.dumps("9" * 5000),
    "empty-text": '""',
    "blank-text": '"   "',
    "long-text": json.dumps("x" * 20_000),
    "nul": '"\\u0000"',
    "lone-surrogate": '"\\ud800"',
    "control-characters": '"\\u0001\\u001b[31m\\r\\n"',
    "right-to-left": json.dumps("\u202egnp.exe"),
    "emoji": json.dumps("\U0001f355" * 100),
    "array": "[]",
    "array-of-nulls": "[null, null]",
    "object": "{}",
    "nested": "[" * 200 + "]" * 200,
}

# Tokens as they are, or "signed:" and claims to sign with today's key, or "header:"
# and a header to sign ``claims()`` under (``robustness.token_text``).
ODD_TOKENS = {
    "empty": "",
    "dots": "..",
    "three-dots": "...",
    "one-part": "abc",
    "not-base64": "!!!.@@@.###",
    "latin-1": "\xff\xfe.\xe9.\xe0",
    "header-not-json": f"{b64(b'not json')}.{b64({})}.c2ln",
    "header-array": f"{b64([])}.{b64({})}.c2ln",
    "alg-none": f"{b64({'alg': 'none'})}.{b64(claims())}.",
    "huge": "a" * 20_000,
    "exp-as-text": "signed:" + json.dumps(claims(exp="tomorrow")),
    "exp-far-future": "signed:" + json.dumps(claims(exp=10**20)),
    "exp-float": "signed:" + json.dumps(claims(exp=1e300)),
    "iat-as-text": "signed:" + json.dumps(claims(iat="x")),
    "user-id-list": "signed:" + json.dumps(claims(user_id=[1])),
    "user-id-huge": "signed:" + json.dumps(claims(user_id=str(10**40))),
    "user-id-missing": "signed:" + json.dumps(claims(user_id=None)),
    "role-object": "signed:" + json.dumps(claims(role={"x": 1})),
    "jti-list": "signed:" + json.dumps(claims(jti=["a"])),
    "type-refresh": "signed:" + json.dumps(claims(token_type="refresh")),
    "type-list": "signed:" + json.dumps(claims(token_type=["access"])),
    "payload-array": "signed:[1, 2]",
    "kid-object": "header:" + json.dumps({"alg": "HS256", "kid": {"a": 1}}),
    "kid-list": "header:" + json.dumps({"alg": "HS256", "kid": [1]}),
    "crit": "header:" + json.dumps({"alg": "HS256", "crit": ["exp"]}),
}

# Every query parameter an endpoint or page reads, and odd values for each.
QUERY_PARAMETERS = (
    "search",
    "cuisine",
    "restaurant",
    "category",
    "vegetarian",
    "status",
    "format",
    "next",
)
ODD_QUERY_VALUES = {
    "nul": "%00",
    "invalid-utf-8": "%ff%fe",
    "empty": "",
    "garbage": "*%2F..%2F%3Cx%3E",
    "long": "x" * 5000,
}

# Bodies the browsable API must render an answer to, as HTML.
MALFORMATIONS_FOR_HTML: dict[str, Malformation] = {
    "truncated": json_body('{"items": [{"menu_item": '),
    "nested": every_field("[" * 200 + "]" * 200),
    "long-text": every_field(json.dumps("x" * 20_000)),
    "object": every_field("{}"),
    "xml": content_type("application/xml"),
    "form": form_body("token=%ZZ&username=%ff&items=x&items=y"),
}

MALFORMATIONS: dict[str, Malformation] = {
    # Bodies: JSON of every shape.
    "body:empty": json_body(b""),
    "body:null": json_body("null"),
    "body:array": json_body("[]"),
    "body:text": json_body('"text"'),
    "body:number": json_body("42"),
    "body:true": json_body("true"),
    "body:empty-object": json_body("{}"),
    "body:truncated": json_body('{"items": [{"menu_item": '),
    "body:trailing-garbage": json_body('{"token": "x"} garbage'),
    "body:nan": json_body('{"token": NaN, "items": Infinity}'),
    "body:duplicate-keys": json_body('{"token": "a", "token": ["b"]}'),
    "body:deeply-nested-arrays": json_body("[" * 20_000 + "]" * 20_000),
    "body:deeply-nested-objects": json_body('{"a":' * 10_000 + "1" + "}" * 10_000),
    "body:ten-thousand-keys": json_body(
        "{" + ",".join(f'"k{i}": {i}' for i in range(10_000)) + "}"
    ),
    "body:long-array": json_body("[" + ",".join(["0"] * 20_000) + "]"),
    **{f"field:{name}": every_field(raw) for name, raw in ODD_VALUES.items()},
    **{
        f"order-line:{name}": order_lines(raw, as_line=True)
        for name, raw in ODD_VALUES.items()
    },
    **{
        f"order-line-parts:{name}": order_lines(raw, as_line=False)
        for name, raw in ODD_VALUES.items()
    },
    "order:fifty-one-lines": json_body(
        '{"items": ['
        + ",".join(['{"menu_item": 1, "quantity": 1}'] * 51)
        + '], "delivery_address": "x"}'
    ),
    # Bodies: encodings.
    "body:invalid-utf-8": json_body(b'{"token": "\xff\xfe\xfd", "username": "\xc3"}'),
    "body:utf-16": json_body('{"token": "x"}'.encode("utf-16")),
    "body:utf-32": json_body('{"token": "x"}'.encode("utf-32")),
    "body:latin-1": json_body('{"username": "caf\xe9"}'.encode("latin-1")),
    "body:bom": json_body(b'\xef\xbb\xbf{"token": "x"}'),
    "body:nul-bytes": json_body(b'{"token": "\x00"}\x00'),
    # Bodies: content types and charsets.
    "type:missing": content_type(""),
    "type:text-plain": content_type("text/plain"),
    "type:xml": content_type("application/xml"),
    "type:garbage": content_type("\xff/\xfe; ;;="),
    "type:json-utf-16": content_type("application/json; charset=utf-16"),
    "type:json-unknown-charset": content_type("application/json; charset=nope"),
    "type:json-rot13": content_type("application/json; charset=rot13"),
    "type:json-zlib": content_type("application/json; charset=zlib"),
    "type:json-base64": content_type("application/json; charset=base64"),
    "type:json-idna": content_type("application/json; charset=idna"),
    "type:json-empty-charset": content_type("application/json; charset="),
    "type:form-zlib": form_body(
        "token=x", "application/x-www-form-urlencoded; charset=zlib"
    ),
    "type:form-hex": form_body(
        "token=x", "application/x-www-form-urlencoded; charset=hex"
    ),
    "type:form-utf-16": form_body(
        "token=x", "application/x-www-form-urlencoded; charset=utf-16"
    ),
    "type:multipart-without-boundary": form_body("x", "multipart/form-data"),
    "type:multipart-garbage": form_body("garbage", "multipart/form-data; boundary=b"),
    "type:multipart-zlib": form_body(
        '--b\r\nContent-Disposition: form-data; name="token"\r\n\r\nx\r\n--b--\r\n',
        "multipart/form-data; boundary=b; charset=zlib",
    ),
    # Bodies: forms.
    "form:bad-escapes": form_body("token=%ZZ&username=%&password=%ff%fe&=&&=x"),
    "form:repeated": form_body("token=a&token=b&username=a&username=b"),
    "form:nul": form_body("token=%00&username=%00&password=%00"),
    "form:too-many-fields": form_body("&".join(["a=1"] * 1500)),
    "form:long-value": form_body("token=" + "x" * 40_000),
    "multipart:too-many-fields": multipart(1500, files=False),
    "multipart:too-many-files": multipart(150, files=True),
    # Bodies: sizes and declared lengths.
    "size:over-the-limit": json_body(b'{"token": "' + b"x" * (1 << 20) + b'"}'),
    "length:not-a-number": meta(CONTENT_LENGTH="abc"),
    "length:negative": meta(CONTENT_LENGTH="-1"),
    "length:huge": meta(CONTENT_LENGTH=str(10**30)),
    # Headers: the Authorization header and its scheme.
    "auth:empty": meta(HTTP_AUTHORIZATION=""),
    "auth:scheme-only": meta(HTTP_AUTHORIZATION="Bearer"),
    "auth:scheme-and-space": meta(HTTP_AUTHORIZATION="Bearer "),
    "auth:three-words": meta(HTTP_AUTHORIZATION="Bearer a b"),
    "auth:basic": meta(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz"),
    "auth:lowercase-scheme": meta(HTTP_AUTHORIZATION="bearer x.y.z"),
    "auth:latin-1": meta(HTTP_AUTHORIZATION="Bearer \xe9\xff"),
    "auth:nul": meta(HTTP_AUTHORIZATION="Bearer a\x00b"),
    **{f"bearer:{kind}": bearer(raw) for kind, raw in ODD_TOKENS.items()},
    # Tokens in the site's cookies.
    **{f"cookie:{kind}": cookie_token(raw) for kind, raw in ODD_TOKENS.items()},
    "cookie:malformed-header": meta(HTTP_COOKIE="=; ;;delivery_access; =x; a=\xff"),
    "cookie:huge": cookies(delivery_access="a" * 8000, junk="b" * 8000),
    "cookie:bad-csrf": cookies(csrftoken="\xff" * 10, delivery_access="x"),
    # Tokens where the front desk reads them from the body.
    **{f"body-token:{kind}": token_in_body(raw) for kind, raw in ODD_TOKENS.items()},
    # Other headers.
    "header:huge": meta(HTTP_X_JUNK="a" * 100_000),
    "header:host-garbage": meta(HTTP_HOST="evil.example:\xff"),
    "header:host-bad-port": meta(HTTP_HOST="localhost:99999999999"),
    "header:accept-html": meta(HTTP_ACCEPT="text/html"),
    "header:accept-xml": meta(HTTP_ACCEPT="application/xml"),
    "header:accept-garbage": meta(HTTP_ACCEPT="*/*;q=x, ;;, \xff/\xff"),
    "header:accept-language": meta(HTTP_ACCEPT_LANGUAGE="\xff" * 500 + ";q=nan"),
    "header:idempotency-empty": meta(HTTP_IDEMPOTENCY_KEY=""),
    "header:idempotency-long": meta(HTTP_IDEMPOTENCY_KEY="k" * 10_000),
    "header:idempotency-latin-1": meta(HTTP_IDEMPOTENCY_KEY="\xe9\xff"),
    "header:idempotency-control": meta(HTTP_IDEMPOTENCY_KEY="a\tb\x00"),
    "header:if-none-match": meta(HTTP_IF_NONE_MATCH='"x", W/, *, "' + "y" * 5000),
    "header:if-modified-since": meta(
        HTTP_IF_MODIFIED_SINCE="Mon, 99 Foo 99999 99:99:99 GMT"
    ),
    "header:if-modified-since-far": meta(
        HTTP_IF_MODIFIED_SINCE="Fri, 31 Dec 9999 23:59:59 GMT"
    ),
    "header:forwarded-for": meta(HTTP_X_FORWARDED_FOR="\xff, , ::::, 999.1.1.1"),
    "header:forwarded-proto": meta(HTTP_X_FORWARDED_PROTO="\xff"),
    "header:origin": meta(HTTP_ORIGIN="null\xff"),
    "header:csrf-token": meta(HTTP_X_CSRFTOKEN="\xff" * 64),
    "header:range": meta(HTTP_RANGE="bytes=9-1,-,x"),
    "header:method-override": meta(HTTP_X_HTTP_METHOD_OVERRIDE="DELETE"),
    # Methods.
    **{
        f"method:{name.lower()}": method(name)
        for name in ("HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND")
    },
    "method:garbage": method("X-\xff"),
    # Paths.
    "id:zero": path_parameter("0"),
    "id:negative": path_parameter("-1"),
    "id:beyond-64-bits": path_parameter(str(2**64)),
    "id:googol": path_parameter("1" + "0" * 100),
    "id:thousands-of-digits": path_parameter("9" * 5000),
    "id:text": path_parameter("abc"),
    "id:fraction": path_parameter("1.5"),
    "id:fullwidth-digit": path_parameter("%EF%BC%91"),
    "id:nul": path_parameter("%00"),
    "id:invalid-utf-8": path_parameter("%ff%fe"),
    "id:unicode": path_parameter("%C3%BCn%C3%AFc%C3%B6d%C3%A9"),
    "id:dot-dot": path_parameter("%2e%2e"),
    "id:encoded-slash": path_parameter("a%2fb"),
    "id:long-slug": path_parameter("a" * 5000),
    "path:nul": path_suffix("/%00/"),
    "path:invalid-utf-8": path_suffix("/%ff%fe/"),
    "path:unicode": path_suffix("/%F0%9F%8D%95/"),
    "path:no-trailing-slash": path_suffix(""),
    "path:double-slash": path_suffix("//"),
    "path:dot-segments": path_suffix("/../../etc/passwd"),
    "path:semicolon": path_suffix(";x=1/"),
    "path:overlong": path_suffix("/" + "a" * 10_000 + "/"),
    # Query strings.
    "page:minus-one": query("page=-1"),
    "page:zero": query("page=0"),
    "page:googol": query("page=" + "1" + "0" * 30),
    "page:text": query("page=abc"),
    "page:empty": query("page="),
    "page:last": query("page=last"),
    "page:repeated": query("page=1&page=2"),
    "page:thousands-of-digits": query("page=" + "9" * 5000),
    "page:nul": query("page=%00"),
    **{
        f"query:{name}-{parameter}": query(f"{parameter}={value}")
        for parameter in QUERY_PARAMETERS
        for name, value in ODD_QUERY_VALUES.items()
    },
    "query:repeated-filters": query(
        "vegetarian=true&vegetarian=false&status=a&status=b"
    ),
    "query:bad-escapes": query("%&=&&==&%zz=%"),
    "query:too-many-fields": query("&".join(["a=1"] * 1500)),
    "query:format-api": query("format=api"),
    # The browsable API, rendering an answer to a malformed body.
    **{
        f"html:{name}": both(
            MALFORMATIONS_FOR_HTML[name], meta(HTTP_ACCEPT="text/html")
        )
        for name in MALFORMATIONS_FOR_HTML
    },
    "query:next": query("next=%2F%2Fevil.example&next=javascript:alert(1)"),
}


# --- Running the table ----------------------------------------------------------


def test_the_table_reaches_every_operation_and_page(scene, tokens):
    calls = baseline_calls(scene, tokens)
    templates = {call.template for call in calls}
    assert {template for _, template in api_operations()} <= templates
    assert {"/", "/restaurants/<slug:slug>/", "/login/", "/healthz"} <= templates
    assert set(DOCUMENTATION) <= templates


def test_every_request_of_the_table_succeeds_unchanged(robust_client, scene, tokens):
    """The baselines reach the views: a malformation is the only fault in a case.

    A page may still refuse its method (GET /account/logout/) or a role (an
    instructor's page), with 405 or 403.
    """
    refused = [
        f"{call.label()} -> {response.status_code}"
        for call in baseline_calls(scene, tokens)
        if call.method == "GET" or call.is_api or call.template in FORM_PAGES
        for response in [send(robust_client, call)]
        if response.status_code >= 400
        and (call.is_api or response.status_code not in {403, 405})
    ]
    assert not refused, "\n".join(refused)


@pytest.mark.parametrize("name", list(MALFORMATIONS))
def test_no_malformed_request_gets_a_server_error(
    robust_client, error_log, scene, tokens, name
):
    malform = MALFORMATIONS[name]
    problems = []
    for call in baseline_calls(scene, tokens):
        malformed = malform(call)
        if malformed is not None:
            problems += problems_with(robust_client, malformed, error_log)
    assert not problems, "\n".join(problems)


# --- Requests from a browser, with the card in a cookie and Django's CSRF check ---

CROSS_SITE: dict[str, Malformation] = {
    "no-csrf-token": as_browser,
    "garbage-csrf-token": both(
        as_browser,
        meta(HTTP_X_CSRFTOKEN="\xff" * 64, HTTP_COOKIE="csrftoken=%FF%00; x=\xff"),
    ),
    "mismatched-csrf-token": both(as_browser, meta(HTTP_X_CSRFTOKEN="a" * 32)),
    "https-bad-referer": both(
        as_browser,
        meta(
            HTTP_REFERER="https://\xff.example:99999/",
            HTTP_ORIGIN="https://\xff",
            SERVER_PORT="443",
            **{"wsgi.url_scheme": "https"},
        ),
    ),
}


@pytest.mark.parametrize("name", list(CROSS_SITE))
def test_no_cross_site_request_gets_a_server_error(error_log, scene, tokens, name):
    """Django's CSRF check runs (the test client skips it by default)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    problems = []
    for call in baseline_calls(scene, tokens):
        if call.takes_body:
            problems += problems_with(client, CROSS_SITE[name](call), error_log)
    assert not problems, "\n".join(problems)
