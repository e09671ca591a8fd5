"""The robustness table's machinery: requests that succeed, ways to malform them,
and the checks every answer must pass.

``tests/security/test_robustness.py`` holds the table itself. A *call* is one
request as the test client sends it; ``baseline_calls`` gives one per endpoint,
method and page that the server would accept; a *malformation* turns such a call
into a malformed one (or into ``None`` where it does not apply); ``problems_with``
sends a call and says what is wrong with the answer.
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any
from urllib.parse import quote

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from accounts.models import User
from orders.models import Order, OrderItem
from tests.factories import PASSWORD
from tests.security.conftest import ErrorLog, Scene, Tokens
from tests.tokens import hs256, with_changes

# Routes that are not the project's own pages: the API (taken from its schema), the
# admin (Django's, of which only the public login page is sent the table) and the
# benchmark's baselines.
NOT_PAGES = ("api/", "admin/", "bench/")
ADMIN_LOGIN = "/admin/login/"
# The documentation is served beside the API but is not part of its schema.
DOCUMENTATION = ["/api/schema/", "/api/docs/"]
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


# --- The endpoints and a request to each that would succeed --------------------


@dataclass(frozen=True)
class Call:
    """One request, as the test client sends it."""

    method: str
    path: str
    template: str
    query: str = ""
    body: bytes = b""
    content_type: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    # Whom the request's card names: odd tokens are signed for the same user.
    user_id: int = 0

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def takes_body(self) -> bool:
        return self.method in WRITES

    def with_meta(self, **meta: str) -> "Call":
        return replace(self, meta={**self.meta, **meta})

    def with_body(self, body: bytes | str, content_type: str) -> "Call":
        if isinstance(body, str):
            body = body.encode()
        return replace(self, body=body, content_type=content_type)

    def label(self) -> str:
        query = f"?{self.query}" if self.query else ""
        return f"{self.method} {self.path}{query}"[:160]


@cache
def api_operations() -> tuple[tuple[str, str], ...]:
    """``(method, path template)`` of every operation the schema documents."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return tuple(
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method in methods
    )


def walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    """Every route of a URLconf, its includes followed."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        else:
            yield route


@cache
def page_templates() -> tuple[str, ...]:
    """The site's own pages, as routes (``restaurants/<slug:slug>/``)."""
    routes = {
        f"/{route}"
        for route in walk(get_resolver().url_patterns)
        if not route.startswith(NOT_PAGES) and not route.startswith("^")
    }
    return (*sorted(routes), ADMIN_LOGIN)


CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>|\{(?P<param>\w+)\}")


def concrete(template: str, scene: Scene, tokens: Tokens) -> str:
    """A path with its parameters filled with objects that exist."""

    def value(match: re.Match) -> str:
        name = match["name"] or match["param"]
        if match["kind"] == "lab":
            # The labs are an app only while they are enabled, as their routes are.
            from lab.models import Lab

            return Lab.values[0]
        if name == "owner":
            return scene.customer.username
        if "logins" in template:
            return str(tokens.login_to_end)
        if "restaurant" in template or name == "slug":
            return scene.restaurant.slug
        if "menu-items" in template:
            return str(scene.dish.pk)
        if "kitchen" in template:
            return str(scene.kitchen_order.pk)
        if "orders" in template:
            return str(scene.order.pk)
        return "1"

    return CONVERTER.sub(value, template)


def valid_body(template: str, scene: Scene, tokens: Tokens) -> dict[str, Any]:
    """A body each write would accept; ``{}`` for one this table does not know."""
    bodies = {
        "/api/auth/register/": {
            "username": "newcomer",
            "password": "a-long-enough-passphrase",
        },
        "/api/auth/token/": {
            "username": scene.customer.username,
            "password": PASSWORD,
        },
        "/api/auth/token/refresh/": {"refresh": tokens.refresh_to_rotate},
        "/api/auth/token/verify/": {"token": tokens.customer_access},
        "/api/auth/logout/": {"refresh": tokens.refresh_to_end},
        "/api/auth/inspect/": {"token": tokens.customer_access},
        # The same password again: the logins that the calls after it use stay.
        "/api/auth/password/": {"old_password": PASSWORD, "new_password": PASSWORD},
        "/api/orders/": {
            "items": [{"menu_item": scene.dish.pk, "quantity": 1}],
            "delivery_address": "1 Main Street",
            "note": "Ring twice",
        },
        "/api/kitchen/orders/{id}/advance/": {"current_status": "placed"},
        "/login/": {"username": scene.customer.username, "password": PASSWORD},
        ADMIN_LOGIN: {"username": scene.customer.username, "password": PASSWORD},
        "/register/": {"username": "walk-in", "password": "a-long-enough-passphrase"},
        "/account/password/": {
            "old_password": PASSWORD,
            "new_password": PASSWORD,
            "new_password_again": PASSWORD,
        },
    }
    return bodies.get(template, {})


# Pages a form is posted to; every other page answers a POST with 405.
FORM_PAGES = {
    "/login/",
    "/register/",
    "/account/logout/",
    "/account/logins/<int:pk>/end/",
    "/account/logout-everywhere/",
    "/account/password/",
    ADMIN_LOGIN,
}


def by_cook(template: str) -> bool:
    """The cook calls the kitchen's paths, and logs out everywhere: the customer's
    tokens serve the other cases."""
    return "kitchen" in template or template in {
        "/api/auth/logout-all/",
        "/account/logout-everywhere/",
    }


def access_for(template: str, tokens: Tokens) -> str:
    return tokens.cook_access if by_cook(template) else tokens.customer_access


def user_for(template: str, tokens: Tokens) -> int:
    return tokens.cook_id if by_cook(template) else tokens.customer_id


def baseline_calls(scene: Scene, tokens: Tokens) -> list[Call]:
    """One request per endpoint and method, each one the server would accept.

    The API is called with an ``Authorization`` header and the site's pages with
    the access cookie, as a browser does.
    """
    calls = []
    for method, template in api_operations():
        call = Call(
            method=method,
            path=concrete(template, scene, tokens),
            template=template,
            meta={"HTTP_AUTHORIZATION": f"Bearer {access_for(template, tokens)}"},
            user_id=user_for(template, tokens),
        )
        if call.takes_body:
            body = json.dumps(valid_body(template, scene, tokens))
            call = call.with_body(body, "application/json")
        calls.append(call)
    for path in DOCUMENTATION:
        calls.append(Call(method="GET", path=path, template=path))
    for template in page_templates():
        page = Call(
            method="GET",
            path=concrete(template, scene, tokens),
            template=template,
            meta={"HTTP_COOKIE": f"delivery_access={access_for(template, tokens)}"},
            user_id=user_for(template, tokens),
        )
        form = valid_body(template, scene, tokens)
        body = "&".join(f"{key}={quote(value)}" for key, value in form.items())
        calls += [
            page,
            replace(page, method="POST").with_body(
                body, "application/x-www-form-urlencoded"
            ),
        ]
    return calls


# --- The malformations ----------------------------------------------------------

# A malformation turns a request that would succeed into a malformed one, or into
# None where it does not apply.
Malformation = Callable[[Call], Call | None]


def json_with(keys: list[str], raw: str) -> str:
    """A JSON object with the same raw value for every key."""
    return "{" + ", ".join(f"{json.dumps(key)}: {raw}" for key in keys) + "}"


def body_keys(call: Call) -> list[str]:
    """The fields the request sends, or a few likely ones for a bodiless write."""
    try:
        sent = json.loads(call.body) if call.body else {}
    except ValueError:
        sent = {}
    if isinstance(sent, dict) and sent:
        return list(sent)
    return ["token", "refresh", "username", "password", "items"]


def json_body(raw: bytes | str, content_type: str = "application/json") -> Malformation:
    """Another body for a write, as it is."""

    def malform(call: Call) -> Call | None:
        if not call.takes_body:
            return None
        return call.with_body(raw, content_type)

    return malform


def every_field(raw: str) -> Malformation:
    def malform(call: Call) -> Call | None:
        if not call.takes_body:
            return None
        return call.with_body(json_with(body_keys(call), raw), "application/json")

    return malform


def order_lines(raw: str, *, as_line: bool) -> Malformation:
    """An odd value in an order's lines: as a line, or as every part of one."""

    def malform(call: Call) -> Call | None:
        if call.template != "/api/orders/" or call.method != "POST":
            return None
        line = raw if as_line else f'{{"menu_item": {raw}, "quantity": {raw}}}'
        return call.with_body(
            f'{{"items": [{line}], "delivery_address": "1 Main Street"}}',
            "application/json",
        )

    return malform


def content_type(value: str) -> Malformation:
    """The request's own body, labelled with another content type."""

    def malform(call: Call) -> Call | None:
        if not call.takes_body:
            return None
        return replace(call, content_type=value)

    return malform


def form_body(
    raw: bytes | str, kind: str = "application/x-www-form-urlencoded"
) -> Malformation:
    return json_body(raw, kind)


def multipart(parts: int, *, files: bool) -> Malformation:
    boundary = "odd-boundary"
    disposition = 'form-data; name="f{i}"' + ('; filename="f{i}.txt"' if files else "")
    body = "".join(
        f"--{boundary}\r\nContent-Disposition: {disposition.format(i=i)}\r\n\r\nx\r\n"
        for i in range(parts)
    )
    return form_body(
        body + f"--{boundary}--\r\n", f"multipart/form-data; boundary={boundary}"
    )


def method(name: str) -> Malformation:
    """The same request with another method, or one no server knows."""
    return lambda call: replace(call, method=name)


def both(first: Malformation, second: Malformation) -> Malformation:
    """Two malformations at once; none where either does not apply."""

    def malform(call: Call) -> Call | None:
        once = first(call)
        return None if once is None else second(once)

    return malform


def meta(**values: str) -> Malformation:
    return lambda call: call.with_meta(**values)


def cookies(**values: str) -> Malformation:
    """Cookies instead of the Authorization header, as a browser sends them."""

    def malform(call: Call) -> Call:
        call = replace(
            call, meta={k: v for k, v in call.meta.items() if k != "HTTP_AUTHORIZATION"}
        )
        text = "; ".join(f"{name}={value}" for name, value in values.items())
        return call.with_meta(HTTP_COOKIE=text)

    return malform


def query(text: str) -> Malformation:
    def malform(call: Call) -> Call:
        return replace(call, query=f"{call.query}&{text}" if call.query else text)

    return malform


def path_parameter(value: str) -> Malformation:
    """Another value where the path names an object."""

    def malform(call: Call) -> Call | None:
        if "{" not in call.template and "<" not in call.template:
            return None
        return replace(call, path=CONVERTER.sub(value, call.template))

    return malform


def path_suffix(text: str) -> Malformation:
    return lambda call: replace(call, path=call.path.rstrip("/") + text)


# Stands for the id of the user the request speaks for, known only when it is sent.
USER = "<user>"


def claims(**changes: Any) -> dict[str, Any]:
    """Access-token claims that verify, with some changed (``None`` removes)."""
    base = {
        "token_type": "access",
        "exp": 4_102_444_800,
        "iat": 1_700_000_000,
        "jti": "0123456789abcdef",
        "user_id": USER,
        "username": "someone",
        "role": "customer",
    }
    return with_changes(base, changes)


def token_text(odd_token: str, user_id: int) -> str:
    """The token an entry of the table of odd tokens stands for, sent by that user.

    An entry is the token as it is, or ``signed:`` and the claims to sign, or
    ``header:`` and a header to sign ``claims()`` under; the signed ones are signed
    now, with today's key.
    """
    raw = odd_token.replace(USER, str(user_id))
    if raw.startswith("signed:"):
        return hs256(json.loads(raw.removeprefix("signed:")))
    if raw.startswith("header:"):
        header = json.loads(raw.removeprefix("header:"))
        return hs256(claims(user_id=str(user_id)), header=header)
    return raw


def bearer(odd_token: str, scheme: str = "Bearer") -> Malformation:
    return lambda call: call.with_meta(
        HTTP_AUTHORIZATION=f"{scheme} {token_text(odd_token, call.user_id)}"
    )


def cookie_token(odd_token: str) -> Malformation:
    def malform(call: Call) -> Call:
        token = quote(token_text(odd_token, call.user_id), safe="")
        return cookies(delivery_access=token, delivery_refresh=token)(call)

    return malform


def token_in_body(odd_token: str) -> Malformation:
    """An odd token where the front desk expects one in the body."""

    def malform(call: Call) -> Call | None:
        keys = {"token", "refresh"} & set(body_keys(call))
        if not call.takes_body or not keys:
            return None
        body = {key: token_text(odd_token, call.user_id) for key in keys}
        return call.with_body(json.dumps(body), "application/json")

    return malform


def as_browser(call: Call) -> Call:
    """The request as the site's pages send it: the access token in its cookie.

    Without Django's CSRF token, unless another malformation adds one.
    """
    authorization = call.meta.get("HTTP_AUTHORIZATION", "")
    token = authorization.removeprefix("Bearer ")
    if not token:
        return call
    return cookies(delivery_access=token)(call)


# --- Running the table ----------------------------------------------------------

SERVER_OWNED = (User, Order, OrderItem, OutstandingToken, BlacklistedToken)


def database_state() -> tuple:
    """What a refused write must not change: every row the API can write."""
    return (
        tuple(model.objects.count() for model in SERVER_OWNED),
        tuple(Order.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        tuple(
            User.objects.order_by("pk").values_list(
                "pk", "password", "is_active", "last_login"
            )
        ),
    )


def error_shape_problem(content: bytes) -> str | None:
    """Why an API error body is not in the documented shape, or None."""
    try:
        body = json.loads(content)
    except ValueError:
        return f"not JSON: {content[:80]!r}"
    if not isinstance(body, dict) or not body:
        return f"not an object: {content[:80]!r}"
    if "detail" in body:
        if isinstance(body["detail"], str) and isinstance(body.get("code"), str):
            return None
        return f"detail without a code: {content[:80]!r}"
    if all(isinstance(messages, list | dict) for messages in body.values()):
        return None
    return f"neither {{detail, code}} nor field errors: {content[:80]!r}"


def send(client: Client, call: Call):
    path = f"{call.path}?{call.query}" if call.query else call.path
    extra = dict(call.meta)
    if call.content_type or call.body:
        extra.setdefault("CONTENT_TYPE", call.content_type)
    return client.generic(call.method, path, data=call.body, **extra)


def shaped(call: Call, response) -> bool:
    """Whether an API error must have the API's JSON shape.

    Not the documentation's, not a bodiless answer to HEAD, and not the browsable
    API's page for a client that asked for HTML.
    """
    if call.path in DOCUMENTATION or call.method == "HEAD":
        return False
    asked_for_html = "text/html" in call.meta.get("HTTP_ACCEPT", "")
    return not (asked_for_html and response["Content-Type"].startswith("text/html"))


def problems_with(client: Client, call: Call, errors: ErrorLog) -> Iterator[str]:
    before = database_state() if call.takes_body else None
    errors.causes.clear()
    response = send(client, call)
    status = response.status_code
    if status >= 500:
        raised = getattr(response, "exc_info", None)
        cause = raised[1] if raised else (errors.causes or [None])[0]
        reason = f" ({type(cause).__name__}: {str(cause)[:120]})" if cause else ""
        yield f"{call.label()} -> {status}{reason}"
        return
    if status >= 400 and call.is_api and shaped(call, response):
        problem = error_shape_problem(response.content)
        if problem:
            yield f"{call.label()} -> {status}, {problem}"
    if before is not None and status >= 400 and database_state() != before:
        yield f"{call.label()} -> {status}, but the database changed"


def post_json(client: Client, path: str, body: bytes | str, **extra: str):
    return client.generic(
        "POST", path, data=body, CONTENT_TYPE="application/json", **extra
    )
