"""Set the room up as ``make workshop`` does, for the room scenario.

Two steps, each run in its own process:

    python -m bench.room_setup server --port 8300 --out server.json
    python -m bench.room_setup room --attendees 100 --out room.json

``server`` describes the room's main server as ``make workshop`` starts it
(``teaching.room.servers``): its command and its environment, with keys made for
the run, and this process's environment as the base, as the launcher's.

``room``, run in that server's environment, brings the database to the room's
starting point with the room's own code (migrations, the demo), gives the room its
accounts as an instructor does (``make workshop-accounts``: one per attendee and a
cook per kitchen, each with a new random password), and writes their cards and the
dishes one can order (available, in an open restaurant), by restaurant.
"""

import argparse
import json
import os
import secrets
from dataclasses import asdict
from pathlib import Path

import django


def describe_server(port: int) -> dict:
    from teaching.room import servers
    from teaching.room.keys import RoomKeys

    keys = RoomKeys(
        secret_key=secrets.token_urlsafe(50),
        jwt_signing_key=secrets.token_hex(32),
        rs256_private_key="",
        admin_password="",
    )
    base = {
        name: value
        for name, value in os.environ.items()
        if name not in {"HOST", "PORT", "WEB_CONCURRENCY", "ALLOWED_HOSTS"}
    }
    return {
        "command": servers.MAIN.command(host="127.0.0.1", port=port, jwks_url=""),
        "environment": servers.environment(
            servers.MAIN,
            base=base,
            keys=keys,
            host="127.0.0.1",
            port=port,
            allowed_hosts=["127.0.0.1"],
        ),
    }


def prepare_room(attendees: int) -> dict:
    from menu.models import MenuItem
    from teaching.room.accounts import issue_cards
    from teaching.room.database import load_demo

    load_demo()
    cards = issue_cards(attendees=attendees)
    dishes: dict[str, list[int]] = {}
    for restaurant, dish in MenuItem.objects.filter(
        available=True, restaurant__is_open=True
    ).values_list("restaurant__name", "pk"):
        dishes.setdefault(restaurant, []).append(dish)
    return {"cards": [asdict(card) for card in cards], "dishes": dishes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    server = steps.add_parser("server")
    server.add_argument("--port", type=int, required=True)
    server.add_argument("--out", type=Path, required=True)
    room = steps.add_parser("room")
    room.add_argument("--attendees", type=int, required=True)
    room.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    if args.step == "server":
        found = describe_server(args.port)
    else:
        found = prepare_room(args.attendees)
    args.out.write_text(json.dumps(found))


if __name__ == "__main__":
    main()
