"""Make a bench database ready, and hand the driver what wrk needs to send.

Run by ``bench/run.py`` with the server's own environment, before the server starts:

    python -m bench.prepare --out bench/results/sqlite --host 127.0.0.1:8200 ...

It migrates, loads the demo data, gives alice a page of orders, signs the tokens
(access tokens for alice and bob, one pool of single-use refresh tokens per wrk
run), opens a Django session for alice, counts the queries of every endpoint
(``bench.queries``) and writes it all to ``fixtures.json`` in ``--out``.
"""

import argparse
import json
import os
from pathlib import Path

import django

from bench.endpoints import WARMUP_REQUESTS

# Each of alice's orders is one line of the lists under test.
ALICE_ORDERS = 10


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--host", required=True, help="host:port of the server")
    parser.add_argument("--pools", type=int, required=True, help="refresh runs")
    parser.add_argument("--pool-size", type=int, required=True)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery.settings")
    django.setup()

    from django.core.management import call_command

    from bench.queries import count_queries

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", force=True, verbosity=0)
    args.out.mkdir(parents=True, exist_ok=True)
    fixtures = make_fixtures(args.out, pools=args.pools, pool_size=args.pool_size)
    fixtures["queries"], fixtures["menu_etag"] = count_queries(fixtures, args.host)
    (args.out / "fixtures.json").write_text(json.dumps(fixtures, indent=2))


def make_fixtures(out: Path, *, pools: int, pool_size: int) -> dict:
    """Orders, credentials and request bodies, as plain JSON-able data."""
    from django.conf import settings
    from django.db import transaction
    from django.test import Client

    from accounts.models import User
    from accounts.services import issue_token_pair
    from menu.demo_data import DEMO_PASSWORD
    from menu.models import MenuItem
    from orders.models import Order
    from orders.services import OrderLineRequest, place_order

    alice = User.objects.get(username="alice")
    bob = User.objects.get(username="bob")
    dishes = list(
        MenuItem.objects.filter(
            restaurant__slug="marios-pizzeria", available=True
        ).order_by("id")[:2]
    )
    lines = [OrderLineRequest(menu_item_id=dish.pk, quantity=1) for dish in dishes]
    while Order.objects.filter(customer=alice).count() < ALICE_ORDERS:
        place_order(customer_id=alice.pk, lines=lines, delivery_address="1 Bench Row")

    session = Client()
    session.force_login(alice)
    session_cookie = session.cookies[settings.SESSION_COOKIE_NAME]

    # One file of fresh refresh tokens per wrk run: each works once (rotation).
    # Two small pools more serve the warm-up and the query count.
    pool_files = []
    with transaction.atomic():
        for index, size in enumerate([pool_size] * pools + [WARMUP_REQUESTS, 2]):
            path = out / f"refresh-pool-{index}.txt"
            tokens = (str(issue_token_pair(user=alice).refresh) for _ in range(size))
            path.write_text("\n".join(tokens) + "\n")
            pool_files.append(str(path.resolve()))

    return {
        "order_id": Order.objects.filter(customer=alice).order_by("id").first().pk,
        "headers": {
            "alice": {"Authorization": f"Bearer {issue_token_pair(user=alice).access}"},
            "bob": {"Authorization": f"Bearer {issue_token_pair(user=bob).access}"},
            "session": {"Cookie": f"{session_cookie.key}={session_cookie.value}"},
        },
        "bodies": {
            # %s: the note that names each order placed under load (bench.ledger).
            "order": json.dumps(
                {
                    "items": [{"menu_item": dish.pk, "quantity": 1} for dish in dishes],
                    "delivery_address": "2 Load Test Lane",
                    "note": "%s",
                }
            ),
            "login": json.dumps({"username": "alice", "password": DEMO_PASSWORD}),
        },
        "refresh_pools": pool_files[:pools],
        "warmup_pool": pool_files[pools],
        "queries_pool": pool_files[pools + 1],
    }


if __name__ == "__main__":
    main()
