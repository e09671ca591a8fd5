"""What the endpoints scenario loads, in the order of a round."""

from dataclasses import dataclass

MENU_PATH = "/api/restaurants/marios-pizzeria/"
# Requests sent to each endpoint before the measured rounds.
WARMUP_REQUESTS = 6


@dataclass(frozen=True)
class Endpoint:
    """One line of the bench table."""

    name: str
    method: str
    # "{order_id}" is filled in with one of alice's orders.
    path: str
    # Whose credentials travel with each request: "" (none), "alice" or "bob" (a
    # Bearer access token), "session" (alice's Django session cookie) or "etag"
    # (an If-None-Match naming the current menu).
    credentials: str
    # The wrk Lua script in bench/lua/ that shapes each request.
    script: str
    about: str
    # For a POST with a fixed body: its name in the fixtures ("order", "login").
    body: str = ""
    # Open connections, when not the bench's 16.
    connections: int | None = None


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "floor",
        "GET",
        "/bench/floor/",
        "",
        "get.lua",
        "plain Django JSON view, no database (bench-only)",
    ),
    Endpoint(
        "ten-rows",
        "GET",
        "/bench/ten-rows/",
        "",
        "get.lua",
        "plain Django view reading 10 rows (bench-only)",
    ),
    Endpoint(
        "menu",
        "GET",
        MENU_PATH,
        "",
        "get.lua",
        "a restaurant's menu, anonymous (cached)",
    ),
    Endpoint(
        "menu-304",
        "GET",
        MENU_PATH,
        "etag",
        "get.lua",
        "the same menu revalidated: If-None-Match, 304",
    ),
    Endpoint(
        "restaurants",
        "GET",
        "/api/restaurants/",
        "",
        "get.lua",
        "the restaurant list, anonymous (cached)",
    ),
    Endpoint(
        "orders-jwt",
        "GET",
        "/api/orders/",
        "alice",
        "get.lua",
        "own orders, JWT Bearer (stateless)",
    ),
    Endpoint(
        "orders-session",
        "GET",
        "/bench/orders/session/",
        "session",
        "get.lua",
        "own orders, Django DB session (bench-only)",
    ),
    Endpoint(
        "orders-jwt-db",
        "GET",
        "/bench/orders/stateful-jwt/",
        "alice",
        "get.lua",
        "own orders, simplejwt reading the user (bench-only)",
    ),
    Endpoint(
        "order",
        "GET",
        "/api/orders/{order_id}/",
        "alice",
        "get.lua",
        "one own order, JWT Bearer",
    ),
    Endpoint(
        "place-order",
        "POST",
        "/api/orders/",
        "bob",
        "place-order.lua",
        "place an order, JWT Bearer (a transaction)",
        body="order",
    ),
    Endpoint(
        "refresh",
        "POST",
        "/api/auth/token/refresh/",
        "",
        "refresh.lua",
        "trade a refresh token for a new pair (rotation)",
    ),
    Endpoint(
        "login",
        "POST",
        "/api/auth/token/",
        "",
        "post.lua",
        "log in, 2 connections: slow on purpose (the password hash)",
        body="login",
        # One login per worker at a time: the latency is then the hash itself, not
        # a queue of logins that would go on for seconds after each run.
        connections=2,
    ),
)

BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}


def selected(names: str) -> tuple[Endpoint, ...]:
    """The endpoints named in a comma-separated list (``BENCH_ONLY``); all if empty."""
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(BY_NAME))
    if unknown:
        raise ValueError(f"Unknown endpoint(s): {', '.join(unknown)}.")
    return tuple(e for e in ENDPOINTS if not wanted or e.name in wanted)
