"""Bring the workshop room back to its starting point between two sessions."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from teaching.room import keys
from teaching.room.reset import reset_room, what_a_reset_removes

ANSWER = "yes"


class Command(BaseCommand):
    help = (
        "Empty the room's database and fill it again as make workshop does: the "
        "demo data and the room's accounts (their cards keep working). Orders, "
        "registrations, tokens, login counts and the ticket rail are gone, and the "
        "card keys are new: no card of the last session is accepted any more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--yes", action="store_true", help="Reset without asking first."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (where the database is rarely a room's).",
        )

    def handle(self, *args, yes: bool, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this database may not be a workshop room's, and a "
                "reset empties it. Use --force to reset it anyway."
            )
        removed = what_a_reset_removes()
        database = settings.DATABASES["default"]["NAME"]
        self.stdout.write(
            f"Resetting the workshop room in {database}: {removed.orders} orders, "
            f"{removed.accounts} accounts made during the session and "
            f"{removed.refresh_tokens} refresh tokens go; the demo and room "
            "accounts stay, with their passwords. Every card issued so far stops "
            "working."
        )
        if not yes and not self.confirmed():
            raise CommandError("Nothing was changed.")
        started = time.monotonic()
        reset_room()
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"The room is back to its starting point ({seconds:.1f} s)."
            )
        )
        self.stdout.write(
            "If make workshop is running, it restarts its servers with the new keys "
            "within seconds; the room's cards keep working."
        )
        for name in keys.keys_from_environment():
            self.stdout.write(
                self.style.WARNING(
                    f"{name} comes from the environment, so it stays the same: "
                    "cards it signed work until they expire."
                )
            )

    def confirmed(self) -> bool:
        try:
            answer = input(f"Type {ANSWER!r} to reset the room: ")
        except EOFError:
            return False
        return answer.strip().lower() == ANSWER
