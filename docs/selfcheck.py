#!/usr/bin/env python3
"""Workshop self-check: try every role against every order endpoint.

Usage: python3 docs/selfcheck.py [BASE]   (BASE defaults to http://127.0.0.1:8000)

It registers two throwaway customers, logs in as the demo cook of one open
kitchen (picked at random, so that a room running it at once shares the cooks'
login limits), places one order there, and prints what each role gets from each
order endpoint next to what the waiter should answer. Only the standard library
is needed: in a workshop room, download it from the room with
``curl -s "$BASE/workshop/selfcheck.py" -o selfcheck.py``.
"""

import base64
import json
import secrets
import sys
import time
import urllib.error
import urllib.request

# The demo data's open kitchens and their cooks, whose password is public.
KITCHENS = {
    "marios-pizzeria": "chef",
    "sakura-sushi": "chef-sakura",
    "taj-spice": "chef-taj",
    "el-camino-taqueria": "chef-camino",
    "green-bowl": "chef-green",
}
DEMO_PASSWORD = "delivery-demo"  # noqa: S105 - the documented demo password
PASSWORD = secrets.token_urlsafe(18)
ANONYMOUS = "anonymous"


def call(base: str, method: str, path: str, token: str | None = None, body=None):
    """Send one request; return (status, parsed JSON body or None, headers)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            status, raw, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, headers = error.code, error.read(), error.headers
    try:
        payload = json.loads(raw) if raw else None
    except ValueError:
        payload = None
    return status, payload, headers


def log_in(base: str, username: str, password: str) -> str:
    for _ in range(2):
        status, body, headers = call(
            base,
            "POST",
            "/api/auth/token/",
            body={"username": username, "password": password},
        )
        if status == 200:
            return body["access"]
        if status == 429:
            wait = min(int(headers.get("Retry-After", "30")), 90)
            print(
                f"Logins as {username!r} are throttled (too many in the room this "
                f"minute); waiting {wait} s and trying once more..."
            )
            time.sleep(wait)
            continue
        break
    sys.exit(f"Could not log in as {username!r}: HTTP {status} {body}")


def register(base: str, username: str) -> str:
    status, body, _ = call(
        base,
        "POST",
        "/api/auth/register/",
        body={"username": username, "password": PASSWORD},
    )
    if status != 201:
        sys.exit(f"Could not register {username!r}: HTTP {status} {body}")
    return log_in(base, username, PASSWORD)


def forge_kitchen_role(token: str) -> str:
    """The customer's card with ``role`` changed to kitchen and the old signature."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["role"] = "kitchen"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    return f"{header}.{forged.decode()}.{signature}"


def main() -> int:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/")
    suffix = secrets.token_hex(3)
    owner, other = f"selfcheck-{suffix}-a", f"selfcheck-{suffix}-b"
    kitchen = secrets.choice(sorted(KITCHENS))
    cook = KITCHENS[kitchen]
    tokens = {
        ANONYMOUS: None,
        "owner": register(base, owner),
        "other": register(base, other),
        "chef": log_in(base, cook, DEMO_PASSWORD),
    }
    tokens["forged"] = forge_kitchen_role(tokens["owner"])

    status, body, _ = call(base, "GET", f"/api/menu-items/?restaurant={kitchen}")
    dishes = [dish for dish in (body or {}).get("results", []) if dish["available"]]
    if status != 200 or not dishes:
        sys.exit(f"No dish of {kitchen} is on the menu; load the demo data first.")
    order = {
        "items": [{"menu_item": dishes[0]["id"], "quantity": 1}],
        "delivery_address": "1 Self-check Lane",
    }

    rows = []

    def check(role: str, method: str, path: str, expected: int, body=None) -> dict:
        status, answer, _ = call(base, method, path, tokens[role], body)
        rows.append((role, method, path, expected, status))
        return answer or {}

    placed = check("owner", "POST", "/api/orders/", 201, order)
    order_id = placed.get("id", 0)
    one, cancel = f"/api/orders/{order_id}/", f"/api/orders/{order_id}/cancel/"
    board, advance = "/api/kitchen/orders/", f"/api/kitchen/orders/{order_id}/advance/"

    for method, path in [
        ("GET", "/api/orders/"),
        ("POST", "/api/orders/"),
        ("GET", one),
        ("POST", cancel),
        ("GET", board),
        ("POST", advance),
    ]:
        check(ANONYMOUS, method, path, 401, order if path == "/api/orders/" else None)
    check("forged", "GET", board, 401)
    check("owner", "GET", "/api/orders/", 200)
    check("owner", "GET", one, 200)
    check("owner", "GET", board, 403)
    check("owner", "POST", advance, 403)
    check("other", "GET", one, 404)
    check("other", "POST", cancel, 404)
    check("chef", "GET", one, 404)
    check("chef", "GET", board, 200)
    check("chef", "POST", advance, 200)
    check("owner", "POST", cancel, 409)

    names = {"owner": f"{owner} (customer, owner)", "other": f"{other} (customer)"}
    names.update(chef=f"{cook} (kitchen)", forged="owner's card, role forged")
    width = max(len(names.get(role, role)) for role, *_ in rows)
    print(f"{'who':<{width}}  {'request':<42} expected  got")
    failures = 0
    for role, method, path, expected, status in rows:
        ok = expected == status
        failures += not ok
        mark = "✓" if ok else "✗"
        print(
            f"{names.get(role, role):<{width}}  {method + ' ' + path:<42} "
            f"{expected:>8}  {status:>3} {mark}"
        )
    if failures:
        print(f"{failures} of {len(rows)} checks failed.")
        return 1
    print(f"All {len(rows)} checks passed: the waiter checks every card.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
