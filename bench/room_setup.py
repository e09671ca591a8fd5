"""Make the room's accounts and hand the simulated room what it needs to order.

Run by the room scenario in the environment of the room's server, after the
migrations and the demo data:

    python -m bench.room_setup --attendees 100 --out bench/results/room/room.json

It gives the room its accounts as an instructor does (``make workshop-accounts``:
one per attendee and a cook per kitchen, each with a new random password), and
writes their cards and the dishes one can order (available, in an open
restaurant), by restaurant, as JSON.
"""

import argparse
import json
import os
from dataclasses import asdict
from pathlib import Path

import django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()

    from menu.models import MenuItem
    from teaching.room.accounts import issue_cards

    cards = issue_cards(attendees=args.attendees)
    dishes: dict[str, list[int]] = {}
    # What an attendee can order: available dishes of open restaurants.
    for restaurant, dish in MenuItem.objects.filter(
        available=True, restaurant__is_open=True
    ).values_list("restaurant__name", "pk"):
        dishes.setdefault(restaurant, []).append(dish)
    args.out.write_text(
        json.dumps({"cards": [asdict(card) for card in cards], "dishes": dishes})
    )


if __name__ == "__main__":
    main()
