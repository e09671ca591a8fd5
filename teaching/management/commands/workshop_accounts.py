"""Make the room's accounts and print their cards: one per attendee, one per kitchen."""

from django.core.management.base import BaseCommand, CommandError

from teaching.room import addresses, database
from teaching.room.accounts import MAX_ATTENDEES, Card, issue_cards

WIDTH = 46


def card_lines(card: Card, address: str) -> list[str]:
    """One card as a box of text, to print or to copy."""
    rows = [
        "Delivery workshop",
        "",
        f"Address   {address}",
        f"Username  {card.username}",
        f"Password  {card.password}",
    ]
    if card.restaurant:
        rows.append(f"Kitchen   {card.restaurant}")
    border = "+" + "-" * (WIDTH - 2) + "+"
    return [border, *(f"| {row:<{WIDTH - 4}} |" for row in rows), border]


class Command(BaseCommand):
    help = (
        "Give the room N attendee accounts (table-001, ...) and a cook for each "
        "kitchen (cook-<restaurant>), each with a new random password, and print "
        "their cards. The passwords are shown this once; cards printed before stop "
        "working."
    )

    def add_arguments(self, parser):
        parser.add_argument("attendees", type=int, help="How many attendees.")
        parser.add_argument(
            "--address",
            help="The room's address on the cards (default: what `make workshop` "
            "with the same HOST and PORT prints first).",
        )

    def handle(self, *args, attendees: int, address: str | None, **options) -> None:
        if not 1 <= attendees <= MAX_ATTENDEES:
            raise CommandError(f"A room has 1 to {MAX_ATTENDEES} attendees.")
        address = address or addresses.room_addresses_from_environment()[0]
        database.load_demo()
        self.stdout.write(
            f"Making {attendees} attendee accounts and a cook for each kitchen "
            "(a few seconds: every password is hashed)..."
        )
        cards = issue_cards(attendees=attendees)
        for card in cards:
            self.stdout.write("\n".join(card_lines(card, address)))
        cooks = sum(1 for card in cards if card.restaurant)
        self.stdout.write(
            self.style.SUCCESS(
                f"{attendees} attendee and {cooks} kitchen cards. The passwords are "
                "stored hashed: this is the only time they are shown."
            )
        )
        self.stdout.write(
            "To print them several to a page, log in as admin at /workshop/cards/ "
            "(that page makes new passwords again)."
        )
