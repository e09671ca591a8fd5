"""Count the database queries of each bench endpoint, with Django's test client.

wrk sees only the answers; the queries behind them are counted here, in-process,
with the same settings, data and credentials as the server under load. Each
endpoint is called twice and the second call is counted: the steady state that
wrk measures, with caches warm (the menu) and per-process lookups done.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.endpoints import ENDPOINTS, MENU_PATH, Endpoint


class UnexpectedAnswer(RuntimeError):
    """An endpoint answered with an error before any load: the set-up is wrong."""


def count_queries(fixtures: dict, host: str) -> tuple[dict[str, int], str]:
    """Queries per request of every endpoint, and the ETag of the menu.

    ``host`` is the server's host:port, so that cached answers are keyed (and
    ETags computed) exactly as the server will.
    """
    client = Client(HTTP_HOST=host)
    menu_etag = client.get(MENU_PATH)["ETag"]
    with open(fixtures["queries_pool"]) as pool:
        refresh_tokens = iter(pool.read().split())
    counts = {}
    for endpoint in ENDPOINTS:
        headers = request_headers(endpoint, fixtures, menu_etag)
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = call(client, endpoint, fixtures, headers, refresh_tokens)
            if response.status_code >= 400:
                raise UnexpectedAnswer(
                    f"{endpoint.method} {endpoint.path}: {response.status_code} "
                    f"{response.content[:200]!r}"
                )
        counts[endpoint.name] = len(captured)
    return counts, menu_etag


def request_headers(endpoint: Endpoint, fixtures: dict, menu_etag: str) -> dict:
    if endpoint.credentials == "etag":
        return {"If-None-Match": menu_etag}
    return dict(fixtures["headers"].get(endpoint.credentials, {}))


def call(client: Client, endpoint: Endpoint, fixtures: dict, headers, refresh_tokens):
    path = endpoint.path.format(order_id=fixtures["order_id"])
    if endpoint.method == "GET":
        return client.get(path, headers=headers)
    if endpoint.name == "refresh":
        body = f'{{"refresh": "{next(refresh_tokens)}"}}'
    else:
        body = fixtures["bodies"][endpoint.body]
    if endpoint.name == "place-order":
        body %= "query-count"
    return client.post(path, body, content_type="application/json", headers=headers)
